package dev.tidemark;

import dev.tidemark.internal.reset.FastResetState;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;

/**
 * Puts a migrated schema back into its freshly migrated state in one round trip, for resetting between tests.
 *
 * <pre>{@code
 * Migrator migrator = Migrator.builder().url(testUrl).allowReset(true).build();
 * FastReset reset = FastReset.prepare(migrator);   // once: migrates and records the migrated state
 * ...
 * reset.restore();                                 // before each test: a few milliseconds
 * }</pre>
 *
 * <p>{@link #prepare(Migrator)} records, in a side schema {@code _tidemark_reset_<schema>}, the rows the migrations
 * themselves inserted (seed rows) and the position of every sequence, keyed by a fingerprint of the migrations. It
 * reuses a state recorded earlier (by another test JVM, or a template the database was cloned from) when the
 * fingerprint matches; when the migrations changed, or no state exists, it resets the schema ({@link Migrator#reset()})
 * and deploys first. {@link #restore()} then deletes every row of every table (the history table excepted), inserts
 * the seed rows again and repositions the sequences; it does not undo changes to the schema itself.
 *
 * <p>Like {@link Migrator#reset()} this deletes all data, so the Migrator must allow resets. Restores of one database
 * are serialised by the migration lock; tests running at the same time need a database each.
 *
 * @since 0.1
 */
public final class FastReset {

    private final Migrator migrator;
    private final String fingerprint;
    private final boolean recorded;

    FastReset(Migrator migrator, String fingerprint, boolean recorded) {
        this.migrator = migrator;
        this.fingerprint = fingerprint;
        this.recorded = recorded;
    }

    /**
     * Migrates the database if needed and records its migrated state, or reuses the state recorded for exactly
     * these migrations. Takes the migration lock, so concurrent test JVMs preparing one database wait for each other.
     *
     * @throws TidemarkException with {@link ErrorCode#RESET_REFUSED} when the migrator does not allow resets, or as
     *                           {@link Migrator#deploy()}
     */
    public static FastReset prepare(Migrator migrator) {
        return Objects.requireNonNull(migrator, "migrator").prepareFastReset();
    }

    /** Restores the migrated state on a connection of its own. */
    public void restore() {
        try (Connection connection = migrator.connectForReset()) {
            restore(connection);
        } catch (SQLException e) {
            throw new TidemarkException(ErrorCode.DATABASE_ERROR, "Could not close the connection after a fast"
                    + " reset: " + e.getMessage(), e);
        }
    }

    /**
     * Restores the migrated state on the given connection, in one statement; commits it if the connection is not in
     * auto-commit mode. Reusing one connection saves the cost of connecting (a few milliseconds) on every reset.
     *
     * @throws TidemarkException with {@link ErrorCode#NOT_UP_TO_DATE} if another process prepared the database for
     *                           other migrations meanwhile
     */
    public void restore(Connection connection) {
        try {
            FastResetState.restore(connection, migrator.schema(), fingerprint);
        } catch (TidemarkException e) {
            rollbackQuietly(connection);
            throw e;
        }
        try {
            if (!connection.getAutoCommit()) {
                connection.commit();
            }
        } catch (SQLException e) {
            throw new TidemarkException(ErrorCode.DATABASE_ERROR, "Could not commit a fast reset: "
                    + e.getMessage(), e);
        }
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            if (!connection.getAutoCommit()) {
                connection.rollback();
            }
        } catch (SQLException ignored) {
            // the restore's own failure is the one to report
        }
    }

    /** The SQL statement that restores the state, with one parameter: {@link #fingerprint()}; for other tools. */
    public String restoreStatement() {
        return FastResetState.restoreCall(migrator.schema());
    }

    /** The combined checksum of the migrations (with the schema and history table) the state belongs to. */
    public String fingerprint() {
        return fingerprint;
    }

    /** Whether {@link #prepare} had to migrate and record the state, rather than reuse a recorded one. */
    public boolean recorded() {
        return recorded;
    }
}
