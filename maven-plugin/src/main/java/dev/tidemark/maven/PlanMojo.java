package dev.tidemark.maven;

import dev.tidemark.DeployPlan;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Logs what deploy would do, changing nothing (the CLI's {@code tidemark plan}): the pending migrations in order,
 * each statement with its file and line, and each migration's transaction mode and why, and
 * its lint findings. Takes no lock. With
 * {@code measure}, the pending migrations run on a temporary shadow database and each statement's locks, rewrites and
 * scans are reported. Never fails the build over what it finds.
 */
@Mojo(name = "plan", requiresProject = false, threadSafe = true)
public class PlanMojo extends TidemarkMojo {

    /**
     * Replay the applied migrations on a temporary shadow database beside {@code url} (needs the CREATEDB privilege;
     * dropped afterwards) and run the pending ones there statement by statement, reporting what each locked,
     * rewrote and scanned (default false).
     */
    @Parameter(property = "tidemark.measure", defaultValue = "false")
    boolean measure;

    @Override
    String goal() {
        return "plan";
    }

    @Override
    void run() throws MojoExecutionException {
        DeployPlan plan = builder().build().plan(measure);
        for (String warning : plan.warnings()) {
            warn(warning);
        }
        info(text(plan));
    }

    static String text(DeployPlan plan) {
        return "Database: " + plan.target() + "\n" + plan.toText("Run mvn tidemark:plan -Dtidemark.measure=true to"
                + " see what each statement locks, rewrites and scans.");
    }
}
