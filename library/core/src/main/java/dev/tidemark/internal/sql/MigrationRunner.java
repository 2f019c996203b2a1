package dev.tidemark.internal.sql;

import dev.tidemark.ErrorCode;
import dev.tidemark.MigrationFailedException;
import dev.tidemark.TidemarkException;
import dev.tidemark.internal.events.Events;
import dev.tidemark.internal.history.HistoryTable;
import dev.tidemark.internal.jdbc.Session;
import dev.tidemark.internal.lock.AdvisoryLock;
import dev.tidemark.internal.source.LocalMigration;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Runs one migration and keeps its history row in step.
 *
 * <p>By default the whole migration runs in one transaction that also marks the history row finished, so a
 * migration is applied and recorded, or neither. That transaction is first sent as one batch with its history row,
 * the lock check and the COMMIT ({@link Flight}: one round trip). If it fails, it is rolled back; the statement the
 * driver's report names is the failure (a lock timeout there is the first attempt of the retries), and when the
 * report names none, the migration runs again statement by statement, which says exactly which statement failed. A
 * migration holding a statement that PostgreSQL refuses inside a transaction block ({@code CREATE INDEX
 * CONCURRENTLY}, {@code VACUUM}, ...) runs in autocommit instead, recording its progress in
 * {@code applied_steps_count} after each statement. A header line
 * {@code -- tidemark:transaction=none} or {@code =per-migration} overrides the detection.
 *
 * <p>Every statement runs under {@code lock_timeout}; a statement that gives up waiting for a lock (SQLSTATE
 * {@code 55P03}) is rolled back, and its unit (the whole migration, or in autocommit the one statement) is retried
 * with exponential backoff and jitter until the retry budget is spent. While a statement is slow, a watcher on a
 * second connection asks {@code pg_blocking_pids} who blocks it, so each retry can name the blocker.
 *
 * <p>A statement that loses a race to create a database-wide object (a unique violation on a system catalog, see
 * {@link #racedCatalog}) is rolled back and its unit run again at once, a few times at most: run again, it sees the
 * object the other session committed.
 */
public final class MigrationRunner {

    private static final Logger log = LoggerFactory.getLogger("dev.tidemark");
    private static final String LOCK_NOT_AVAILABLE = FailureReport.LOCK_NOT_AVAILABLE;
    private static final long FIRST_BACKOFF_MILLIS = 500;
    private static final long MAX_BACKOFF_MILLIS = 30_000;
    /** Catalog races run again per migration: one suffices once the other creator committed; a few cover several. */
    private static final int CATALOG_RACE_RETRIES = 3;

    private final HistoryTable history;
    private final Duration lockTimeout;
    private final Duration statementTimeout;
    private final Duration lockRetryBudget;
    private final Supplier<Connection> watcherConnections;
    private boolean resumeInterrupted = true;
    private Events events = Events.NONE;

    /** Whether failure advice may promise that the next deploy resumes an interrupted migration; default true. */
    public MigrationRunner resumeInterrupted(boolean resume) {
        this.resumeInterrupted = resume;
        return this;
    }

    /** Where lock-timeout retries are reported; default nowhere. */
    public MigrationRunner events(Events events) {
        this.events = events;
        return this;
    }

    /**
     * With {@code watcherConnections}, a statement still waiting after half the lock timeout has its blockers looked
     * up on a second connection taken from there (only then), so lock-timeout retries can name them.
     */
    public MigrationRunner(HistoryTable history, Duration lockTimeout, Duration statementTimeout,
            Duration lockRetryBudget, Supplier<Connection> watcherConnections) {
        this.history = history;
        this.lockTimeout = lockTimeout;
        this.statementTimeout = statementTimeout;
        this.lockRetryBudget = lockRetryBudget;
        this.watcherConnections = watcherConnections;
    }

    /**
     * Applies one migration as its plan says; returns the number of statements run. On failure the migration's
     * history row says what failed ({@code logs}), and the exception says what to do.
     *
     * <p>A migration run in one transaction inserts its finished history row as the last statement of that
     * transaction, so that it is applied and recorded with one commit (one WAL flush), or neither; a failure is
     * recorded after the rollback. A migration run without a transaction inserts its row before its first statement,
     * to record its progress ({@link MigrationPlan#rowUpFront()}).
     */
    public int apply(Connection connection, SessionState session, LocalMigration migration, MigrationPlan plan) {
        MigrationPlan.Reason reason = plan.reason();
        if (reason.cause() == MigrationPlan.Cause.STATEMENT && reason.statement().startsWith("ALTER", "TYPE")) {
            // Only ALTER TYPE ... ADD VALUE before PostgreSQL 12 makes the server's version matter.
            log.info("{}: runs without a transaction: PostgreSQL {} cannot run ALTER TYPE ... ADD VALUE in one",
                    migration.name(), plan.serverMajorVersion());
        }
        try (Run run = new Run(connection, session, migration, plan, null)) {
            return run.execute();
        }
    }

    /**
     * Prepares a command's connection for migrations (see {@link SessionState}): one round trip, before the first
     * migration of a deploy.
     */
    public SessionState prepareSession(Connection connection, String schema) {
        return SessionState.establish(connection, schema, lockTimeout, statementTimeout);
    }

    /**
     * The session state of {@code session}, prepared on first use and restored when the session closes: an operation
     * that finds nothing to run never sets it.
     */
    public Supplier<SessionState> sessionStateOf(Session session, String schema) {
        SessionState[] state = new SessionState[1];
        return () -> {
            if (state[0] == null) {
                state[0] = prepareSession(session.connection(), schema);
                session.restoreOnClose(state[0]::restore);
            }
            return state[0];
        };
    }

    /**
     * Resumes an autocommit migration whose history row {@code rowId} is unfinished with {@code appliedSteps}
     * statements recorded as done: checks the effect of the statement that was interrupted (see
     * {@link Resumption#refusal}), then runs the rest and finishes that row. Returns the number of statements run now.
     */
    public int resume(Connection connection, SessionState session, LocalMigration migration, MigrationPlan plan,
            String rowId, int appliedSteps) {
        try (Run run = new Run(connection, session, migration, plan, rowId)) {
            run.resumeFrom = appliedSteps;
            return run.execute();
        }
    }

    /**
     * Runs a migration's down script ({@code down}: the migration's name, the down file and its text) with the same
     * plan ({@link MigrationPlan#of}), {@code lock_timeout}, retries and statement-level errors as {@link #apply},
     * then marks the history row {@code appliedRowId} rolled back: inside the script's transaction when it runs in
     * one, else after its last statement. A failure writes nothing to the history, so the migration stays applied;
     * the exception says so. Returns the number of statements run.
     */
    public int rollBack(Connection connection, SessionState session, LocalMigration down, MigrationPlan plan,
            String appliedRowId) {
        try (Run run = new Run(connection, session, down, plan, null, appliedRowId)) {
            return run.execute();
        }
    }

    /**
     * The system catalog of a unique violation there (null for any other error): another session created the same
     * database-wide object (an extension, a schema, a type) in a transaction that committed while this statement was
     * creating it. PostgreSQL's {@code IF NOT EXISTS} looks only at committed objects, so two creators in flight both
     * go ahead, and the second fails with 23505 once the first commits. A single session never causes one: PostgreSQL
     * checks that an object exists (42P07, 42710) before it inserts its catalog row.
     */
    static String racedCatalog(SQLException e) {
        if (!"23505".equals(e.getSQLState()) || !(e instanceof PSQLException psql)) {
            return null;
        }
        ServerErrorMessage server = psql.getServerErrorMessage();
        return server != null && "pg_catalog".equals(server.getSchema()) ? server.getTable() : null;
    }

    /** What the batch of a transactional migration left to do: nothing, a retry, or a run statement by statement. */
    private enum FlightResult { COMMITTED, RETRY, STATEMENT_BY_STATEMENT }

    /** The state of one migration's run: its units, progress, retry budget and lock watcher. */
    private final class Run implements AutoCloseable {
        final Connection connection;
        final SessionState session;
        final LocalMigration migration;
        final MigrationPlan plan;
        final String rowId;
        /** For a rollback: the applied migration's history row, which a successful down script marks rolled back. */
        final String rollingBack;
        final int total;
        final LockWatcher watcher;
        int committed;
        /** When resuming: the statements recorded as done by the interrupted run. */
        int resumeFrom = -1;
        /** The server's major version, for the few statements whose transaction needs depend on it. */
        final int serverVersion;
        long retryDeadline;
        long backoffMillis = FIRST_BACKOFF_MILLIS;
        int lockTimeouts;
        int catalogRaces;
        /** What the failure report should add: what was done about INVALID indexes. */
        final List<String> notes = new ArrayList<>();
        final InvalidIndexCleanup indexes;

        Run(Connection connection, SessionState session, LocalMigration migration, MigrationPlan plan, String rowId) {
            this(connection, session, migration, plan, rowId, null);
        }

        Run(Connection connection, SessionState session, LocalMigration migration, MigrationPlan plan, String rowId,
                String rollingBack) {
            this.connection = connection;
            this.session = session;
            this.migration = migration;
            this.plan = plan;
            this.rollingBack = rollingBack;
            this.serverVersion = plan.serverMajorVersion();
            this.rowId = rowId != null || !plan.rowUpFront() || rollingBack != null ? rowId
                    : history.start(connection, migration.name(), migration.checksum());
            this.total = plan.statementCount();
            this.watcher = lockTimeout.isZero() || watcherConnections == null ? LockWatcher.DISABLED
                    : new LockWatcher(watcherConnections, lockTimeout);
            watcher.watchPid(session.pid());
            this.indexes = new InvalidIndexCleanup(connection, migration, watcher, notes);
        }

        int execute() {
            if (plan.transactional()) {
                runUnit(plan.units().get(0), true);
            } else {
                int start = Math.max(resumeFrom, 0);
                for (List<SqlStatement> unit : plan.units()) {
                    if (committed < start) {
                        committed += unit.size();
                        continue;
                    }
                    if (resumeFrom >= 0) {
                        boolean done = Resumption.alreadyDone(connection, history, migration, rowId, unit, committed,
                                total, serverVersion);
                        resumeFrom = -1;
                        if (done) {
                            committed += unit.size();
                            history.progress(connection, rowId, committed);
                            continue;
                        }
                    }
                    runUnit(unit, false);
                }
                boolean lockKept = endOfMigration();
                if (rollingBack != null) {
                    history.rollBack(connection, rollingBack, migration.file());
                } else {
                    history.finish(connection, rowId, committed);
                }
                if (!lockKept) {
                    throw lockLost(false);
                }
                return committed - start;
            }
            return committed;
        }

        /**
         * After the migration's last statement (inside its transaction, if it has one): checks that the session still
         * holds the migration lock, taking it back if the migration released it and nobody else took it, and
         * re-establishes the session's baseline for the next migration, in one round trip. A session-level
         * {@code set_config} inside the transaction commits with it; if the transaction rolls back, the values from
         * before it (the same baseline) come back. Returns false when another session took the lock.
         */
        private boolean endOfMigration() {
            try (Statement jdbc = connection.createStatement();
                    ResultSet rs = jdbc.executeQuery("SELECT " + AdvisoryLock.heldOrRetaken(session.schema()) + ", "
                            + session.baseline())) {
                rs.next();
                String lock = rs.getString(1);
                if (lock.equals("retaken")) {
                    log.warn("{}: the migration released the migration lock (advisory lock {}); Tidemark took it"
                            + " back before anyone else did. Remove the pg_advisory_unlock call from {}",
                            migration.name(), AdvisoryLock.KEY, migration.file());
                }
                return !lock.equals("lost");
            } catch (SQLException e) {
                throw new TidemarkException(ErrorCode.DATABASE_ERROR, "Could not check that the migration lock is"
                        + " still held after " + migration.name() + ": " + e.getMessage() + ". Deploy again; the"
                        + " history table says what was applied.", e);
            }
        }

        private TidemarkException lockLost(boolean rolledBack) {
            String holder;
            try (Statement jdbc = connection.createStatement()) {
                holder = AdvisoryLock.holder(jdbc, session.schema());
            } catch (SQLException e) {
                holder = "another session";
            }
            return new TidemarkException(ErrorCode.LOCK_LOST, "Migration " + migration.name() + " released the"
                    + " migration lock (advisory lock " + AdvisoryLock.KEY + ", for example with pg_advisory_unlock or"
                    + " pg_advisory_unlock_all) and another session took it before Tidemark could take it back: "
                    + holder + ". " + (rollingBack != null ? (rolledBack ? "The down script's transaction was"
                            + " rolled back, so the migration stays applied" : "The down script ran without a"
                            + " transaction, so its statements stay applied and the migration is recorded as rolled"
                            + " back") : rolledBack ? "The migration was rolled back and is not recorded"
                            : "The migration ran without a transaction, so its statements stay applied and it is"
                                    + " recorded as applied")
                    + "; Tidemark ran nothing after it, since another deployer may be applying the same"
                    + " migrations now. Remove the unlock call from " + migration.file() + " (the lock must be"
                    + " released by Tidemark only), then " + (rollingBack != null ? "run the rollback" : "deploy")
                    + " again once the other deployer is done.");
        }

        /**
         * Runs one unit: in a transaction (the whole migration, or an explicit BEGIN ... COMMIT block), or a single
         * statement in autocommit. Retries it after lock timeouts while the budget lasts.
         */
        private void runUnit(List<SqlStatement> unit, boolean wholeMigration) {
            int attempt = 1;
            if (wholeMigration) {
                switch (inOneFlight(unit)) {
                    case COMMITTED -> {
                        return;
                    }
                    case RETRY -> attempt = 2; // the batch was the first attempt
                    case STATEMENT_BY_STATEMENT -> {
                    }
                }
            }
            // Several statements (an explicit BEGIN ... COMMIT block) or the whole migration run in a transaction;
            // so does a single statement that can, so that it commits with its progress count and an interrupted
            // run leaves no doubt whether it was applied.
            boolean transaction = wholeMigration || unit.size() > 1
                    || !MigrationPlan.needsAutocommit(unit.get(0), serverVersion);
            for (; ; attempt++) {
                int done = 0;
                Map<Long, String> invalidBefore = null;
                try {
                    if (transaction) {
                        connection.setAutoCommit(false);
                    }
                    indexes.dropLeftovers();
                    try (Statement jdbc = connection.createStatement()) {
                        jdbc.setEscapeProcessing(false);
                        for (SqlStatement statement : unit) {
                            if (!transaction && InvalidIndexCleanup.buildsIndexConcurrently(statement)) {
                                invalidBefore = indexes.invalidIndexes();
                            }
                            watcher.start();
                            try {
                                jdbc.execute(statement.sql());
                            } finally {
                                watcher.stop();
                            }
                            if (invalidBefore != null) {
                                indexes.refuseInvalidIndexKept(statement, invalidBefore);
                            }
                            done++;
                        }
                    }
                    if (wholeMigration && !endOfMigration()) {
                        rollback();
                        throw lockLost(true);
                    }
                    // A read-only transaction cannot write the history row; having changed nothing, it needs no
                    // atomicity with it, so the row is written right after its commit.
                    boolean rowAfterCommit = transaction && MigrationPlan.readOnly(unit);
                    if (!rowAfterCommit) {
                        recordProgress(wholeMigration, done);
                    }
                    if (transaction) {
                        connection.commit();
                        connection.setAutoCommit(true);
                    }
                    if (rowAfterCommit) {
                        recordProgress(wholeMigration, done);
                    }
                    committed += done;
                    return;
                } catch (SQLException e) {
                    if (transaction) {
                        rollback();
                    }
                    if (unit.isEmpty()) {
                        throw new TidemarkException(ErrorCode.DATABASE_ERROR, "Could not commit " + migration.name()
                                + ": " + e.getMessage(), e);
                    }
                    SqlStatement failed = unit.get(Math.min(done, unit.size() - 1));
                    if (invalidBefore != null) {
                        indexes.dropInvalidIndexesLeftBy(failed, invalidBefore);
                    }
                    if (done < unit.size() && runAgain(failed, e, attempt, transaction, wholeMigration
                            ? "the migration" : unit.size() > 1 ? "its transaction block" : "the statement")) {
                        continue;
                    }
                    throw failure(failed, committed + (transaction ? 0 : done), done == unit.size(), e, transaction);
                } catch (RuntimeException e) {
                    if (transaction) {
                        rollback();
                    }
                    throw e;
                }
            }
        }

        /**
         * Runs a transactional migration with its history row, lock check and COMMIT as one batch ({@link Flight}).
         * When the batch fails and names the statement that failed, that failure is reported (or, for a lock timeout,
         * retried after the backoff) without running anything again. Otherwise the caller runs the migration
         * statement by statement, which says exactly what failed and retries lock timeouts; so does a migration that
         * cannot be batched (a read-only transaction, whose row is written after its commit).
         */
        private FlightResult inOneFlight(List<SqlStatement> unit) {
            if (rowId != null || MigrationPlan.readOnly(unit) || !indexes.leftovers().isEmpty()) {
                return FlightResult.STATEMENT_BY_STATEMENT;
            }
            String row = rollingBack != null ? history.rollBackSql(rollingBack, migration.file())
                    : history.recordAppliedSql(migration.name(), migration.checksum(), unit.size());
            List<String> tail = List.of(row, session.lockCheck(), "COMMIT");
            Flight.Outcome outcome;
            try {
                connection.setAutoCommit(false);
                watcher.start();
                try {
                    outcome = Flight.send(connection, migration.name(), unit, tail);
                } finally {
                    watcher.stop();
                }
                if (outcome.committed()) {
                    connection.setAutoCommit(true); // committed by the batch's COMMIT: no round trip
                    committed += unit.size();
                    return FlightResult.COMMITTED;
                }
            } catch (SQLException e) {
                log.debug("{}: could not start the batch: {}", migration.name(), e.getMessage());
                rollback();
                return FlightResult.STATEMENT_BY_STATEMENT;
            }
            rollback();
            SqlStatement failed = outcome.failed();
            if (failed == null) {
                return FlightResult.STATEMENT_BY_STATEMENT;
            }
            if (runAgain(failed, outcome.error(), 1, true, "the migration")) {
                return FlightResult.RETRY;
            }
            throw failure(failed, committed, false, outcome.error(), true);
        }

        private void recordProgress(boolean wholeMigration, int done) {
            if (rollingBack != null) {
                if (wholeMigration) {
                    history.rollBack(connection, rollingBack, migration.file());
                }
                return;
            }
            if (wholeMigration && rowId == null) {
                history.recordApplied(connection, migration.name(), migration.checksum(), done);
            } else if (wholeMigration) {
                history.finish(connection, rowId, done);
            } else {
                history.progress(connection, rowId, committed + done);
            }
        }

        /** After a lock timeout: waits and returns true if the budget allows another attempt. */
        private boolean retry(SqlStatement statement, int attempt, boolean transaction) {
            lockTimeouts++;
            long now = System.nanoTime();
            if (retryDeadline == 0) {
                retryDeadline = now + lockRetryBudget.toNanos();
            }
            long remainingMillis = (retryDeadline - now) / 1_000_000;
            String blockers = watcher.blockers();
            if (remainingMillis <= 0) {
                return false;
            }
            long sleep = Math.min(remainingMillis,
                    backoffMillis / 2 + ThreadLocalRandom.current().nextLong(backoffMillis / 2 + 1));
            backoffMillis = Math.min(backoffMillis * 2, MAX_BACKOFF_MILLIS);
            events.statementLockRetry(migration.name(), statement.line(), attempt, lockTimeout, sleep, blockers);
            log.warn("{}: the statement at {}:{} waited {} ms (lock_timeout) for a lock and gave up, so that other"
                    + " queries do not queue behind it; blocked by {}. {}; retrying in {} ms (attempt {}, {} s of the"
                    + " lock retry budget left)", migration.name(), migration.file(), statement.line(),
                    lockTimeout.toMillis(), blockers == null ? "a session Tidemark could not identify" : blockers,
                    transaction ? "Rolled back" : "Nothing was changed", sleep, attempt + 1,
                    Math.max(0, remainingMillis - sleep) / 1000);
            try {
                Thread.sleep(sleep);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                boolean recorded = recordFailure(committed, "Interrupted while waiting to retry the statement at "
                        + migration.file() + ":" + statement.line() + " after a lock timeout. " + (transaction
                                ? "It was rolled back." : committed + " statement(s) before it were applied."));
                throw new TidemarkException(ErrorCode.MIGRATION_FAILED, "Interrupted while waiting to retry "
                        + migration.name() + " after a lock timeout; " + (recorded
                                ? "the interruption is recorded in the history table. Resolve it with 'tidemark"
                                        + " resolve --rolled-back " + migration.name() + "' and deploy again."
                                : "Tidemark could not record it in the history table (see the log). Deploy again."),
                        e);
            }
            return true;
        }

        /**
         * After {@code statement} failed (rolled back already): true when {@code what} (the migration, a transaction
         * block or the statement) runs again: after a lock timeout within the budget (once its backoff is slept), or
         * at once after a catalog race, a few times at most. Either is logged.
         */
        private boolean runAgain(SqlStatement statement, SQLException e, int attempt, boolean transaction,
                String what) {
            if (LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
                return retry(statement, attempt, transaction);
            }
            String catalog = racedCatalog(e);
            if (catalog == null || catalogRaces >= CATALOG_RACE_RETRIES) {
                return false;
            }
            catalogRaces++;
            log.info("{}: the statement at {}:{} created a database object at the same time as another session,"
                    + " which committed it first (duplicate key in pg_catalog.{}). {}; running {} again, which now"
                    + " sees that object", migration.name(), migration.file(), statement.line(), catalog,
                    transaction ? "Rolled back" : "Nothing was changed", what);
            return true;
        }

        private void rollback() {
            try {
                connection.rollback();
                connection.setAutoCommit(true);
            } catch (SQLException ignored) {
                // the original failure is what matters; a broken connection is reported by the next call
            }
        }

        private MigrationFailedException failure(SqlStatement statement, int appliedSteps, boolean atCommit,
                SQLException e, boolean transactional) {
            FailureReport report = new FailureReport(migration, plan, new FailureReport.Settings(lockTimeout,
                    statementTimeout, lockRetryBudget, resumeInterrupted), statement, appliedSteps, atCommit, e,
                    transactional, lockTimeouts, watcher::blockers, notes, indexes.leftovers());
            if (rollingBack != null) {
                return report.rollbackException();
            }
            return report.exception(recordFailure(appliedSteps, report.logs()));
        }

        /** Records the failure in the history table; false (and logged) when that failed too. */
        private boolean recordFailure(int steps, String logs) {
            if (rollingBack != null) {
                // A failed down script changes nothing in the history: its migration stays applied.
                return false;
            }
            try {
                if (rowId == null) {
                    // The transaction that would have recorded the migration was rolled back: record the failure
                    // in a row of its own, in autocommit, as Prisma leaves a failed migration.
                    if (!connection.getAutoCommit()) {
                        connection.rollback();
                        connection.setAutoCommit(true);
                    }
                    history.recordFailed(connection, migration.name(), migration.checksum(), logs);
                } else {
                    history.fail(connection, rowId, steps, logs);
                }
                return true;
            } catch (SQLException | TidemarkException e) {
                log.error("Could not record the failure of {} in the history table: {}", migration.name(),
                        e.getMessage());
                return false;
            }
        }

        @Override
        public void close() {
            watcher.close();
            try {
                if (!connection.getAutoCommit()) {
                    connection.rollback();
                    connection.setAutoCommit(true);
                }
            } catch (SQLException e) {
                log.debug("Could not roll back after {}: {}", migration.name(), e.getMessage());
            }
        }
    }
}
