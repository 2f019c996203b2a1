package dev.tidemark.maven;

import dev.tidemark.Migrator;
import dev.tidemark.SchemaDiff;
import dev.tidemark.SchemaSource;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Checks that the database still has the schema its migrations build: the migrations are applied to a shadow
 * database and the two schemas compared, so the result names what was changed by hand.
 */
@Mojo(name = "drift", requiresProject = false, threadSafe = true)
public class DriftMojo extends SchemaDiffMojo {

    @Override
    String goal() {
        return "drift";
    }

    @Override
    SchemaDiff compare(Migrator migrator) {
        return migrator.diff(shadowed(SchemaSource.migrations()), SchemaSource.database());
    }

    @Override
    String differenceMeaning() {
        return "The database was changed outside its migrations (failOnDifference). Turn the changes into a"
                + " migration (scriptFile writes the SQL that reproduces them), or undo them.";
    }
}
