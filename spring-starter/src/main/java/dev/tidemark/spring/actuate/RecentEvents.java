package dev.tidemark.spring.actuate;

import dev.tidemark.MigrationEvent;
import dev.tidemark.MigrationListener;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The last {@value #CAPACITY} deploy events, newest last, for the {@code tidemark} actuator endpoint.
 *
 * @since 0.3
 */
public class RecentEvents implements MigrationListener {

    /** How many events are kept. */
    public static final int CAPACITY = 100;

    private final ArrayDeque<EventReport> events = new ArrayDeque<>();
    private final Clock clock;

    public RecentEvents() {
        this(Clock.systemUTC());
    }

    public RecentEvents(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void onEvent(MigrationEvent event) {
        EventReport report = EventReport.of(event, Instant.now(clock));
        synchronized (events) {
            if (events.size() == CAPACITY) {
                events.removeFirst();
            }
            events.addLast(report);
        }
    }

    /** The events kept, oldest first. */
    public List<EventReport> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    /**
     * One event as the endpoint shows it.
     *
     * @param time    when it was heard
     * @param type    {@link MigrationEvent#type()}: deploy_started, migration_finished, ...
     * @param target  the fleet target's name, or {@code null}
     * @param details the event's own fields, durations in milliseconds (named {@code ...Millis})
     */
    public record EventReport(Instant time, String type, String target, Map<String, Object> details) {

        static EventReport of(MigrationEvent event, Instant time) {
            Map<String, Object> details = new LinkedHashMap<>();
            if (event instanceof MigrationEvent.DeployStarted e) {
                details.put("pending", e.pending());
            } else if (event instanceof MigrationEvent.LockWaited e) {
                details.put("waitedMillis", millis(e.waited()));
                details.put("retries", e.retries());
                details.put("acquired", e.acquired());
                details.put("blocker", e.blocker());
            } else if (event instanceof MigrationEvent.MigrationStarted e) {
                details.put("migration", e.migration());
            } else if (event instanceof MigrationEvent.MigrationFinished e) {
                details.put("migration", e.migration());
                details.put("durationMillis", millis(e.duration()));
                details.put("statements", e.statements());
            } else if (event instanceof MigrationEvent.MigrationFailed e) {
                details.put("migration", e.migration());
                details.put("durationMillis", millis(e.duration()));
                details.put("code", e.code().id());
                details.put("message", e.message());
            } else if (event instanceof MigrationEvent.StatementLockRetry e) {
                details.put("migration", e.migration());
                details.put("line", e.line());
                details.put("attempt", e.attempt());
                details.put("lockTimeoutMillis", millis(e.lockTimeout()));
                details.put("backoffMillis", millis(e.backoff()));
                details.put("blocker", e.blocker());
            } else if (event instanceof MigrationEvent.SlowMigration e) {
                details.put("migration", e.migration());
                details.put("runningMillis", millis(e.running()));
            } else if (event instanceof MigrationEvent.DeployFinished e) {
                details.put("outcome", e.outcome().name());
                details.put("applied", e.applied());
                details.put("durationMillis", millis(e.duration()));
                details.put("code", e.code() == null ? null : e.code().id());
            }
            return new EventReport(time, event.type(), event.target(), details);
        }

        private static long millis(Duration duration) {
            return duration.toMillis();
        }
    }
}
