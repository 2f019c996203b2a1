package dev.tidemark.cli;

import dev.tidemark.Migrator;
import dev.tidemark.PushOption;
import dev.tidemark.PushResult;
import dev.tidemark.SchemaChange;
import dev.tidemark.SchemaSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "push", description = {
        "Makes the database's schema match a desired-state SQL file without a migration (Prisma's 'db push'), for"
                + " prototyping. The history table is not touched.",
        "Refused on a database with a migration history unless --force, and when a step can lose data or fail on"
                + " existing rows unless --accept-data-loss. The script runs in one transaction."})
final class PushCommand extends DatabaseCommand {

    @Option(names = "--from-schema", required = true, paramLabel = "FILE",
            description = "The desired schema, as SQL (CREATE TABLE ...), applied to a shadow database to compare.")
    Path fromSchema;

    @Option(names = "--accept-data-loss",
            description = "Run steps that drop tables, columns or enum values, narrow types, or fail on existing rows.")
    boolean acceptDataLoss;

    @Option(names = "--dry-run", description = "Print the script (and the steps that need consent); change nothing.")
    boolean dryRun;

    @Option(names = "--force", description = "Push even though the database has a migration history.")
    boolean force;

    @Option(names = "--shadow-database-url", paramLabel = "URL",
            description = "An empty database to apply --from-schema in (env " + Settings.SHADOW_DATABASE_URL
                    + "; default: a temporary database on the server of DATABASE_URL).")
    String shadowDatabaseUrl;

    @Mixin
    Options.LockWait lockWait;

    PushCommand(CliContext context) {
        super(context);
    }

    @Override
    void configure(Migrator.Builder builder) {
        lockWait.apply(builder, this);
    }

    @Override
    String migrationsLocation() {
        // push reads no migrations; any location will do, and need not exist
        return migrations.location(this, false);
    }

    @Override
    int execute() {
        SchemaSource desired = SchemaSource.sqlFile(fromSchema);
        String shadow = flagOrEnv(shadowDatabaseUrl, Settings.SHADOW_DATABASE_URL);
        if (shadow != null) {
            Secrets.registerUrl(shadow);
            desired = desired.withShadowDatabase(shadow);
        }
        List<PushOption> options = new ArrayList<>();
        if (acceptDataLoss) {
            options.add(PushOption.ACCEPT_DATA_LOSS);
        }
        if (dryRun) {
            options.add(PushOption.DRY_RUN);
        }
        if (force) {
            options.add(PushOption.FORCE);
        }
        Migrator migrator = migrator();
        PushResult result = migrator.push(desired, options.toArray(PushOption[]::new));
        if (!result.diff().hasDifferences()) {
            context.print("Schema " + migrator.schema() + " already matches " + fromSchema + ".");
            return ExitCodes.SUCCESS;
        }
        if (dryRun) {
            StringBuilder out = new StringBuilder(result.diff().script().stripTrailing());
            if (!result.risky().isEmpty()) {
                out.append("\n\n-- ").append(result.risky().size()).append(" step(s) need --accept-data-loss:");
                for (SchemaChange change : result.risky()) {
                    out.append("\n--   ").append(change.description());
                }
            }
            context.print(out.toString());
            return ExitCodes.SUCCESS;
        }
        context.print("Pushed " + result.diff().changes().size() + " change(s) to schema " + migrator.schema()
                + " (no migration recorded):\n\n" + result.diff().summary().stripTrailing());
        return ExitCodes.SUCCESS;
    }
}
