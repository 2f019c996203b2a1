package dev.tidemark.cli;

import dev.tidemark.Migrator;
import dev.tidemark.RollbackRequest;
import dev.tidemark.RollbackResult;
import dev.tidemark.RolledBackMigration;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "rollback", description = {
        "Rolls back the newest applied migrations with their down scripts (down.sql beside migration.sql), newest"
                + " first, under the migration lock.",
        "Each down script runs in one transaction, or without one by the same rules and directive as migration.sql;"
                + " its history row gets rolled_back_at (nothing is deleted), so Prisma and Tidemark see the migration"
                + " as pending again and the next deploy applies it.",
        "Refused before anything runs when a migration to roll back has no down script, its migration.sql changed"
                + " since it was applied (unless --force), a failed migration is recorded, or a down script does not"
                + " parse."})
final class RollbackCommand extends DatabaseCommand {

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    static final class Target {
        @Option(names = "--steps", paramLabel = "N", required = true,
                description = "Roll back the newest N applied migrations.")
        Integer steps;

        @Option(names = "--to", paramLabel = "NAME", required = true,
                description = "Roll back every migration applied after NAME (NAME stays applied).")
        String to;
    }

    @Option(names = "--dry-run",
            description = "Check everything and print what would be rolled back; run nothing, change nothing.")
    boolean dryRun;

    @Option(names = "--force",
            description = "Also roll back migrations whose migration.sql changed since they were applied.")
    boolean force;

    @Option(names = "--down-dir", paramLabel = "DIR",
            description = "A folder of hand-written rollback scripts named <migration>.sql (as down-migrations/) or"
                    + " rollback_<timestamp>.sql, instead of down.sql files (env " + Settings.DOWN_DIR
                    + "; default none).")
    String downDir;

    @Mixin
    Options.LockWait lockWait;

    @Mixin
    Options.Timeouts timeouts;

    @Mixin
    Options.Output output;

    RollbackCommand(CliContext context) {
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
        String downs = flagOrEnv(downDir, Settings.DOWN_DIR);
        if (downs != null) {
            builder.downLocation(downs);
        }
    }

    @Override
    int execute() {
        RollbackRequest request;
        if (target.to != null) {
            request = RollbackRequest.to(target.to);
        } else if (target.steps < 1) {
            throw usage("--steps must be 1 or more (got " + target.steps + ").");
        } else {
            request = RollbackRequest.steps(target.steps);
        }
        RollbackResult result = migrator().rollback(request.withDryRun(dryRun).withForce(force));
        if (jsonOutput()) {
            List<Json> rolledBack = new ArrayList<>();
            for (RolledBackMigration migration : result.rolledBack()) {
                rolledBack.add(Json.object()
                        .field("name", migration.name())
                        .field("downFile", migration.downFile())
                        .field("statements", migration.statements())
                        .field("inTransaction", migration.inTransaction())
                        .millis("durationMillis", migration.duration()));
            }
            context.print(Json.object()
                    .field("command", "rollback")
                    .field("success", true)
                    .field("dryRun", result.dryRun())
                    .objects("rolledBack", rolledBack)
                    .field("stillApplied", result.stillApplied())
                    .strings("warnings", result.warnings())
                    .millis("durationMillis", result.duration())
                    .toString());
            return ExitCodes.SUCCESS;
        }
        if (result.rolledBack().isEmpty()) {
            context.print("Nothing to roll back: no migration is applied after " + target.to + " ("
                    + result.stillApplied() + " applied).");
            return ExitCodes.SUCCESS;
        }
        StringBuilder text = new StringBuilder(result.dryRun()
                ? "Dry run: would roll back " + count(result.rolledBack().size()) + ", newest first (nothing was"
                        + " changed):\n"
                : "Rolled back " + count(result.rolledBack().size()) + " in " + result.duration().toMillis()
                        + " ms, newest first:\n");
        for (RolledBackMigration migration : result.rolledBack()) {
            text.append("  ").append(migration.name()).append("  (").append(migration.downFile()).append(", ")
                    .append(migration.statements()).append(" statement(s)")
                    .append(migration.inTransaction() ? "" : ", without a transaction").append(")\n");
        }
        for (String warning : result.warnings()) {
            text.append("Warning: ").append(warning).append('\n');
        }
        text.append(result.stillApplied()).append(" migration(s) ").append(result.dryRun() ? "would stay" : "stay")
                .append(" applied. ").append(result.dryRun() ? "Run without --dry-run to roll back."
                        : "They are pending again: the next 'tidemark deploy' applies them.");
        context.print(text.toString());
        return ExitCodes.SUCCESS;
    }

    private static String count(int migrations) {
        return migrations == 1 ? "1 migration" : migrations + " migrations";
    }
}
