package dev.tidemark.maven;

import dev.tidemark.Migrator;
import dev.tidemark.SchemaDiff;
import dev.tidemark.SchemaSource;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** What {@code diff} and {@code drift} share: the shadow database, the script file and failing on a difference. */
abstract class SchemaDiffMojo extends TidemarkMojo {

    /**
     * An empty database to apply migrations folders and SQL files in. Default: a temporary database created on the
     * server of {@code url} and dropped afterwards (which needs the CREATEDB privilege).
     */
    @Parameter(property = "tidemark.shadowDatabaseUrl")
    String shadowDatabaseUrl;

    /** Fail the build when the schemas differ (default false: log the differences). */
    @Parameter(property = "tidemark.failOnDifference", defaultValue = "false")
    boolean failOnDifference;

    /**
     * Write the SQL script that takes the first schema to the second to this file (relative to the project's base
     * directory); an empty migration's text when they do not differ.
     */
    @Parameter(property = "tidemark.scriptFile")
    String scriptFile;

    abstract SchemaDiff compare(Migrator migrator);

    /** What a difference means, for the failure message. */
    abstract String differenceMeaning();

    @Override
    final void run() throws IOException, MojoExecutionException, MojoFailureException {
        SchemaDiff diff = compare(builder().build());
        if (scriptFile != null && !scriptFile.isBlank()) {
            Path file = projectPath(scriptFile);
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.writeString(file, diff.hasDifferences() ? diff.script() : "-- This is an empty migration.\n",
                    StandardCharsets.UTF_8);
            info("Wrote the script to " + file);
        }
        if (!diff.hasDifferences()) {
            info("No difference detected between " + diff.from() + " and " + diff.to() + ".");
            return;
        }
        String text = "Differences from " + diff.from() + " to " + diff.to() + ":\n"
                + diff.summary().stripTrailing() + (diff.isDestructive()
                        ? "\nSome changes are destructive: write the script (scriptFile) to review them." : "");
        if (failOnDifference) {
            throw new MojoFailureException(mask(text + "\n" + differenceMeaning()));
        }
        info(text);
    }

    /** Applies the shadow database option to a folder or file source. */
    SchemaSource shadowed(SchemaSource source) {
        return shadowDatabaseUrl == null || shadowDatabaseUrl.isBlank() ? source
                : source.withShadowDatabase(shadowDatabaseUrl);
    }
}
