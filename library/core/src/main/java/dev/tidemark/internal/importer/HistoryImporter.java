package dev.tidemark.internal.importer;

import dev.tidemark.ErrorCode;
import dev.tidemark.HistoryImport;
import dev.tidemark.ImportPlan;
import dev.tidemark.ImportedMigration;
import dev.tidemark.TidemarkException;
import dev.tidemark.internal.history.HistoryRow;
import dev.tidemark.internal.history.HistoryTable;
import dev.tidemark.internal.source.LocalMigration;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Records in {@code _prisma_migrations} what Flyway or Liquibase applied, read from their history table, as
 * {@code resolve --applied} would one by one: a finished row with the converted file's checksum. Runs on a connection
 * that holds the migration lock; a dry run only reads.
 */
public final class HistoryImporter {

    private HistoryImporter() {
    }

    /** What the tool's history says about one migration. */
    private enum State { APPLIED, FAILED }

    /** One version or changeset, as the tool's history leaves it. */
    private record Entry(String key, String label, State state, Integer flywayChecksum, String when) {
    }

    public static HistoryImport run(Connection connection, HistoryTable history, String schema,
            List<LocalMigration> local, ImportPlan plan, boolean apply) {
        String table = qualified(plan.historyTable(), schema);
        Map<String, Entry> entries = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        String baseline = plan.tool() == ImportPlan.Tool.FLYWAY
                ? readFlyway(connection, table, entries, problems)
                : readLiquibase(connection, table, entries, problems);

        Map<String, LocalMigration> files = local.stream()
                .collect(Collectors.toMap(LocalMigration::name, m -> m, (a, b) -> a));
        Set<String> recordedInPrisma = history.read(connection).orElse(List.of()).stream()
                .filter(HistoryRow::isApplied).map(HistoryRow::migrationName).collect(Collectors.toSet());

        List<ImportedMigration> toRecord = new ArrayList<>();
        List<String> already = new ArrayList<>();
        List<String> pending = new ArrayList<>();
        Map<String, ImportedMigration> byKey = new HashMap<>();
        for (ImportedMigration m : plan.migrations()) {
            String key = key(plan.tool(), m.version());
            byKey.put(key, m);
            Entry entry = entries.get(key);
            boolean belowBaseline = entry == null && baseline != null
                    && FlywayVersion.parse(m.version()).compareTo(FlywayVersion.parse(baseline)) <= 0;
            if (entry != null && entry.state() == State.FAILED) {
                problems.add(m.origin() + " failed when " + plan.tool().displayName() + " ran it" + entry.when()
                        + ", so it is not recorded: its changes may be partly applied. Complete or undo them by hand,"
                        + " then run 'tidemark resolve --applied " + m.name() + "' if completed, or let 'tidemark"
                        + " deploy' run it if undone.");
                continue;
            }
            if (entry == null && !belowBaseline) {
                pending.add(m.name());
                continue;
            }
            if (recordedInPrisma.contains(m.name())) {
                already.add(m.name());
                continue;
            }
            LocalMigration file = files.get(m.name());
            if (file == null || !file.matches(m.checksum())) {
                throw new TidemarkException(ErrorCode.IMPORT_INVALID, "The migrations folder does not hold "
                        + m.name() + "/migration.sql as converted from " + m.origin() + (file == null ? ""
                                : " (it was changed since)") + ". Write the converted migrations first (tidemark"
                        + " import without --database, or ImportPlan.write) into the folder this Migrator reads, then"
                        + " import the history.");
            }
            if (entry != null && entry.flywayChecksum() != null
                    && entry.flywayChecksum() != FlywayFolder.checksum(m.script())) {
                problems.add(m.origin() + " changed since Flyway applied it (Flyway's checksum " + entry.flywayChecksum()
                        + ", the file's " + FlywayFolder.checksum(m.script()) + "). It is recorded as applied with the"
                        + " file as it is now; check that the database has what the file says, and put any"
                        + " difference into a new migration.");
            }
            if (belowBaseline) {
                problems.add(m.origin() + " is at or below Flyway's baseline " + baseline + ", so Flyway never ran"
                        + " it on this database; it is recorded as applied, as Flyway treats it.");
            }
            toRecord.add(m);
        }
        entries.forEach((key, entry) -> {
            if (entry.state() == State.APPLIED && !byKey.containsKey(key)) {
                problems.add(plan.tool().displayName() + " applied " + entry.label() + ", which has no converted"
                        + " migration: nothing is recorded for it. If its file was deleted on purpose, ignore this;"
                        + " otherwise restore the file and import again.");
            }
        });
        if (apply && !toRecord.isEmpty()) {
            write(connection, history, toRecord);
        }
        return new HistoryImport(apply && !toRecord.isEmpty(),
                toRecord.stream().map(ImportedMigration::name).toList(), already, pending, problems);
    }

