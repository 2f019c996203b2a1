package dev.tidemark.maven;

import dev.tidemark.Migrator;
import dev.tidemark.SchemaDiff;
import dev.tidemark.SchemaSource;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

import java.nio.file.Files;
import java.util.Locale;

/**
 * Compares two schemas (Prisma's {@code migrate diff}): {@code database}, {@code migrations}, {@code empty}, a
 * {@code postgresql://} URL, {@code migrations:DIR}, or a SQL file ({@code file:PATH}) describing a desired schema.
 */
@Mojo(name = "diff", requiresProject = false, threadSafe = true)
public class DiffMojo extends SchemaDiffMojo {

    /** The schema to start from. */
    @Parameter(property = "tidemark.from", required = true)
    String from;

    /** The schema to compare it with. */
    @Parameter(property = "tidemark.to", required = true)
    String to;

    @Override
    String goal() {
        return "diff";
    }

    @Override
    SchemaDiff compare(Migrator migrator) {
        return migrator.diff(shadowed(source(from)), shadowed(source(to)));
    }

    @Override
    String differenceMeaning() {
        return "The schemas differ (failOnDifference).";
    }

    /** A source, with relative {@code file:} and {@code migrations:} paths taken from the project's base directory. */
    private SchemaSource source(String spec) {
        String text = spec.strip();
        for (String prefix : new String[] {"file:", "migrations:"}) {
            if (text.startsWith(prefix) && text.length() > prefix.length()) {
                return SchemaSource.parse(prefix + projectPath(text.substring(prefix.length())));
            }
        }
        if (text.contains("://") || text.startsWith("jdbc:") || text.indexOf(':') > 1) {
            return SchemaSource.parse(text);
        }
        if (text.toLowerCase(Locale.ROOT).endsWith(".sql")) {
            return SchemaSource.parse("file:" + projectPath(text));
        }
        if (Files.isDirectory(projectPath(text))) {
            return SchemaSource.parse("migrations:" + projectPath(text));
        }
        return SchemaSource.parse(text);
    }
}
