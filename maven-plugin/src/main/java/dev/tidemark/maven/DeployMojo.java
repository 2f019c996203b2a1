package dev.tidemark.maven;

import dev.tidemark.AppliedMigration;
import dev.tidemark.DeployResult;
import dev.tidemark.DeployWarning;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Applies pending migrations under the advisory lock (Prisma's {@code migrate deploy}); {@code mvn tidemark:deploy}.
 */
@Mojo(name = "deploy", requiresProject = false, threadSafe = true)
public class DeployMojo extends TidemarkMojo {

    @Override
    String goal() {
        return "deploy";
    }

    @Override
    void run() throws MojoExecutionException {
        DeployResult result = builder().build().deploy();
        for (DeployWarning warning : result.warnings()) {
            warn(warning.message());
        }
        if (result.applied().isEmpty()) {
            info("No pending migrations to apply (" + result.alreadyApplied() + " already applied).");
            return;
        }
        StringBuilder text = new StringBuilder("All migrations have been successfully applied: "
                + result.applied().size() + " migration(s) in " + result.duration().toMillis() + " ms ("
                + result.alreadyApplied() + " already applied).");
        for (AppliedMigration migration : result.applied()) {
            text.append("\n  ").append(migration.name()).append(" (").append(migration.duration().toMillis())
                    .append(" ms)");
        }
        info(text.toString());
    }
}
