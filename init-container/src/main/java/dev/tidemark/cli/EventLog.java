package dev.tidemark.cli;

import dev.tidemark.MigrationEvent;
import dev.tidemark.MigrationListener;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;

/**
 * {@code --events json}: each {@link MigrationEvent} as one JSON object on one line, flushed at once, secrets masked.
 * Every object starts with {@code "v":1} (the format's version: fields are only ever added), {@code "time"} and
 * {@code "type"}; {@code "target"} follows in a fleet deploy. The README lists each type's fields.
 */
final class EventLog implements MigrationListener {

    /** The format's version, written first in every line. */
    static final int VERSION = 1;

    private final PrintStream out;
    private final Clock clock;

    EventLog(PrintStream out, Clock clock) {
        this.out = out;
        this.clock = clock;
    }

    @Override
    public void onEvent(MigrationEvent event) {
        String line = Secrets.mask(json(event, Instant.now(clock)).toString());
        // Fleet targets and the slow-migration timer write from several threads: one whole line at a time.
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }

    static Json json(MigrationEvent event, Instant time) {
        Json json = Json.object().field("v", VERSION).field("time", time).field("type", event.type());
        if (event.target() != null) {
            json.field("target", event.target());
        }
        if (event instanceof MigrationEvent.DeployStarted e) {
            json.field("pending", e.pending());
        } else if (event instanceof MigrationEvent.LockWaited e) {
            json.millis("waitedMillis", e.waited()).field("retries", e.retries()).field("acquired", e.acquired())
                    .field("blocker", e.blocker());
        } else if (event instanceof MigrationEvent.MigrationStarted e) {
            json.field("migration", e.migration());
        } else if (event instanceof MigrationEvent.MigrationFinished e) {
            json.field("migration", e.migration()).millis("durationMillis", e.duration())
                    .field("statements", e.statements());
        } else if (event instanceof MigrationEvent.MigrationFailed e) {
            json.field("migration", e.migration()).millis("durationMillis", e.duration())
                    .field("code", e.code().id()).field("error", e.code().name())
                    .field("message", DatabaseCommand.withoutCode(e.message(), e.code()));
        } else if (event instanceof MigrationEvent.StatementLockRetry e) {
            json.field("migration", e.migration()).field("line", e.line()).field("attempt", e.attempt())
                    .millis("lockTimeoutMillis", e.lockTimeout()).millis("backoffMillis", e.backoff())
                    .field("blocker", e.blocker());
        } else if (event instanceof MigrationEvent.SlowMigration e) {
            json.field("migration", e.migration()).millis("runningMillis", e.running());
        } else if (event instanceof MigrationEvent.DeployFinished e) {
            json.field("outcome", e.outcome().name()).field("applied", e.applied())
                    .millis("durationMillis", e.duration()).field("code", e.code() == null ? null : e.code().id());
        }
        return json;
    }
}
