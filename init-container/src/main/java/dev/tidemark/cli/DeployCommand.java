package dev.tidemark.cli;

import dev.tidemark.AppliedMigration;
import dev.tidemark.DeployResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "deploy", description = {
        "Applies every pending migration, in order, under PostgreSQL's advisory lock (Prisma's 'migrate deploy').",
        "Safe to run from several pods at once: the others wait for the lock, then find nothing to do."})
final class DeployCommand extends DatabaseCommand {

    @Option(names = "--output", paramLabel = "text|json", defaultValue = "text",
            description = "The result on standard output as text or as one JSON object (default text).")
    OutputFormat output;

    @Option(names = "--resume-interrupted", negatable = true,
            description = "Go on with a migration that was interrupted (deployer killed, backend terminated,"
                    + " connection lost): an autocommit one resumes after the statements recorded as done, checking"
                    + " the interrupted one first; --no-resume-interrupted keeps Prisma's strict P3009 refusal (env "
                    + Settings.RESUME_INTERRUPTED + "; default on).")
    Boolean resumeInterrupted;

    DeployCommand(CliContext context) {
        super(context);
    }

    @Override
    boolean jsonOutput() {
        return output == OutputFormat.JSON;
    }

    @Override
    int execute() {
        DeployResult result = builder().resumeInterrupted(resumeInterrupted()).build().deploy();
        if (jsonOutput()) {
            List<Json> applied = new ArrayList<>();
            for (AppliedMigration migration : result.applied()) {
                applied.add(Json.object()
                        .field("name", migration.name())
                        .field("checksum", migration.checksum())
                        .field("statements", migration.statements())
                        .millis("durationMs", migration.duration()));
            }
            context.print(Json.object()
                    .field("command", "deploy")
                    .field("success", true)
                    .objects("applied", applied)
                    .field("alreadyApplied", result.alreadyApplied())
                    .strings("warnings", result.warnings())
                    .millis("durationMs", result.duration())
                    .toString());
            return ExitCodes.SUCCESS;
        }
        for (String warning : result.warnings()) {
            context.print("Warning: " + warning);
        }
        if (result.applied().isEmpty()) {
            context.print("No pending migrations to apply (" + result.alreadyApplied() + " already applied).");
            return ExitCodes.SUCCESS;
        }
        StringBuilder text = new StringBuilder("The following migration(s) have been applied:\n");
        for (AppliedMigration migration : result.applied()) {
            text.append("  ").append(migration.name()).append(" (").append(migration.statements())
                    .append(" statement(s), ").append(migration.duration().toMillis()).append(" ms)\n");
        }
        text.append("All migrations have been successfully applied (").append(result.applied().size())
                .append(" in ").append(result.duration().toMillis()).append(" ms).");
        context.print(text.toString());
        return ExitCodes.SUCCESS;
    }

    private boolean resumeInterrupted() {
        if (resumeInterrupted != null) {
            return resumeInterrupted;
        }
        String value = context.env(Settings.RESUME_INTERRUPTED);
        if (value == null) {
            return true;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw usage(Settings.RESUME_INTERRUPTED + "='" + value + "' is not a boolean; use true or"
                    + " false.");
        };
    }
}
