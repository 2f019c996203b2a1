package dev.tidemark;

import dev.tidemark.internal.importer.MigrationWriter;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A Flyway or Liquibase history converted to Prisma Migrate's layout by {@link Importer}, not written yet.
 *
 * <p>{@link #write(Path)} writes it as a migrations folder; {@link Migrator#importHistory(ImportPlan, boolean)} then
 * records what the tool had applied to a database, so that the next deploy applies nothing already applied.
 *
 * @param tool         the tool the history came from
 * @param source       the Flyway folder or Liquibase changelog it was read from
 * @param migrations   the converted migrations, in the order the tool applies them
 * @param notices      what was not converted, or converted with a caveat, each with what to do; potentially empty
 * @param historyTable the tool's history table in the database: {@code flyway_schema_history} or
 *                     {@code databasechangelog} unless changed with {@link #withHistoryTable(String)}; optionally
 *                     {@code schema.table}, else in the Migrator's schema
 * @since 0.1
 */
public record ImportPlan(Tool tool, String source, List<ImportedMigration> migrations, List<String> notices,
        String historyTable) {

    /** The tool a history came from. */
    public enum Tool {
        FLYWAY("Flyway", "flyway_schema_history"),
        LIQUIBASE("Liquibase", "databasechangelog");

        private final String displayName;
        private final String defaultHistoryTable;

        Tool(String displayName, String defaultHistoryTable) {
            this.displayName = displayName;
            this.defaultHistoryTable = defaultHistoryTable;
        }

        /** {@code Flyway} or {@code Liquibase}. */
        public String displayName() {
            return displayName;
        }

        /** The history table the tool creates by default. */
        public String defaultHistoryTable() {
            return defaultHistoryTable;
        }
    }

    public ImportPlan {
        Objects.requireNonNull(tool, "tool");
        migrations = List.copyOf(migrations);
        notices = List.copyOf(notices);
        if (historyTable == null || historyTable.isBlank()) {
            historyTable = tool.defaultHistoryTable();
        }
    }

    /** This plan reading the tool's history from another table ({@code table} or {@code schema.table}). */
    public ImportPlan withHistoryTable(String table) {
        return new ImportPlan(tool, source, migrations, notices, table);
    }

    /**
     * Writes each migration as {@code <folder>/<name>/migration.sql}, and {@code migration_lock.toml} if missing.
     * A directory that already holds exactly the same {@code migration.sql} is left as it is, so importing again is
     * harmless.
     *
     * @return how many migrations were written (not counting those already there)
     * @throws TidemarkException with {@link ErrorCode#IMPORT_INVALID} if a directory already holds a different file,
     *                           or the folder cannot be written
     */
    public int write(Path folder) {
        Objects.requireNonNull(folder, "folder");
        return MigrationWriter.write(folder, migrations);
    }
}
