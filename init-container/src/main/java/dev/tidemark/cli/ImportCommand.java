package dev.tidemark.cli;

import dev.tidemark.HistoryImport;
import dev.tidemark.ImportPlan;
import dev.tidemark.ImportedMigration;
import dev.tidemark.Importer;
import dev.tidemark.Migrator;

import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "import", description = {
        "Converts a Flyway or Liquibase history into a Prisma migrations folder, and with --database records what"
                + " the tool applied, so that the next deploy applies nothing already applied.",
        "flyway: every V<version>__<description>.sql of --from DIR (and its subfolders), in Flyway's version order,"
                + " the SQL byte for byte. liquibase: each changeset of the formatted SQL changelog --from FILE.",
        "U and R files, ${placeholders}, Liquibase attributes Tidemark does not honour: reported, with what to do."})
final class ImportCommand extends DatabaseCommand {

    enum Tool { FLYWAY, LIQUIBASE }

    @Parameters(index = "0", paramLabel = "TOOL", description = "flyway or liquibase.")
    Tool tool;

    @Option(names = "--from", required = true, paramLabel = "PATH",
            description = "Flyway: the migrations folder (Flyway's locations). Liquibase: the formatted SQL"
                    + " changelog file.")
    Path from;

    @Option(names = "--to", paramLabel = "DIR",
            description = "The Prisma migrations folder to write (default as --migrations: " + Settings.MIGRATIONS
                    + ", else " + Settings.PRISMA_MIGRATIONS + " if it exists, else " + Settings.PLAIN_MIGRATIONS
                    + ").")
    Path to;

    @Option(names = "--database",
            description = "Also read the tool's history table from DATABASE_URL and record each migration it applied"
                    + " successfully in the history table as applied. A dry run unless --apply.")
    boolean database;

    @Option(names = "--apply", description = "With --database: write the history rows (without: only report).")
    boolean apply;

    @Option(names = "--source-table", paramLabel = "[SCHEMA.]TABLE",
            description = "The tool's history table (default flyway_schema_history or databasechangelog, in the"
                    + " target schema).")
    String sourceTable;

    @Mixin
    Options.LockWait lockWait;

    ImportCommand(CliContext context) {
        super(context);
    }

    @Override
    void configure(Migrator.Builder builder) {
        lockWait.apply(builder, this);
    }

    @Override
    String migrationsLocation() {
        return to != null ? to.toString() : migrations.location(this, false);
    }

    @Override
    int execute() {
        if (apply && !database) {
            throw usage("--apply writes history rows, which needs --database (and DATABASE_URL or --url).");
        }
        ImportPlan plan = tool == Tool.FLYWAY ? Importer.flyway(from) : Importer.liquibase(from);
        if (sourceTable != null) {
            plan = plan.withHistoryTable(sourceTable);
        }
        Path folder = Path.of(migrationsLocation());
        int written = plan.write(folder);
        StringBuilder out = new StringBuilder("Converted " + plan.migrations().size() + " "
                + plan.tool().displayName() + " migration(s) from " + from + " into " + folder + " (" + written
                + " written, " + (plan.migrations().size() - written) + " already there):");
        for (ImportedMigration m : plan.migrations()) {
            out.append("\n  ").append(m.name()).append("  <- ").append(m.origin());
        }
        list(out, "Not converted, or converted with a caveat:", plan.notices());
        if (database) {
            HistoryImport history = migrator().importHistory(plan, apply);
            out.append("\n\n").append(history.written() ? "Recorded as applied:" : apply
                    ? "Nothing to record as applied." : "Would record as applied (dry run; --apply writes):");
            for (String name : history.recorded()) {
                out.append("\n  ").append(name);
            }
            if (!history.alreadyRecorded().isEmpty()) {
                out.append("\nAlready recorded: ").append(history.alreadyRecorded().size()).append(" migration(s).");
            }
            list(out, "Not applied by " + plan.tool().displayName() + ", so the next deploy applies them:",
                    history.pending());
            list(out, "Not imported:", history.problems());
        }
        context.print(out.toString());
        return ExitCodes.SUCCESS;
    }

    private static void list(StringBuilder out, String heading, List<String> items) {
        if (items.isEmpty()) {
            return;
        }
        out.append("\n\n").append(heading);
        for (String item : items) {
            out.append("\n  - ").append(item);
        }
    }
}
