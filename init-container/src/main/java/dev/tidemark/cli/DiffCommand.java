package dev.tidemark.cli;

import dev.tidemark.Migrator;
import dev.tidemark.SchemaDiff;
import dev.tidemark.SchemaSource;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "diff", description = {
        "Compares two schemas: prints what differs, or with --script the SQL that takes the first to the second.",
        "SOURCE is database (DATABASE_URL), migrations (TIDEMARK_MIGRATIONS), empty, a postgresql:// URL,"
                + " migrations:DIR, or a .sql file (file:PATH) holding a desired schema.",
        "Migrations folders and SQL files are applied to a shadow database first.",
        "Exit codes: 0 no difference, 2 difference (with --exit-code), 1 error."})
final class DiffCommand extends SchemaDiffCommand {

    @Option(names = "--from", required = true, paramLabel = "SOURCE", description = "The schema to start from.")
    String from;

    @Option(names = "--to", required = true, paramLabel = "SOURCE", description = "The schema to compare it with.")
    String to;

    DiffCommand(CliContext context) {
        super(context);
    }

    @Override
    SchemaDiff compare(Migrator migrator) {
        return migrator.diff(shadowed(SchemaSource.parse(from)), shadowed(SchemaSource.parse(to)));
    }
}
