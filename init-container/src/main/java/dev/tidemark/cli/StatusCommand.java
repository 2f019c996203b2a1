package dev.tidemark.cli;

import dev.tidemark.MigrationInfo;
import dev.tidemark.MigrationStatus;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "status", description = {
        "Compares the migrations folder with the database's history; changes nothing and takes no lock.",
        "Exits 0 whatever it finds, unless --exit-code is given."})
final class StatusCommand extends DatabaseCommand {

    @Option(names = "--output", paramLabel = "text|json", defaultValue = "text",
            description = "The result on standard output as text or as one JSON object (default text).")
    OutputFormat output;

    @Option(names = "--exit-code",
            description = "Exit with code 3 when migrations are pending or failed, for CI gates and readiness checks.")
    boolean exitCode;

    StatusCommand(CliContext context) {
        super(context);
    }

    @Override
    boolean jsonOutput() {
        return output == OutputFormat.JSON;
    }

    @Override
    int execute() {
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
                        .field("rolledBackAt", info.rolledBackAt())
                        .field("logs", info.logs()));
            }
            context.print(Json.object()
                    .field("command", "status")
                    .field("success", true)
                    .field("upToDate", status.upToDate())
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
        return exitCode && !status.upToDate() ? ExitCodes.NOT_UP_TO_DATE : ExitCodes.SUCCESS;
    }

    private void printText(MigrationStatus status) {
        StringBuilder text = new StringBuilder()
                .append("Database:   ").append(describeDatabase()).append('\n')
                .append("Migrations: ").append(migrationsLocation()).append('\n');
        if (!status.historyTableFound()) {
            text.append("The database has no migration history yet.\n");
        }
        text.append('\n');
        for (MigrationInfo info : status.migrations()) {
            text.append("  ").append(pad(info.state().name().toLowerCase(Locale.ROOT).replace('_', ' '), 16))
                    .append(info.name());
            if (info.logs() != null && !info.logs().isBlank() && info.rolledBackAt() == null) {
                text.append("  (").append(firstLine(info.logs())).append(')');
            }
            text.append('\n');
        }
        if (status.migrations().isEmpty()) {
            text.append("  No migration found.\n");
        }
        text.append('\n');
        if (status.upToDate()) {
            text.append("Database schema is up to date!");
        } else {
            List<String> problems = new ArrayList<>();
            if (!status.pending().isEmpty()) {
                problems.add(status.pending().size() + " pending");
            }
            if (!status.failed().isEmpty()) {
                problems.add(status.failed().size() + " failed");
            }
            text.append("Not up to date: ").append(String.join(", ", problems)).append('.');
            text.append(status.failed().isEmpty()
                    ? " Run 'tidemark deploy' to apply the pending migrations."
                    : " Resolve the failed migration with 'tidemark resolve --rolled-back NAME' (after undoing it) or"
                            + " 'tidemark resolve --applied NAME' (after completing it by hand), then deploy.");
        }
        if (!status.modified().isEmpty()) {
            text.append("\nWarning: modified since applied: ").append(String.join(", ", names(status.modified())));
        }
        if (!status.missingLocally().isEmpty()) {
            text.append("\nWarning: applied but missing from the folder: ")
                    .append(String.join(", ", names(status.missingLocally())));
        }
        context.print(text.toString());
    }

    private static List<String> names(List<MigrationInfo> infos) {
        return infos.stream().map(MigrationInfo::name).toList();
    }

    private static String pad(String text, int width) {
        StringBuilder padded = new StringBuilder(text);
        while (padded.length() < width) {
            padded.append(' ');
        }
        return padded.toString();
    }

    private static String firstLine(String text) {
        String stripped = text.strip();
        int newline = stripped.indexOf('\n');
        return newline < 0 ? stripped : stripped.substring(0, newline);
    }
}
