package dev.tidemark;

import java.util.Objects;

/**
 * What {@link Migrator#rollback(RollbackRequest)} rolls back: the newest {@code steps} applied migrations, or every
 * migration applied after {@code to}.
 *
 * <pre>{@code
 * migrator.rollback(RollbackRequest.steps(1));
 * migrator.rollback(RollbackRequest.to("20240108101500_init").withDryRun(true));
 * }</pre>
 *
 * @param steps  how many applied migrations, newest first; 0 when {@code to} is given
 * @param to     the migration to roll back to (it stays applied), or {@code null} when {@code steps} is given
 * @param dryRun check and report what would be rolled back, without running anything or changing the history
 * @param force  roll back migrations whose {@code migration.sql} changed since they were applied
 * @since 0.1
 */
public record RollbackRequest(int steps, String to, boolean dryRun, boolean force) {

    public RollbackRequest {
        if (to == null && steps < 1) {
            throw new IllegalArgumentException("steps must be 1 or more (got " + steps + ")");
        }
        if (to != null && steps != 0) {
            throw new IllegalArgumentException("give steps or to, not both");
        }
        if (to != null && to.isBlank()) {
            throw new IllegalArgumentException("to must name a migration");
        }
    }

    /** The newest {@code steps} applied migrations. */
    public static RollbackRequest steps(int steps) {
        return new RollbackRequest(steps, null, false, false);
    }

    /** Every migration applied after {@code migration}, which itself stays applied. */
    public static RollbackRequest to(String migration) {
        return new RollbackRequest(0, Objects.requireNonNull(migration, "migration"), false, false);
    }

    /** This request, only checked and reported when {@code dryRun} is true. */
    public RollbackRequest withDryRun(boolean dryRun) {
        return new RollbackRequest(steps, to, dryRun, force);
    }

    /** This request, also rolling back modified migrations when {@code force} is true. */
    public RollbackRequest withForce(boolean force) {
        return new RollbackRequest(steps, to, dryRun, force);
    }
}
