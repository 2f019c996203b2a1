package dev.tidemark.internal.history;

import dev.tidemark.ErrorCode;
import dev.tidemark.TidemarkException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The migration history table, in Prisma Migrate's exact layout so that Prisma's CLI and Tidemark can take turns on
 * one database.
 */
public final class HistoryTable {

    private static final Logger log = LoggerFactory.getLogger("dev.tidemark");

    public static final String DEFAULT_NAME = "_prisma_migrations";

    private final String schema;
    private final String table;
    private final String qualifiedName;

    public HistoryTable(String schema, String table) {
        this.schema = schema;
        this.table = table;
        this.qualifiedName = quote(schema) + "." + quote(table);
    }

    /** The table's name, unqualified and unquoted. */
    public String table() {
        return table;
    }

    public String qualifiedName() {
        return qualifiedName;
    }

    /**
     * Reads every row, oldest first; empty when the table does not exist yet. This is the one history read of a
     * deploy: a missing table is detected by the read failing, not by a separate catalog query.
     */
    public Optional<List<HistoryRow>> read(Connection connection) {
        String sql = "SELECT id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at,"
                + " applied_steps_count FROM " + qualifiedName + " ORDER BY started_at, migration_name";
        boolean autoCommit = autoCommit(connection);
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            List<HistoryRow> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(new HistoryRow(rs.getString(1), rs.getString(2), instant(rs, 3), rs.getString(4),
                        rs.getString(5), instant(rs, 6), instant(rs, 7), rs.getInt(8)));
            }
            return Optional.of(rows);
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState()) || "3F000".equals(e.getSQLState())) {
                if (!autoCommit) {
                    rollbackQuietly(connection);
                }
                return Optional.empty();
            }
            throw failure("read the migration history from " + qualifiedName, e);
        }
    }

    /** {@link #read}, creating the table (and the schema) when it does not exist yet: the first deploy's read. */
    public List<HistoryRow> readOrCreate(Connection connection, String database) {
        Optional<List<HistoryRow>> rows = read(connection);
        if (rows.isPresent()) {
            return rows.get();
        }
        create(connection);
        log.info("Created the history table {} in {}", qualifiedName, database);
        return List.of();
    }

    /** Creates the schema if needed and the table with Prisma's DDL. */
    public void create(Connection connection) {
        try (Statement statement = connection.createStatement()) {
            // CREATE SCHEMA IF NOT EXISTS checks the CREATE privilege even when the schema exists, so look first.
            boolean schemaExists;
            try (PreparedStatement find = connection.prepareStatement(
                    "SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = ?")) {
                find.setString(1, schema);
                try (ResultSet rs = find.executeQuery()) {
                    schemaExists = rs.next();
                }
            }
            if (!schemaExists) {
                statement.execute("CREATE SCHEMA IF NOT EXISTS " + quote(schema));
            }
            statement.execute("CREATE TABLE IF NOT EXISTS " + qualifiedName + " (\n"
                    + "    \"id\"                    VARCHAR(36) PRIMARY KEY NOT NULL,\n"
                    + "    \"checksum\"              VARCHAR(64) NOT NULL,\n"
                    + "    \"finished_at\"           TIMESTAMPTZ,\n"
                    + "    \"migration_name\"        VARCHAR(255) NOT NULL,\n"
                    + "    \"logs\"                  TEXT,\n"
                    + "    \"rolled_back_at\"        TIMESTAMPTZ,\n"
                    + "    \"started_at\"            TIMESTAMPTZ NOT NULL DEFAULT now(),\n"
                    + "    \"applied_steps_count\"   INTEGER NOT NULL DEFAULT 0\n"
                    + ")");
        } catch (SQLException e) {
            throw failure("create the history table " + qualifiedName, e);
        }
    }

    /** Records that a migration started; returns the new row's id. */
    public String start(Connection connection, String migrationName, String checksum) {
        String id = UUID.randomUUID().toString();
        update(connection, "record the start of " + migrationName,
                "INSERT INTO " + qualifiedName + " (id, checksum, migration_name, started_at, applied_steps_count)"
                        + " VALUES (?, ?, ?, now(), 0)", id, checksum, migrationName);
        return id;
    }

    /**
     * Marks a row finished. Inside the migration's own transaction this commits with the migration, so a migration
     * can never be applied without being recorded. {@code clock_timestamp()}, because {@code now()} would be the
     * transaction's start.
     */
    public void finish(Connection connection, String id, int steps) {
        update(connection, "record the end of a migration", "UPDATE " + qualifiedName
                + " SET finished_at = clock_timestamp(), applied_steps_count = ? WHERE id = ?", steps, id);
    }

    /**
     * Records a migration that ran in a transaction, as the last statement of that transaction: one row, as Prisma
     * leaves it once a migration finished. {@code started_at} is the transaction's start ({@code now()}).
     */
    public void recordApplied(Connection connection, String migrationName, String checksum, int steps) {
        update(connection, "record " + migrationName + " as applied", "INSERT INTO " + qualifiedName
                + " (id, checksum, migration_name, started_at, finished_at, applied_steps_count)"
                + " VALUES (?, ?, ?, now(), clock_timestamp(), ?)", UUID.randomUUID().toString(), checksum,
                migrationName, steps);
    }

    /**
     * {@link #recordApplied} as one statement with its values written in, to be sent in a batch with the migration
     * (see {@code internal.sql.Flight}).
     */
    public String recordAppliedSql(String migrationName, String checksum, int steps) {
        return "INSERT INTO " + qualifiedName + " (id, checksum, migration_name, started_at, finished_at,"
                + " applied_steps_count) VALUES (" + literal(UUID.randomUUID().toString()) + ", " + literal(checksum)
                + ", " + literal(migrationName) + ", now(), clock_timestamp(), " + steps + ")";
    }

    /**
     * Records a transactional migration that failed and was rolled back, as Prisma leaves a failed migration: a row
     * with its logs and neither {@code finished_at} nor {@code rolled_back_at}.
     */
    public void recordFailed(Connection connection, String migrationName, String checksum, String logs) {
        update(connection, "record the failure of " + migrationName, "INSERT INTO " + qualifiedName
                + " (id, checksum, migration_name, logs, started_at, applied_steps_count)"
                + " VALUES (?, ?, ?, ?, now(), 0)", UUID.randomUUID().toString(), checksum, migrationName, logs);
    }

    public void progress(Connection connection, String id, int steps) {
        update(connection, "record a migration's progress", "UPDATE " + qualifiedName
                + " SET applied_steps_count = ? WHERE id = ?", steps, id);
    }

    public void fail(Connection connection, String id, int steps, String logs) {
        update(connection, "record a failed migration", "UPDATE " + qualifiedName
                + " SET logs = ?, applied_steps_count = ? WHERE id = ?", logs, steps, id);
    }

    /** Appends a line to a row's {@code logs}, as a trace of what Tidemark did to it (a resume). */
    public void note(Connection connection, String id, String line) {
        update(connection, "note on a migration's row", "UPDATE " + qualifiedName
                + " SET logs = coalesce(logs || E'\\n', '') || ? WHERE id = ?", line, id);
    }

    /** Prisma's {@code migrate resolve --rolled-back}: marks the failed rows of a migration rolled back. */
    public int markRolledBack(Connection connection, String migrationName) {
        return update(connection, "resolve " + migrationName + " as rolled back", "UPDATE " + qualifiedName
                + " SET rolled_back_at = now() WHERE migration_name = ? AND finished_at IS NULL"
                + " AND rolled_back_at IS NULL", migrationName);
    }

    /**
     * Marks an applied migration's row rolled back after its down script ran, so that Prisma and Tidemark both count
     * the migration as not applied and the next deploy applies it again. The row stays, with a note in its logs.
     */
    public void rollBack(Connection connection, String id, String downFile) {
        update(connection, "record a rollback", "UPDATE " + qualifiedName + " SET rolled_back_at = clock_timestamp(),"
                + " logs = coalesce(logs || E'\\n', '') || ? WHERE id = ?", "Rolled back by Tidemark with " + downFile
                + ".", id);
    }

    /** {@link #rollBack} as one statement with its values written in, to be sent in a batch with the down script. */
    public String rollBackSql(String id, String downFile) {
        return "UPDATE " + qualifiedName + " SET rolled_back_at = clock_timestamp(), logs = coalesce(logs || E'\\n',"
                + " '') || " + literal("Rolled back by Tidemark with " + downFile + ".") + " WHERE id = " + literal(id);
    }

    /** A string literal that means the same whatever standard_conforming_strings says. */
    private static String literal(String value) {
        return "E'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    /** Prisma's {@code migrate resolve --applied}: a finished row with empty logs and zero steps. */
    public void insertApplied(Connection connection, String migrationName, String checksum) {
        update(connection, "resolve " + migrationName + " as applied", "INSERT INTO " + qualifiedName
                + " (id, checksum, migration_name, logs, started_at, finished_at, applied_steps_count)"
                + " VALUES (?, ?, ?, '', now(), now(), 0)", UUID.randomUUID().toString(), checksum, migrationName);
    }

    private int update(Connection connection, String what, String sql, Object... args) {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                statement.setObject(i + 1, args[i]);
            }
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw failure(what + " in " + qualifiedName, e);
        }
    }

    private static TidemarkException failure(String what, SQLException e) {
        String state = e.getSQLState();
        // A lost or terminated connection says nothing about privileges: advising to check them would mislead.
        boolean connection = state == null || state.startsWith("08") || state.startsWith("57P");
        return new TidemarkException(ErrorCode.DATABASE_ERROR, "Could not " + what + ": " + e.getMessage()
                + " (SQLSTATE " + state + "). " + (connection ? "The connection was lost or ended by the server;"
                        + " nothing needs fixing in the migrations: deploy again (an interrupted migration resumes)."
                        : "Check that the migration user may create and write tables in the target schema."), e);
    }

    private static boolean autoCommit(Connection connection) {
        try {
            return connection.getAutoCommit();
        } catch (SQLException e) {
            return true;
        }
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the read failed already; the caller decides what to do next
        }
    }

    /**
     * A timestamptz column as an instant, read by {@link TimestampText} from the bytes pgjdbc received (its getBytes
     * gives a text column's wire bytes; TimestampTextTests fails if a driver upgrade changes that). The driver converts
     * the forms TimestampText leaves to it (years beyond 9999, BC, infinity, and a binary value if a URL forces binary
     * transfer). As OffsetDateTime, not Timestamp: pgjdbc builds a Timestamp through the JVM's default calendar.
     */
    private static Instant instant(ResultSet rs, int column) throws SQLException {
        byte[] text = rs.getBytes(column);
        if (text == null) {
            return null;
        }
        Instant value = TimestampText.parse(text);
        return value != null ? value : rs.getObject(column, OffsetDateTime.class).toInstant();
    }

    /** Quotes an identifier for PostgreSQL. */
    public static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
