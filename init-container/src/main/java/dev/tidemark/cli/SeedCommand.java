package dev.tidemark.cli;

import dev.tidemark.Migrator;
import dev.tidemark.SeedResult;

import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "seed", description = {
        "Runs the seed file in one transaction, in the target schema (Prisma's 'db seed', for SQL).",
        "The file: --file, else " + Settings.SEED + ", else seed.sql next to the migrations folder"
                + " (prisma/seed.sql for prisma/migrations). 'tidemark reset' runs it too."})
final class SeedCommand extends DatabaseCommand {

    @Option(names = "--file", paramLabel = "FILE",
            description = "The seed file (env " + Settings.SEED + "; default seed.sql next to the migrations"
                    + " folder).")
    String file;

    @Mixin
    Options.LockWait lockWait;

    SeedCommand(CliContext context) {
        super(context);
    }

    @Override
    void configure(Migrator.Builder builder) {
        lockWait.apply(builder, this);
        String seed = flagOrEnv(file, Settings.SEED);
        if (seed == null) {
            Path next = defaultSeed(migrationsLocation());
            if (next == null) {
                throw usage("No seed file given, and the migrations are on the class path (" + migrationsLocation()
                        + "), so there is no folder to look for seed.sql next to. Pass --file FILE or set "
                        + Settings.SEED + ".");
            }
            seed = next.toString();
        }
        builder.seed(seed);
    }

    @Override
    int execute() {
        Migrator migrator = migrator();
        SeedResult result = migrator.seed();
        context.print("Seeded schema " + migrator.schema() + " from " + result.file() + ": " + result.statements()
                + " statement(s) in " + result.duration().toMillis() + " ms.");
        return ExitCodes.SUCCESS;
    }

    /** seed.sql beside the migrations folder, or null for a class-path location. */
    static Path defaultSeed(String location) {
        if (location.startsWith("classpath:")) {
            return null;
        }
        Path parent = Path.of(location).normalize().getParent();
        return parent == null ? Path.of("seed.sql") : parent.resolve("seed.sql");
    }

    /** The seed for reset: the flag, the environment, else the default file when it exists. */
    static String resetSeed(BaseCommand command, String flag, String location) {
        String seed = command.flagOrEnv(flag, Settings.SEED);
        if (seed != null) {
            return seed;
        }
        Path next = defaultSeed(location);
        return next != null && Files.isRegularFile(next) ? next.toString() : null;
    }
}
