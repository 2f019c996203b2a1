package dev.tidemark;

import dev.tidemark.internal.reset.FastResetState;
import dev.tidemark.internal.source.LocalMigration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

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

    private static final Logger log = LoggerFactory.getLogger("dev.tidemark");

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
        Objects.requireNonNull(migrator, "migrator");
        migrator.requireResetAllowed("fast reset");
        long start = System.nanoTime();
        List<LocalMigration> local = migrator.scan();
        String schema = migrator.schema();
        String target = migrator.target();
        String fingerprint = migrator.seeded(FastResetState.fingerprint(schema, migrator.historyTableName(), local));
        return migrator.locked(session -> {
            Optional<String> stored = FastResetState.storedFingerprint(session.connection(), schema);
            if (stored.isPresent() && stored.get().equals(fingerprint)) {
                log.info("Fast reset of {} reuses the migrated state recorded for these migrations", target);
                return new FastReset(migrator, fingerprint, false);
            }
            log.info("Fast reset of {}: {}; resetting the schema and deploying", target, stored.isPresent()
                    ? "the recorded state is stale (the migrations changed)" : "no migrated state is recorded");
            migrator.reported(start, () -> migrator.resetLocked(session, local, start));
            FastResetState.Snapshot snapshot = FastResetState.take(session.connection(), schema,
                    migrator.historyTableName(), fingerprint);
            log.info("Recorded the migrated state of {} for fast resets: {} table(s), {} seed row(s) in {}"
                    + " table(s), {} sequence(s){} ({} ms)", target, snapshot.tables(), snapshot.seedRows(),
                    snapshot.seededTables(), snapshot.sequences(), snapshot.replica() ? ""
                            : "; without permission to set session_replication_role, so rows are deleted"
                            + " children first and triggers are switched off table by table",
                    Duration.ofNanos(System.nanoTime() - start).toMillis());
            return new FastReset(migrator, fingerprint, true);
        });
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
