package dev.tidemark.cli;

import dev.tidemark.DeployResult;
import dev.tidemark.ErrorCode;
import dev.tidemark.Migrator;
import dev.tidemark.TidemarkException;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "reset", description = {
        "Drops everything in the target schema and applies all migrations again: for development and CI databases.",
        "Refuses unless both --force is given and " + Settings.ALLOW_RESET + "=true is set.",
        "Then runs the seed file (--seed, " + Settings.SEED + ", or seed.sql next to the migrations folder if it"
                + " exists) unless --skip-seed."})
final class ResetCommand extends DatabaseCommand {

    @Option(names = "--force", description = "Confirm that the schema's data may be destroyed.")
    boolean force;

    @Option(names = "--seed", paramLabel = "FILE",
            description = "The seed file to run after migrating (env " + Settings.SEED + "; default seed.sql next to"
                    + " the migrations folder, if it exists).")
    String seed;

    @Option(names = "--skip-seed", description = "Do not run the seed file after migrating.")
    boolean skipSeed;

    @Mixin
    Options.LockWait lockWait;

    @Mixin
    Options.Timeouts timeouts;

    ResetCommand(CliContext context) {
        super(context);
    }

    @Override
    void configure(Migrator.Builder builder) {
        lockWait.apply(builder, this);
        timeouts.apply(builder, this);
        String file = skipSeed ? null : SeedCommand.resetSeed(this, seed, migrationsLocation());
        if (file != null) {
            builder.seed(file);
        }
    }

    @Override
    int execute() throws Exception {
        if (!force) {
            throw new TidemarkException(ErrorCode.RESET_REFUSED, "Refusing to reset: it drops every table and all"
                    + " data in the target schema. If that is what you want, pass --force and set "
                    + Settings.ALLOW_RESET + "=true in the environment.");
        }
        if (!"true".equalsIgnoreCase(context.env(Settings.ALLOW_RESET))) {
            throw new TidemarkException(ErrorCode.RESET_REFUSED, "Refusing to reset although --force was given,"
                    + " because " + Settings.ALLOW_RESET + " is not 'true' in this environment. Set it only where"
                    + " wiping the database is acceptable (development, CI), never in production manifests.");
        }
        // Both consents were checked above, against this command's own environment.
        Migrator migrator = builder().allowReset(true).build();
        DeployResult result = migrator.reset();
        String seeded = skipSeed ? null : SeedCommand.resetSeed(this, seed, migrationsLocation());
        context.print("Reset schema " + migrator.schema() + ": dropped all of its objects and applied "
                + result.applied().size() + " migration(s) again in " + result.duration().toMillis() + " ms"
                + (seeded == null ? "" : ", then ran the seed file " + seeded) + ".");
        return ExitCodes.SUCCESS;
    }
}
