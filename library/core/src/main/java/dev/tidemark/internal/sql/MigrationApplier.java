package dev.tidemark.internal.sql;

import dev.tidemark.AppliedMigration;
import dev.tidemark.internal.events.Events;
import dev.tidemark.internal.history.HistoryTable;
import dev.tidemark.internal.jdbc.Session;
import dev.tidemark.internal.source.LocalMigration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Runs one pending migration of a deploy, on the session that holds the migration lock: applies it, or goes on with
 * an interrupted one (resumes an autocommit migration after its recorded statements, or runs a rolled-back one
 * again). The session state is prepared before the first migration only, so an up-to-date deploy never pays for it.
 */
public final class MigrationApplier {

    private static final Logger log = LoggerFactory.getLogger("dev.tidemark");

    private final MigrationRunner runner;
    private final HistoryTable history;
    private final Session session;
    private final Supplier<SessionState> state;
    private final Events events;

    public MigrationApplier(MigrationRunner runner, HistoryTable history, Session session, String schema,
            Events events) {
        this.runner = runner;
        this.events = events;
        this.history = history;
        this.session = session;
        this.state = runner.sessionStateOf(session, schema);
    }

    public AppliedMigration apply(LocalMigration migration, int serverVersion) {
        long start = System.nanoTime();
        MigrationPlan plan = MigrationPlan.of(migration, serverVersion);
        int count = events.migration(migration.name(), () -> runner.apply(session.connection(), state.get(),
                migration, plan));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        log.info("Applied {} ({} statement(s){}) in {} ms", migration.name(), count,
                plan.transactional() ? "" : ", without a transaction", took.toMillis());
        return new AppliedMigration(migration.name(), migration.checksum(), count, took);
    }

    public AppliedMigration resume(LocalMigration migration, Resumption.Pending resumption) {
        if (resumption.runAgain()) {
            log.info("{} was rolled back after its connection failed or it gave up waiting ({}); running it again",
                    migration.name(), Resumption.firstLineOf(resumption.row().logs()));
            history.markRolledBack(session.connection(), migration.name());
            return apply(migration, resumption.plan().serverMajorVersion());
        }
        long start = System.nanoTime();
        log.info("{} was interrupted {}; resuming it", migration.name(), Resumption.interruptedStatement(
                migration, resumption.statements(), resumption.row().appliedStepsCount()));
        int count = events.migration(migration.name(), () -> runner.resume(session.connection(), state.get(),
                migration, resumption.plan(), resumption.row().id(), resumption.row().appliedStepsCount()));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        log.info("Resumed {} ({} more statement(s), without a transaction) in {} ms", migration.name(), count,
                took.toMillis());
        return new AppliedMigration(migration.name(), migration.checksum(), count, took);
    }
}
