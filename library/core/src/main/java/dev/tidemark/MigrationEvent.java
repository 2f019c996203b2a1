package dev.tidemark;

import java.time.Duration;

/**
 * What a {@link MigrationListener} is told: one record per kind of event, all immutable. Every event names its
 * {@link #target()}: the fleet target's name in a {@link Fleet} deploy, {@code null} for a single {@link Migrator}.
 *
 * <p>A deploy reports, in this order: {@link LockWaited} (only if another deployer held the migration lock),
 * {@link DeployStarted} (the pending migrations are counted under the lock, so this comes after any wait), then per
 * migration {@link MigrationStarted}, any {@link StatementLockRetry} and {@link SlowMigration}, and
 * {@link MigrationFinished} or {@link MigrationFailed}; last {@link DeployFinished}, also when the deploy failed
 * before it started (then it is the only event, or follows {@link LockWaited}).
 *
 * <p>Durations are measured with {@link System#nanoTime()}. Messages are masked as the exceptions' are
 * ({@link Redaction#maskSecrets(String)}); blockers' query texts have their literals masked.
 *
 * @since 0.3
 */
public sealed interface MigrationEvent {

    /** The fleet target's name, or {@code null} outside a fleet. */
    String target();

    /** A stable name for the kind of event, as the CLI's JSON events write it: {@code migration_finished}, ... */
    String type();

    /**
     * A deploy (or reset) holds the migration lock and has read the history.
     *
     * @param pending how many migrations it is about to apply or resume
     */
    record DeployStarted(String target, int pending) implements MigrationEvent {
        @Override
        public String type() {
            return "deploy_started";
        }
    }

    /**
     * A command waited for the migration lock that another deployer held, and got it or gave up.
     *
     * @param waited   how long it waited
     * @param retries  how many times it tried the lock again after the first attempt
     * @param acquired false when the lock wait ran out (the command then fails with {@link LockTimeoutException})
     * @param blocker  who held it, when it was known: pid, application, user, state and last query, as
     *                 {@link LockTimeoutException#holder()} gives it
     */
    record LockWaited(String target, Duration waited, int retries, boolean acquired, String blocker)
            implements MigrationEvent {
        @Override
        public String type() {
            return "lock_waited";
        }
    }

    /** A migration is about to run (or to be resumed). */
    record MigrationStarted(String target, String migration) implements MigrationEvent {
        @Override
        public String type() {
            return "migration_started";
        }
    }

    /**
     * A migration was applied and recorded.
     *
     * @param statements how many statements ran (for a resumed migration, those run now)
     */
    record MigrationFinished(String target, String migration, Duration duration, int statements)
            implements MigrationEvent {
        @Override
        public String type() {
            return "migration_finished";
        }
    }

    /**
     * A migration failed; the deploy stops after it.
     *
     * @param code    the error's code ({@link ErrorCode#MIGRATION_FAILED} for a failing statement)
     * @param message the exception's message, masked
     */
    record MigrationFailed(String target, String migration, Duration duration, ErrorCode code, String message)
            implements MigrationEvent {
        @Override
        public String type() {
            return "migration_failed";
        }
    }

    /**
     * A statement gave up waiting for a table lock ({@code lock_timeout}, SQLSTATE 55P03) and is about to be tried
     * again (with its transaction, if it has one) after a backoff.
     *
     * @param line        the statement's line in {@code migration.sql}
     * @param attempt     the attempt that timed out, from 1
     * @param lockTimeout how long it waited before giving up
     * @param backoff     the pause before the next attempt
     * @param blocker     the session(s) blocking it, when a look at {@code pg_blocking_pids} found them, else null
     */
    record StatementLockRetry(String target, String migration, int line, int attempt, Duration lockTimeout,
            Duration backoff, String blocker) implements MigrationEvent {
        @Override
        public String type() {
            return "statement_lock_retry";
        }
    }

    /**
     * A migration has been running longer than the slow-migration warning
     * ({@link Migrator.Builder#slowMigrationWarning(Duration)}); sent once per migration, from a timer thread,
     * while the migration goes on.
     *
     * @param running how long it had been running
     */
    record SlowMigration(String target, String migration, Duration running) implements MigrationEvent {
        @Override
        public String type() {
            return "slow_migration";
        }
    }

    /**
     * A deploy ended.
     *
     * @param applied  how many migrations this deploy applied (before the failure, if it failed)
     * @param duration the whole call, lock wait included
     * @param code     the error's code when it failed, else null
     */
    record DeployFinished(String target, Outcome outcome, int applied, Duration duration, ErrorCode code)
            implements MigrationEvent {
        @Override
        public String type() {
            return "deploy_finished";
        }
    }

    /** How a deploy ended. */
    enum Outcome {
        /** Nothing was pending. */
        UP_TO_DATE,
        /** Every pending migration was applied. */
        APPLIED,
        /** It failed; {@link DeployFinished#code()} says why. */
        FAILED
    }
}
