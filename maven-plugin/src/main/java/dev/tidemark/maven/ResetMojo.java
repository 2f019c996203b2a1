package dev.tidemark.maven;

import dev.tidemark.DeployResult;
import dev.tidemark.ErrorCode;
import dev.tidemark.Migrator;
import dev.tidemark.TidemarkException;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Drops every object of the target schema and applies all migrations again (Prisma's {@code migrate reset}), for
 * development and CI databases. Refused unless both {@code force} is set and the environment variable
 * {@code TIDEMARK_ALLOW_RESET} is {@code true}, as with the CLI's {@code reset --force}.
 */
@Mojo(name = "reset", requiresProject = false, threadSafe = true)
public class ResetMojo extends TidemarkMojo {

    /** Confirms that the schema's data may be destroyed; also needs {@code TIDEMARK_ALLOW_RESET=true}. */
    @Parameter(property = "tidemark.force", defaultValue = "false")
    boolean force;

    @Override
    String goal() {
        return "reset";
    }

    @Override
    void run() throws MojoExecutionException {
        if (!force) {
            throw new TidemarkException(ErrorCode.RESET_REFUSED, "Refusing to reset: it drops every table and all"
                    + " data in the target schema. If that is what you want, pass -Dtidemark.force=true (or"
                    + " <force>true</force>) and set " + Migrator.ALLOW_RESET_VARIABLE + "=true in the environment.");
        }
        if (!"true".equalsIgnoreCase(System.getenv(Migrator.ALLOW_RESET_VARIABLE))) {
            throw new TidemarkException(ErrorCode.RESET_REFUSED, "Refusing to reset although force is set, because "
                    + Migrator.ALLOW_RESET_VARIABLE + " is not 'true' in this environment. Set it only where wiping"
                    + " the database is acceptable (development, CI), never in a production build.");
        }
        // Both consents were checked above, against this build's own environment.
        Migrator migrator = builder().allowReset(true).build();
        DeployResult result = migrator.reset();
        info("Reset schema " + migrator.schema() + ": dropped all of its objects and applied "
                + result.applied().size() + " migration(s) again in " + result.duration().toMillis() + " ms.");
    }
}
