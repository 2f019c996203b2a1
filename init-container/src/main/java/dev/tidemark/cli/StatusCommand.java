package dev.tidemark.cli;

import dev.tidemark.MigrationInfo;
import dev.tidemark.MigrationState;
import dev.tidemark.MigrationStatus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "status", description = {
        "Compares the migrations folder with the database's history; changes nothing and takes no lock.",
        "Lists only the migrations that are not applied and unchanged. Exits 0 whatever it finds, unless"
                + " --exit-code is given."})
final class StatusCommand extends DatabaseCommand {

    @Mixin
    Options.Output output;

    @Option(names = "--exit-code",
            description = "Exit with code 3 when migrations are pending or failed (with --strict, also when an"
                    + " applied migration was modified or is missing from the folder), for CI gates and readiness"
                    + " checks.")
    boolean exitCode;

    @Option(names = "--strict", negatable = true,
            description = "Count modified and locally missing migrations as not up to date for --exit-code (env "
                    + Settings.STRICT + "; default off: reported as warnings only).")
    Boolean strict;

    @Mixin
    FleetOptions fleet;

    StatusCommand(CliContext context) {
        super(context);
    }

    @Override
    boolean jsonOutput() {
        return output.json();
    }

    @Override
    int execute() {
        if (fleet.active()) {
            return fleet.run(this, false, jsonOutput(), b -> { });
        }
        MigrationStatus status = migrator().status();
        if (jsonOutput()) {
            List<Json> migrations = new ArrayList<>();
            for (MigrationInfo info : status.migrations()) {
                migrations.add(Json.object()
                        .field("name", info.name())
                        .field("state", info.state().name())
                        .field("checksum", info.checksum())
                        .field("appliedChecksum", info.appliedChecksum())
                        .field("startedAt", info.startedAt())
                        .field("finishedAt", info.finishedAt())
                        .field("durationMillis", info.startedAt() != null && info.finishedAt() != null
                                ? Duration.between(info.startedAt(), info.finishedAt()).toMillis() : null)
                        .field("appliedStepsCount", info.appliedStepsCount())
                        .field("rolledBackAt", info.rolledBackAt())
                        .field("logs", info.logs()));
            }
            context.print(Json.object()
                    .field("command", "status")
                    .field("success", true)
                    .field("upToDate", status.upToDate())
                    .field("hasWarnings", status.hasWarnings())
                    .field("historyTableFound", status.historyTableFound())
                    .strings("pending", names(status.pending()))
                    .strings("failed", names(status.failed()))
                    .strings("modified", names(status.modified()))
                    .strings("missingLocally", names(status.missingLocally()))
                    .objects("migrations", migrations)
                    .toString());
        } else {
            printText(status);
        }
        boolean notUpToDate = !status.upToDate() || (bool(strict, Settings.STRICT) && status.hasWarnings());
        return exitCode && notUpToDate ? ExitCodes.NOT_UP_TO_DATE : ExitCodes.SUCCESS;
    }

    /** As Prisma's 'migrate status': short when all is well, and only what needs attention otherwise. */
    private void printText(MigrationStatus status) {
        int local = (int) status.migrations().stream().filter(m -> m.state() != MigrationState.MISSING_LOCALLY)
                .count();
        StringBuilder text = new StringBuilder()
                .append("Database: ").append(describeDatabase()).append('\n')
                .append(local == 1 ? "1 migration" : local + " migrations").append(" found in ")
                .append(migrationsLocation()).append('\n');
        if (!status.historyTableFound()) {
            text.append("The database has no migration history yet.\n");
        }
        List<String> pending = new ArrayList<>();
        for (MigrationInfo info : status.pending()) {
            pending.add(info.name() + (info.state() != MigrationState.ROLLED_BACK ? ""
                    : info.finishedAt() != null
                            ? "  (rolled back at " + info.rolledBackAt() + ": the next deploy applies it again)"
                            : "  (rolled back after a failure: the next deploy runs it again)"));
        }
        List<String> failed = new ArrayList<>();
        for (MigrationInfo info : status.failed()) {
            failed.add(info.name() + (info.logs() == null || info.logs().isBlank() ? ""
                    : "  (" + firstLine(info.logs()) + ")"));
        }
        List<String> modified = new ArrayList<>();
        for (MigrationInfo info : status.modified()) {
            modified.add(info.name() + "  (recorded checksum " + info.appliedChecksum() + ", file checksum "
                    + info.checksum() + ")");
        }
        section(text, "Following migration(s) have failed:", failed);
        section(text, "Following migration(s) have not yet been applied:", pending);
        section(text, "Warning: following applied migration(s) were modified since they ran:", modified);
        section(text, "Warning: following applied migration(s) are missing from " + migrationsLocation() + ":",
                names(status.missingLocally()));
        text.append('\n');
        if (!status.failed().isEmpty()) {
            text.append("Not up to date: ").append(status.failed().size()).append(" failed")
                    .append(pending.isEmpty() ? "" : ", " + pending.size() + " pending")
                    .append(". Resolve the failed migration with 'tidemark resolve --rolled-back NAME' (after undoing"
                            + " it) or 'tidemark resolve --applied NAME' (after completing it by hand), then deploy.");
        } else if (!pending.isEmpty()) {
            text.append("Not up to date: ").append(pending.size()).append(" pending.")
                    .append(" Run 'tidemark deploy' to apply the pending migrations.");
        } else if (status.hasWarnings()) {
            text.append("Database schema is up to date, with warnings: its history does not match ")
                    .append(migrationsLocation()).append(" (see above). Restore the files from version control if")
                    .append(" they were changed or removed by mistake.");
        } else {
            text.append("Database schema is up to date!");
        }
        context.print(text.toString());
    }

    private static void section(StringBuilder text, String heading, List<String> lines) {
        if (lines.isEmpty()) {
            return;
        }
        text.append('\n').append(heading).append('\n');
        for (String line : lines) {
            text.append("  ").append(line).append('\n');
        }
    }

    private static List<String> names(List<MigrationInfo> infos) {
        return infos.stream().map(MigrationInfo::name).toList();
    }

    private static String firstLine(String text) {
        String stripped = text.strip();
        int newline = stripped.indexOf('\n');
        return newline < 0 ? stripped : stripped.substring(0, newline);
    }
}