    private static void write(Connection connection, HistoryTable history, List<ImportedMigration> migrations) {
        boolean exists = history.read(connection).isPresent();
        try {
            connection.setAutoCommit(false);
            try {
                if (!exists) {
                    history.create(connection);
                }
                for (ImportedMigration m : migrations) {
                    history.markRolledBack(connection, m.name());
                    history.insertApplied(connection, m.name(), m.checksum());
                }
                connection.commit();
            } catch (RuntimeException | SQLException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new TidemarkException(ErrorCode.DATABASE_ERROR, "Could not record the imported migrations in "
                    + history.qualifiedName() + ": " + e.getMessage() + " (SQLSTATE " + e.getSQLState() + ")."
                    + " Nothing was recorded; check that the user may write that table, and import again.", e);
        }
    }

    /** Reads {@code flyway_schema_history}; returns the baseline version, if any. */
    private static String readFlyway(Connection connection, String table, Map<String, Entry> entries,
            List<String> problems) {
        String baseline = null;
        String sql = "SELECT version, description, type, script, checksum, success, installed_on::text"
                + " FROM " + table + " ORDER BY installed_rank";
        try (Statement s = connection.createStatement(); ResultSet rs = query(s, sql, table, "Flyway")) {
            while (rs.next()) {
                String version = rs.getString(1);
                String type = rs.getString(3).toUpperCase(Locale.ROOT);
                String script = rs.getString(4);
                Integer checksum = (Integer) rs.getObject(5);
                boolean success = rs.getBoolean(6);
                String when = " on " + rs.getString(7);
                if (version == null) {
                    if (type.equals("SQL") && success) {
                        problems.add("Flyway applied the repeatable migration " + script + ", which is not"
                                + " imported: Tidemark has no repeatable migrations.");
                    }
                    continue;
                }
                String key = FlywayVersion.parse(version).parts().toString();
                String label = "version " + version + " (" + script + ")";
                if (type.equals("BASELINE") || type.equals("SQL_BASELINE")) {
                    baseline = version;
                } else if (type.equals("SCHEMA")) {
                    continue;
                } else if (type.equals("DELETE") || type.startsWith("UNDO")) {
                    if (success) {
                        entries.remove(key);
                    }
                } else {
                    entries.put(key, new Entry(key, label, success ? State.APPLIED : State.FAILED,
                            type.equals("SQL") ? checksum : null, when));
                }
            }
        } catch (SQLException e) {
            throw readFailed(table, e);
        }
        return baseline;
    }

    private static String readLiquibase(Connection connection, String table, Map<String, Entry> entries,
            List<String> problems) {
        String sql = "SELECT id, author, filename, exectype, dateexecuted::text FROM " + table
                + " ORDER BY orderexecuted, dateexecuted";
        try (Statement s = connection.createStatement(); ResultSet rs = query(s, sql, table, "Liquibase")) {
            while (rs.next()) {
                String key = rs.getString(1) + "::" + rs.getString(2);
                String label = "changeset " + key + " of " + rs.getString(3);
                String type = rs.getString(4) == null ? "" : rs.getString(4).toUpperCase(Locale.ROOT);
                String when = " on " + rs.getString(5);
                switch (type) {
                    case "EXECUTED", "RERAN", "MARK_RAN" -> entries.put(key, new Entry(key, label, State.APPLIED,
                            null, when));
                    case "FAILED" -> entries.put(key, new Entry(key, label, State.FAILED, null, when));
                    default -> problems.add("Liquibase recorded " + label + " as " + type + "; it is not recorded"
                            + " as applied, so the next deploy runs it.");
                }
            }
        } catch (SQLException e) {
            throw readFailed(table, e);
        }
        return null;
    }

    private static ResultSet query(Statement statement, String sql, String table, String tool) throws SQLException {
        try {
            return statement.executeQuery(sql);
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState()) || "3F000".equals(e.getSQLState())) {
                throw new TidemarkException(ErrorCode.IMPORT_INVALID, "There is no " + tool + " history table "
                        + table + " in this database, so there is nothing to import from it. Name the table"
                        + " (and schema) " + tool + " used, or import the files without the database.", e);
            }
            throw e;
        }
    }

    private static TidemarkException readFailed(String table, SQLException e) {
        return new TidemarkException(ErrorCode.DATABASE_ERROR, "Could not read " + table + ": " + e.getMessage()
                + " (SQLSTATE " + e.getSQLState() + "). Check that it is the tool's history table and that the"
                + " user may read it.", e);
    }

    private static String key(ImportPlan.Tool tool, String version) {
        return tool == ImportPlan.Tool.FLYWAY ? FlywayVersion.parse(version).parts().toString() : version;
    }

    private static String qualified(String table, String schema) {
        int dot = table.indexOf('.');
        return dot < 0 ? HistoryTable.quote(schema) + "." + HistoryTable.quote(table)
                : HistoryTable.quote(table.substring(0, dot)) + "." + HistoryTable.quote(table.substring(dot + 1));
    }

}
