package dev.tidemark.internal.reset;

import dev.tidemark.ErrorCode;
import dev.tidemark.TidemarkException;
import dev.tidemark.internal.source.Checksums;
import dev.tidemark.internal.source.LocalMigration;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;

import static dev.tidemark.internal.history.HistoryTable.quote;

/**
 * The migrated state of a schema, kept in a side schema so that tests can go back to it in one round trip.
 *
 * <p>{@link #take} copies the rows the migrations left (seed rows) into the side schema, records every sequence's
 * position, and generates a PL/pgSQL function {@code restore(fingerprint)} that empties every table, puts the seed
 * rows back and repositions the sequences. Deleting rows beats {@code TRUNCATE} by two orders of magnitude on small
 * test data: {@code TRUNCATE} creates and syncs new files for every table and index, a {@code DELETE} of a few rows
 * touches a few pages. When the user may set {@code session_replication_role}, the function runs as a replica, so
 * foreign keys and user triggers do not fire and the order does not matter; otherwise it deletes children before
 * parents (and truncates tables on a foreign-key cycle).
 *
 * <p>The work is split in four: {@link ResetCatalog} reads what the schema holds, {@link SnapshotDdl} plans the
 * side schema and its seed tables, {@link RestoreFunction} generates the function (ordering its deletes and inserts
 * by {@link ForeignKeyOrder} when foreign keys fire). This class is the entry point and runs the plan in one
 * transaction.
 *
 * <p>The state is keyed by a fingerprint of the migrations (their names and checksums, the schema and the history
 * table): a different fingerprint means the state is stale.
 */
public final class FastResetState {

    private static final String SIDE_PREFIX = "_tidemark_reset_";
    /** SQLSTATE raised by the restore function when the state belongs to other migrations. */
    public static final String STALE_STATE = "TMR01";

    private FastResetState() {
    }

    /** What a snapshot holds, for the log and for tests. */
    public record Snapshot(int tables, int seededTables, int seedRows, int sequences, boolean replica) {
    }

    /** The side schema that holds the state of {@code schema}. */
    public static String sideSchema(String schema) {
        String name = SIDE_PREFIX + schema;
        if (name.getBytes(StandardCharsets.UTF_8).length <= 63) {
            return name;
        }
        return SIDE_PREFIX + Checksums.sha256(schema.getBytes(StandardCharsets.UTF_8)).substring(0, 32);
    }

    /** The combined checksum of what the migrated state depends on. */
    public static String fingerprint(String schema, String historyTable, List<LocalMigration> migrations) {
        StringBuilder text = new StringBuilder("tidemark-fast-reset-1\n").append(schema).append('\n')
                .append(historyTable).append('\n');
        for (LocalMigration migration : migrations) {
            text.append(migration.name()).append(' ').append(migration.checksum()).append('\n');
        }
        return Checksums.sha256(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The fingerprint the database's state was taken for, if there is a complete state. */
    public static Optional<String> storedFingerprint(Connection connection, String schema) {
        String side = sideSchema(schema);
        try (PreparedStatement exists = connection.prepareStatement(
                "SELECT to_regclass(?) IS NOT NULL AND to_regprocedure(?) IS NOT NULL")) {
            exists.setString(1, quote(side) + ".state");
            exists.setString(2, quote(side) + ".restore(text)");
            try (ResultSet rs = exists.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return Optional.empty();
                }
            }
            try (Statement statement = connection.createStatement();
                    ResultSet rs = statement.executeQuery("SELECT fingerprint FROM " + quote(side) + ".state")) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure("read the fast-reset state of schema " + schema, e);
        }
    }

    /**
     * Records the current content of {@code schema} as its migrated state, replacing any earlier state. Call it
     * right after the migrations ran, holding the migration lock.
     */
    public static Snapshot take(Connection connection, String schema, String historyTable, String fingerprint) {
        String side = quote(sideSchema(schema));
        try {
            ResetCatalog catalog = ResetCatalog.read(connection, schema, historyTable);
            boolean replica = ResetCatalog.maySetReplicationRole(connection);
            SnapshotDdl ddl = SnapshotDdl.plan(connection, schema, side, catalog, replica);
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                for (String sql : ddl.statements()) {
                    statement.execute(sql);
                }
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + side
                        + ".state (fingerprint, schema_name, replica) VALUES (?, ?, ?)")) {
                    insert.setString(1, fingerprint);
                    insert.setString(2, schema);
                    insert.setBoolean(3, replica);
                    insert.executeUpdate();
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
            return new Snapshot(catalog.tables().size(), ddl.seededTables(), ddl.seedRows(),
                    catalog.sequences().size(), replica);
        } catch (SQLException e) {
            throw failure("record the migrated state of schema " + schema + " for fast resets", e);
        }
    }

    /** The one statement that restores the state; its parameter is the expected fingerprint. */
    public static String restoreCall(String schema) {
        return "SELECT " + quote(sideSchema(schema)) + ".restore(?)";
    }

    /**
     * Restores the migrated state: one round trip.
     *
     * @throws TidemarkException if the state was taken for other migrations meanwhile, or is missing
     */
    public static void restore(Connection connection, String schema, String fingerprint) {
        try (PreparedStatement statement = connection.prepareStatement(restoreCall(schema))) {
            statement.setString(1, fingerprint);
            statement.execute();
        } catch (SQLException e) {
            if (STALE_STATE.equals(e.getSQLState()) || "3F000".equals(e.getSQLState())
                    || "42883".equals(e.getSQLState())) {
                throw new TidemarkException(ErrorCode.NOT_UP_TO_DATE, "The fast-reset state of schema " + schema
                        + " is missing or was prepared for other migrations (another process reset or migrated"
                        + " this database meanwhile), so it cannot be restored. Prepare the fast reset again;"
                        + " give concurrently running test suites with different migrations their own databases.",
                        e);
            }
            throw failure("restore the migrated state of schema " + schema, e);
        }
    }

    private static TidemarkException failure(String what, SQLException e) {
        return new TidemarkException(ErrorCode.DATABASE_ERROR, "Could not " + what + ": " + e.getMessage()
                + " (SQLSTATE " + e.getSQLState() + ").", e);
    }
}
