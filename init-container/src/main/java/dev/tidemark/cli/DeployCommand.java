package dev.tidemark.cli;

import dev.tidemark.AppliedMigration;
import dev.tidemark.DeployResult;
import dev.tidemark.DeployWarning;
import dev.tidemark.LintMode;
import dev.tidemark.Migrator;
import dev.tidemark.TidemarkException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "deploy", description = {
        "Applies every pending migration, in order, under PostgreSQL's advisory lock (Prisma's 'migrate deploy').",
        "Safe to run from several pods at once: the others wait for the lock, then find nothing to do."})
final class DeployCommand extends DatabaseCommand {

    private static final Logger log = LoggerFactory.getLogger("dev.tidemark.cli");

    @Mixin
    Options.LockWait lockWait;

    @Mixin
    Options.Timeouts timeouts;

    @Option(names = "--strict", negatable = true,
            description = "Refuse to deploy when an applied migration's file was modified (env " + Settings.STRICT
                    + "; default off: warn).")
    Boolean strict;

    @Mixin
    Options.Output output;

    @Option(names = "--resume-interrupted", negatable = true,
            description = "Go on with a migration that was interrupted (deployer killed, backend terminated,"
                    + " connection lost): an autocommit one resumes after the statements recorded as done, checking"
                    + " the interrupted one first; --no-resume-interrupted keeps Prisma's strict P3009 refusal (env "
                    + Settings.RESUME_INTERRUPTED + "; default on).")
    Boolean resumeInterrupted;

    @Mixin
    FleetOptions fleet;

    @Mixin
    Observability observability;

    @Option(names = "--lint", paramLabel = "off|warn|error",
            description = "Static lint of the pending migrations before applying: warn logs the findings, error also"
                    + " refuses (exit 2, nothing applied) on a finding of severity error (env " + Settings.LINT
                    + "; default warn).")
    String lint;

    DeployCommand(CliContext context) {
        super(context);
    }

    @Override
    boolean jsonOutput() {
        return output.json();
    }

    @Override
    void configure(Migrator.Builder builder) {
        lockWait.apply(builder, this);
        timeouts.apply(builder, this);
        builder.strict(bool(strict, Settings.STRICT));
        observability.apply(builder, this);
        String mode = flagOrEnv(lint, Settings.LINT);
        if (mode != null) {
            try {
                builder.lint(LintMode.parse(mode));
            } catch (TidemarkException e) {
                throw usage((lint != null ? "--lint" : Settings.LINT) + ": " + withoutCode(e));
            }
        }
    }

    @Override
    int execute() {
        try {
            return deploy();
        } finally {
            observability.finish(this);
        }
    }

    private int deploy() {
        if (fleet.active()) {
            return fleet.run(this, true, jsonOutput(), b -> b.resumeInterrupted(resumeInterrupted()));
        }
        DeployResult result = builder().resumeInterrupted(resumeInterrupted()).build().deploy();
        if (jsonOutput()) {
            List<Json> applied = new ArrayList<>();
            for (AppliedMigration migration : result.applied()) {
                applied.add(Json.object()
                        .field("name", migration.name())
                        .field("checksum", migration.checksum())
                        .field("statements", migration.statements())
                        .millis("durationMillis", migration.duration()));
            }
            context.print(Json.object()
                    .field("command", "deploy")
                    .field("success", true)
                    .objects("applied", applied)
                    .field("alreadyApplied", result.alreadyApplied())
                    .strings("warnings", result.warnings().stream().map(DeployWarning::message).toList())
                    .millis("durationMillis", result.duration())
                    .toString());
            return ExitCodes.SUCCESS;
        }
        // The applied migrations and the warnings were logged (standard error) as they happened; the result on
        // standard output sums them up instead of printing each line a second time. Warnings that the log level
        // hid are printed here, so that they are printed once whatever the level.
        if (!log.isWarnEnabled()) {
            for (DeployWarning warning : result.warnings()) {
                context.print("Warning: " + warning.message());
            }
        }
        String warnings = warnings(result.warnings().size());
        if (result.applied().isEmpty()) {
            context.print("No pending migrations to apply (" + result.alreadyApplied() + " already applied)"
                    + warnings + ".");
            return ExitCodes.SUCCESS;
        }
        context.print("All migrations have been successfully applied: " + count(result.applied().size())
                + " in " + result.duration().toMillis() + " ms (" + result.alreadyApplied() + " already applied)"
                + warnings + ".");
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

    private String warnings(int count) {
        if (count == 0) {
            return "";
        }
        String logged = log.isWarnEnabled() ? " logged above" : " above";
        return count == 1 ? ", with 1 warning" + logged : ", with " + count + " warnings" + logged;
    }

    private static String count(int migrations) {
        return migrations == 1 ? "1 migration" : migrations + " migrations";
    }
}
