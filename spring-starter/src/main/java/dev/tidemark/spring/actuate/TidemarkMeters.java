package dev.tidemark.spring.actuate;

import dev.tidemark.MigrationEvent;
import dev.tidemark.MigrationListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Micrometer meters from the deploy's events: the timer {@code tidemark.migration.duration} (tags {@code migration}
 * and {@code outcome}, success or failure), the timer {@code tidemark.lock.wait} (waits for the migration lock held
 * by another deployer), the counter {@code tidemark.lock.retries} (statements retried after their
 * {@code lock_timeout}), and the gauge {@code tidemark.pending} (migrations still pending after the last deploy, from
 * its events: no database read per scrape; NaN before any deploy).
 *
 * <p>The startup deploy runs before the meter registries are bound, so what is heard until then is kept (a bounded
 * backlog) and recorded when a registry binds this bean; later events are recorded at once.
 *
 * @since 0.3
 */
public class TidemarkMeters implements MigrationListener, MeterBinder {

    /** Recordings kept for registries not bound yet; a startup deploy needs a few per migration. */
    private static final int BACKLOG = 10_000;

    private final List<Consumer<MeterRegistry>> backlog = new ArrayList<>();
    private final List<MeterRegistry> registries = new ArrayList<>();
    private volatile double pending = Double.NaN;
    private int started;
    private int finished;

    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        Timer.builder("tidemark.lock.wait").description("Waits for the migration lock held by another deployer")
                .register(registry);
        Counter.builder("tidemark.lock.retries").description("Migration statements retried after their"
                + " lock_timeout").register(registry);
        Gauge.builder("tidemark.pending", this, meters -> meters.pending)
                .description("Migrations still pending after the last deploy").register(registry);
        backlog.forEach(recording -> recording.accept(registry));
        registries.add(registry);
    }

    @Override
    public void onEvent(MigrationEvent event) {
        if (event instanceof MigrationEvent.DeployStarted e) {
            synchronized (this) {
                started = e.pending();
                finished = 0;
                pending = started;
            }
        } else if (event instanceof MigrationEvent.MigrationFinished e) {
            synchronized (this) {
                pending = started - ++finished;
            }
            record(registry -> migrationTimer(registry, e.migration(), "success").record(e.duration()));
        } else if (event instanceof MigrationEvent.MigrationFailed e) {
            record(registry -> migrationTimer(registry, e.migration(), "failure").record(e.duration()));
        } else if (event instanceof MigrationEvent.LockWaited e) {
            Duration waited = e.waited();
            record(registry -> registry.timer("tidemark.lock.wait").record(waited));
        } else if (event instanceof MigrationEvent.StatementLockRetry) {
            record(registry -> registry.counter("tidemark.lock.retries").increment());
        }
    }

    private synchronized void record(Consumer<MeterRegistry> recording) {
        if (backlog.size() < BACKLOG) {
            backlog.add(recording);
        }
        registries.forEach(recording);
    }

    private static Timer migrationTimer(MeterRegistry registry, String migration, String outcome) {
        return Timer.builder("tidemark.migration.duration").description("How long each migration took")
                .tag("migration", migration).tag("outcome", outcome).register(registry);
    }
}
