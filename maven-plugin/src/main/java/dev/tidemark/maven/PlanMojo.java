package dev.tidemark.maven;

import dev.tidemark.DeployPlan;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

import java.time.Duration;

/**
 * Logs what deploy would do, changing nothing (the CLI's {@code tidemark plan}): the pending migrations in order,
 * each statement with its file and line, and each migration's transaction mode and why. Takes no lock. With
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
        StringBuilder text = new StringBuilder("Database: ").append(plan.target()).append('\n');
        if (plan.upToDate()) {
            return text.append("No pending migration: deploy would do nothing.").toString();
        }
        text.append(plan.migrations().size()).append(" pending migration(s), ").append(plan.statementCount())
                .append(" statement(s)").append(plan.measured() ? ", measured on a shadow database" : "")
                .append(":\n");
        int blocking = 0;
        int rewriting = 0;
        int scanning = 0;
        int failed = 0;
        for (DeployPlan.Migration migration : plan.migrations()) {
            boolean transactional = migration.mode() == DeployPlan.TransactionMode.PER_MIGRATION;
            text.append('\n').append(migration.name()).append("  ")
                    .append(transactional ? "one transaction" : "autocommit, statement by statement").append(" (")
                    .append(migration.modeReason()).append(")\n");
            for (DeployPlan.Statement statement : migration.statements()) {
                text.append("  ").append(migration.file()).append(':').append(statement.line()).append("  ")
                        .append(statement.firstLine()).append(statement.autocommit() ? "  [autocommit]" : "")
                        .append('\n');
                DeployPlan.Effect effect = statement.effect();
                if (effect == null) {
                    if (plan.measured()) {
                        text.append("      not measured: an earlier statement failed\n");
                    }
                    continue;
                }
                for (String finding : effect.findings()) {
                    text.append("      ").append(finding).append('\n');
                }
                if (!effect.measured()) {
                    text.append("      ran outside a transaction, as deploy runs it: its locks and scans are"
                            + " released before they can be read\n");
                }
                text.append("      ").append(millis(effect.duration())).append(" on the shadow database");
                if (effect.estimate() != null) {
                    text.append("; on the target ").append(magnitude(effect.estimate())).append(" (")
                            .append(effect.estimateBasis()).append(')');
                }
                text.append('\n');
                blocking += effect.locks().stream().anyMatch(l -> l.blocks() != null
                        && (l.blocks().startsWith("blocks reads") || l.blocks().startsWith("blocks writes"))) ? 1 : 0;
                rewriting += effect.rewrites().isEmpty() ? 0 : 1;
                scanning += effect.scans().isEmpty() ? 0 : 1;
                failed += effect.error() == null ? 0 : 1;
            }
        }
        text.append('\n');
        if (plan.measured()) {
            text.append("Summary: ").append(blocking).append(" statement(s) block reads or writes, ")
                    .append(rewriting).append(" rewrite a table, ").append(scanning).append(" scan a whole table")
                    .append(failed == 0 ? "" : ", " + failed + " failed on the shadow database").append(".\n")
                    .append("A migration that runs in one transaction holds every lock it took until it commits.");
        } else {
            text.append("Run mvn tidemark:plan -Dtidemark.measure=true to see what each statement locks, rewrites"
                    + " and scans.");
        }
        return text.toString();
    }

    private static String millis(Duration duration) {
        long micros = duration.toNanos() / 1000;
        return micros < 1000 ? "<1 ms" : micros / 1000 + " ms";
    }

    private static String magnitude(Duration estimate) {
        long seconds = estimate.toSeconds();
        if (seconds == 0) {
            return "under a second";
        }
        if (seconds < 60) {
            return "~" + seconds + " s";
        }
        if (seconds < 3600) {
            return "~" + seconds + " s (" + (seconds / 60) + " min)";
        }
        return "~" + seconds + " s (" + (seconds / 3600) + " h)";
    }
}
