package dev.tidemark.maven;

import dev.tidemark.ErrorCode;
import dev.tidemark.MigrationStatus;
import dev.tidemark.TidemarkException;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Fails the build when a migration is pending, failed or modified since it was applied; changes nothing. Bound to
 * {@code verify} by default, so {@code mvn verify} checks the database when the goal is listed in the project's
 * executions.
 */
@Mojo(name = "validate", defaultPhase = LifecyclePhase.VERIFY, requiresProject = false, threadSafe = true)
public class ValidateMojo extends TidemarkMojo {

    @Override
    String goal() {
        return "validate";
    }

    @Override
    void run() throws MojoExecutionException, MojoFailureException {
        MigrationStatus status;
        try {
            status = builder().build().validate();
        } catch (TidemarkException e) {
            if (e.code() == ErrorCode.NOT_UP_TO_DATE) {
                throw new MojoFailureException(mask(e.getMessage() + " From Maven: mvn tidemark:deploy, and"
                        + " mvn tidemark:status to see the migrations' states."));
            }
            throw e;
        }
        info("Database schema is up to date: " + status.applied().size() + " migration(s) applied, none pending,"
                + " failed or modified.");
    }
}
