package dev.tidemark.cli;

import dev.tidemark.Migrator;
import dev.tidemark.SchemaDiff;
import dev.tidemark.SchemaSource;

import picocli.CommandLine.Command;

@Command(name = "drift", description = {
        "Checks that the database (DATABASE_URL) still has the schema its migrations (TIDEMARK_MIGRATIONS) build.",
        "The migrations are applied to a shadow database and the two schemas compared; prints the changes made by"
                + " hand, or with --script the SQL that reproduces them.",
        "Exit codes: 0 no drift, 2 drift (with --exit-code), 1 error."})
final class DriftCommand extends SchemaDiffCommand {

    DriftCommand(CliContext context) {
        super(context);
    }

    @Override
    SchemaDiff compare(Migrator migrator) {
        return migrator.diff(shadowed(SchemaSource.migrations()), SchemaSource.database());
    }
}
