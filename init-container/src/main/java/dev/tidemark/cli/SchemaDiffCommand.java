package dev.tidemark.cli;

import dev.tidemark.Migrator;
import dev.tidemark.SchemaDiff;
import dev.tidemark.SchemaSource;
import dev.tidemark.TidemarkException;

import picocli.CommandLine.Option;

/**
 * What {@code diff} and {@code drift} share: the output (summary or script) and Prisma's {@code migrate diff} exit
 * codes, 0 no difference, 2 a difference (with {@code --exit-code}), 1 any error.
 */
abstract class SchemaDiffCommand extends DatabaseCommand {

    /** Prisma's {@code migrate diff --exit-code}: the schemas differ. */
    static final int DIFFERENCE = 2;

    @Option(names = "--script",
            description = "Print the SQL script that takes the first schema to the second, instead of the summary.")
    boolean script;

    @Option(names = "--exit-code",
            description = "Exit with code 2 when the schemas differ (0 when they do not, 1 on error), as Prisma's"
                    + " migrate diff --exit-code. Without it, a difference exits 0.")
    boolean exitCode;

    @Option(names = "--shadow-database-url", paramLabel = "URL",
            description = "An empty database to apply migrations folders and SQL files in (env "
                    + Settings.SHADOW_DATABASE_URL + "; default: a temporary database created on the server of"
                    + " DATABASE_URL and dropped afterwards, which needs the CREATEDB privilege).")
    String shadowDatabaseUrl;

    SchemaDiffCommand(CliContext context) {
        super(context);
    }

    abstract SchemaDiff compare(Migrator migrator);

    @Override
    final int execute() {
        SchemaDiff diff;
        try {
            diff = compare(migrator());
        } catch (TidemarkException e) {
            // Prisma's diff exits 1 on every error, and 2 means "different": never let an error look like a result
            throw new CliFailure(ExitCodes.FAILURE, e.getMessage());
        }
        if (script) {
            context.out().print(diff.hasDifferences() ? diff.script() : "-- This is an empty migration.\n");
            context.out().flush();
        } else if (diff.hasDifferences()) {
            context.print("Differences from " + diff.from() + " to " + diff.to() + ":\n\n"
                    + diff.summary().stripTrailing() + (diff.isDestructive()
                            ? "\n\nSome changes are destructive: run with --script to review them." : ""));
        } else {
            context.print("No difference detected.");
        }
        return exitCode && diff.hasDifferences() ? DIFFERENCE : ExitCodes.SUCCESS;
    }

    /** Applies the shadow database option (flag, then environment) to a folder or file source. */
    SchemaSource shadowed(SchemaSource source) {
        String shadow = flagOrEnv(shadowDatabaseUrl, Settings.SHADOW_DATABASE_URL);
        if (shadow == null) {
            return source;
        }
        Secrets.registerUrl(shadow);
        return source.withShadowDatabase(shadow);
    }
}
