package dev.tidemark.internal.lint;

import dev.tidemark.ErrorCode;
import dev.tidemark.LintReport;
import dev.tidemark.MigrationInfo;
import dev.tidemark.TidemarkException;
import dev.tidemark.internal.source.LocalMigration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Lints the pending migrations of a database: the applied ones are read for state, then the target's catalog (read
 * only: {@code pg_class}, {@code pg_attribute}, {@code pg_enum}) says which tables exist, their columns' types and
 * whether they may hold rows ({@code reltuples}).
 */
public final class TargetLint {

    private TargetLint() {
    }

    /** The pending migrations of {@code infos} (in {@code local}'s order) linted; reads the catalog if {@code connection}. */
    public static LintReport lint(Connection connection, String schema, List<LocalMigration> local,
            List<MigrationInfo> infos, Predicate<MigrationInfo> pending, Set<String> rules, int pgVersion) {
        List<LocalMigration> applied = new ArrayList<>();
        List<LocalMigration> toLint = new ArrayList<>();
        for (int i = 0; i < local.size(); i++) {
            (pending.test(infos.get(i)) ? toLint : applied).add(local.get(i));
        }
        LintEngine engine = new LintEngine(rules, pgVersion);
        applied.forEach(engine::learn);
        if (connection != null) {
            readCatalog(connection, schema, engine);
        }
        engine.lintDeploy(toLint);
        return engine.report();
    }

    private static void readCatalog(Connection connection, String schema, LintEngine engine) {
        String tables = "SELECT c.relname, c.reltuples::float8, a.attname, format_type(a.atttypid, a.atttypmod)"
                + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped"
                + " WHERE n.nspname = ? AND c.relkind IN ('r', 'p') ORDER BY c.relname, a.attnum";
        String enums = "SELECT t.typname, e.enumlabel FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid"
                + " JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = ? ORDER BY t.typname,"
                + " e.enumsortorder";
        try {
            Map<String, List<String[]>> columns = new HashMap<>();
            try (PreparedStatement s = connection.prepareStatement(tables)) {
                s.setString(1, schema);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        String table = rs.getString(1);
                        if (!columns.containsKey(table)) {
                            columns.put(table, new ArrayList<>());
                            engine.catalogTable(table, rs.getDouble(2));
                        }
                        if (rs.getString(3) != null) {
                            engine.catalogColumn(table, rs.getString(3), rs.getString(4));
                        }
                    }
                }
            }
            try (PreparedStatement s = connection.prepareStatement(enums)) {
                s.setString(1, schema);
                Map<String, List<String>> values = new HashMap<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        values.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
                    }
                }
                values.forEach(engine::catalogEnum);
            }
        } catch (SQLException e) {
            throw new TidemarkException(ErrorCode.DATABASE_ERROR, "Could not read the catalog of schema " + schema
                    + " for lint: " + e.getMessage(), e);
        }
    }
}
