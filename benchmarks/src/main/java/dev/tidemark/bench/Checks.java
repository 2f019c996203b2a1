package dev.tidemark.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Checks, outside the timed part, that a tool really did the work it was timed on. */
public final class Checks {

    private Checks() {
    }

    /** The tool's history table records exactly {@code expected} applied migrations. */
    public static void applied(Server.Target db, Tool tool, int expected) {
        long rows = count(db, "SELECT count(*) FROM public." + tool.historyTable() + where(tool));
        if (rows != expected) {
            throw new IllegalStateException(tool.label() + " recorded " + rows + " applied migrations in " + db.name()
                    + ", expected " + expected);
        }
    }

    /** {@code table} holds {@code expected} rows. */
    public static void rows(Server.Target db, String table, long expected) {
        long rows = count(db, "SELECT count(*) FROM public." + table);
        if (rows != expected) {
            throw new IllegalStateException(table + " in " + db.name() + " holds " + rows + " rows, expected "
                    + expected);
        }
    }

    /** Fills each table with {@code perTable} rows, as a test suite leaves them. */
    public static void fill(Server.Target db, Corpus corpus, int perTable) {
        StringBuilder sql = new StringBuilder();
        for (String table : corpus.tables()) {
            sql.append("INSERT INTO ").append(table).append(" SELECT g, 'row ' || g FROM generate_series(1, ")
                    .append(perTable).append(") g;\n");
        }
        execute(db, sql.toString());
    }

    private static String where(Tool tool) {
        return switch (tool) {
            case TIDEMARK, FLOOR -> " WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL";
            case FLYWAY -> " WHERE success AND version IS NOT NULL";
            case LIQUIBASE -> "";
        };
    }

    private static long count(Server.Target db, String sql) {
        try (Connection c = Server.connect(db.jdbcUrl()); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed in " + db.name() + ": " + e.getMessage(), e);
        }
    }

    private static void execute(Server.Target db, String sql) {
        try (Connection c = Server.connect(db.jdbcUrl()); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not prepare " + db.name() + ": " + e.getMessage(), e);
        }
    }
}
