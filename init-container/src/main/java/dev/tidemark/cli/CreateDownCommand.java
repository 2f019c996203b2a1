package dev.tidemark.cli;

import dev.tidemark.DownScript;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "create-down", description = {
        "Writes <migrations>/NAME/down.sql: the SQL that takes the schema after migration NAME back to the schema"
                + " before it.",
        "Both schemas are built by applying the migrations to a temporary shadow database on the server of"
                + " DATABASE_URL (or to --shadow-database-url); that database itself is not read or changed.",
        "The data the script loses is stated at its top (-- WARNING: drops column ... and its data), and the"
                + " migration's data changes (INSERT, UPDATE, ...), which no schema diff can undo, are listed there"
                + " for you to complete. Review it, then check it with verify-down."})
final class CreateDownCommand extends DatabaseCommand {

    @Parameters(index = "0", paramLabel = "NAME",
            description = "The migration's directory name (or the part after its timestamp, when unique).")
    String name;

    @Option(names = "--force", description = "Overwrite an existing down.sql.")
    boolean force;

    @Option(names = "--shadow-database-url", paramLabel = "URL",
            description = "An empty database to apply the migrations in instead of a temporary one (env "
                    + Settings.SHADOW_DATABASE_URL + ").")
    String shadowDatabaseUrl;

    CreateDownCommand(CliContext context) {
        super(context);
    }

    @Override
    int execute() throws IOException {
        String location = migrationsLocation();
        if (location.startsWith("classpath:")) {
            throw usage("'create-down' writes a file, so the migrations folder must be a directory, not " + location
                    + ". Pass --migrations prisma/migrations (or your folder).");
        }
        String shadow = flagOrEnv(shadowDatabaseUrl, Settings.SHADOW_DATABASE_URL);
        Secrets.registerUrl(shadow);
        DownScript down = migrator().generateDown(name, shadow);
        Path file = Path.of(location, down.migration(), "down.sql");
        if (Files.exists(file) && !force) {
            throw usage(file + " already exists. Pass --force to replace it with the generated script, or delete it"
                    + " first.");
        }
        Files.writeString(file, down.script(), StandardCharsets.UTF_8);
        context.print("Created " + file);
        if (!down.dataLoss().isEmpty()) {
            context.err().println("Warning: running it loses data (" + String.join("; ", down.dataLoss()) + ").");
        }
        if (!down.notInverted().isEmpty()) {
            context.err().println("Warning: " + down.migration() + " changes data in " + down.notInverted().size()
                    + " statement(s) the script does not undo (listed at its top): complete it by hand if needed.");
        }
        context.err().flush();
        return ExitCodes.SUCCESS;
    }
}
