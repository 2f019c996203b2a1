package dev.tidemark.maven;

import dev.tidemark.ErrorCode;
import dev.tidemark.RollbackRequest;
import dev.tidemark.RollbackResult;
import dev.tidemark.RolledBackMigration;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Rolls back the newest applied migrations with their down scripts ({@code down.sql} beside {@code migration.sql},
 * or {@code downLocation}), newest first, under the migration lock (the CLI's {@code tidemark rollback}). Destructive,
 * so it needs an explicit {@code steps} or {@code to}; everything that can refuse is checked before the first down
 * script runs.
 */
@Mojo(name = "rollback", requiresProject = false, threadSafe = true)
public class RollbackMojo extends TidemarkMojo {

    /** Roll back the newest N applied migrations (this or {@code to} is required). */
    @Parameter(property = "tidemark.steps")
    Integer steps;

    /** Roll back every migration applied after this one, which stays applied (this or {@code steps} is required). */
    @Parameter(property = "tidemark.to")
    String to;

    /** Check everything and log what would be rolled back; run nothing, change nothing (default false). */
    @Parameter(property = "tidemark.dryRun", defaultValue = "false")
    boolean dryRun;

    /** Also roll back migrations whose migration.sql changed since they were applied (default false: refuse). */
    @Parameter(property = "tidemark.force", defaultValue = "false")
    boolean force;

    @Override
    String goal() {
        return "rollback";
    }

    @Override
    boolean failsTheBuild(ErrorCode code) {
        return code == ErrorCode.ROLLBACK_REFUSED || super.failsTheBuild(code);
    }

    @Override
    void run() throws MojoExecutionException {
        RollbackRequest request = request();
        RollbackResult result = builder().build().rollback(request.withDryRun(dryRun).withForce(force));
        if (result.rolledBack().isEmpty()) {
            info("Nothing to roll back: no migration is applied" + (request.to() != null ? " after " + request.to()
                    : "") + " (" + result.stillApplied() + " applied).");
            return;
        }
        int count = result.rolledBack().size();
        String migrations = count == 1 ? "1 migration" : count + " migrations";
        StringBuilder text = new StringBuilder(result.dryRun()
                ? "Dry run: would roll back " + migrations + ", newest first (nothing was changed):"
                : "Rolled back " + migrations + " in " + result.duration().toMillis() + " ms, newest first:");
        for (RolledBackMigration migration : result.rolledBack()) {
            text.append("\n  ").append(migration.name()).append("  (").append(migration.downFile()).append(", ")
                    .append(migration.statements()).append(" statement(s)")
                    .append(migration.inTransaction() ? "" : ", without a transaction").append(')');
        }
        text.append('\n').append(result.stillApplied()).append(" migration(s) ")
                .append(result.dryRun() ? "would stay" : "stay").append(" applied. ")
                .append(result.dryRun() ? "Run without dryRun to roll back."
                        : "They are pending again: the next mvn tidemark:deploy applies them.");
        for (String warning : result.warnings()) {
            warn(warning);
        }
        info(text.toString());
    }

    /** Exactly one of steps and to: a rollback is never implied. */
    private RollbackRequest request() throws MojoExecutionException {
        boolean hasTo = to != null && !to.isBlank();
        if (steps == null && !hasTo) {
            throw new MojoExecutionException("Refusing to roll back without a target: rollback runs down scripts"
                    + " and can drop tables and data. Say how far: -Dtidemark.steps=1 (the newest applied"
                    + " migration; <steps> in the POM) or -Dtidemark.to=MIGRATION (everything applied after it).");
        }
        if (steps != null && hasTo) {
            throw new MojoExecutionException("Give steps (" + steps + ") or to (" + to + ") for rollback, not both."
                    + " Remove one from the POM's <configuration> or the command line.");
        }
        if (hasTo) {
            return RollbackRequest.to(to.strip());
        }
        if (steps < 1) {
            throw new MojoExecutionException("steps must be 1 or more for rollback (got " + steps + ").");
        }
        return RollbackRequest.steps(steps);
    }
}
