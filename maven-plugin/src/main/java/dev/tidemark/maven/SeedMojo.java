package dev.tidemark.maven;

import dev.tidemark.Migrator;
import dev.tidemark.SeedResult;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Mojo;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs the seed file in one transaction, under the migration lock, in the target schema (Prisma's {@code db seed},
 * for SQL; the CLI's {@code tidemark seed}). The file: {@code seed}, else {@code seed.sql} next to the migrations
 * folder ({@code prisma/seed.sql} for {@code prisma/migrations}, {@code classpath:db/seed.sql} for
 * {@code classpath:db/migrations}).
 */
@Mojo(name = "seed", requiresProject = false, threadSafe = true)
public class SeedMojo extends TidemarkMojo {

    @Override
    String goal() {
        return "seed";
    }

    @Override
    void run() throws MojoExecutionException {
        Migrator.Builder builder = builder();
        if (seed == null || seed.isBlank()) {
            builder.seed(defaultSeed());
        }
        Migrator migrator = builder.build();
        SeedResult result = migrator.seed();
        info("Seeded schema " + migrator.schema() + " from " + result.file() + ": " + result.statements()
                + " statement(s) in " + result.duration().toMillis() + " ms.");
    }

    /** seed.sql beside the migrations folder; refused, saying what to do, when it does not exist. */
    String defaultSeed() throws MojoExecutionException {
        String folder = location.strip();
        if (folder.startsWith(CLASSPATH_PREFIX)) {
            String path = folder.substring(CLASSPATH_PREFIX.length()).replaceAll("^/+|/+$", "");
            int slash = path.lastIndexOf('/');
            String resource = (slash < 0 ? "" : path.substring(0, slash + 1)) + "seed.sql";
            if (resourcesClassLoader().getResource(resource) == null) {
                throw noSeed(CLASSPATH_PREFIX + resource + " (in the project's resource directories)");
            }
            return CLASSPATH_PREFIX + resource;
        }
        Path parent = Path.of(resolvedLocation()).getParent();
        Path file = parent == null ? Path.of("seed.sql") : parent.resolve("seed.sql");
        if (!Files.isRegularFile(file)) {
            throw noSeed(file.toString());
        }
        return file.toString();
    }

    private static MojoExecutionException noSeed(String expected) {
        return new MojoExecutionException("No seed file: seed is not set, and " + expected + ", next to the"
                + " migrations folder, does not exist. Create it, or set <seed> (-Dtidemark.seed=FILE, a path"
                + " relative to the base directory or classpath:PATH).");
    }

    private static final String CLASSPATH_PREFIX = "classpath:";
}
