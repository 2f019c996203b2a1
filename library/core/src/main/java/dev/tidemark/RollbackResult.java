package dev.tidemark;

import java.time.Duration;
import java.util.List;

/**
 * The result of {@link Migrator#rollback(RollbackRequest)}.
 *
 * @param rolledBack   the migrations rolled back (or, in a dry run, that would be), newest first; empty when nothing
 *                     was applied after the {@code to} migration
 * @param dryRun       whether this was a dry run, which ran nothing and changed nothing
 * @param stillApplied how many migrations are still applied afterwards (in a dry run: would be)
 * @param warnings     things the operator should know (modified migrations rolled back with force); never
 *                     {@code null}
 * @param duration     the whole call, lock wait included
 * @since 0.1
 */
public record RollbackResult(List<RolledBackMigration> rolledBack, boolean dryRun, int stillApplied,
        List<String> warnings, Duration duration) {

    public RollbackResult {
        rolledBack = List.copyOf(rolledBack);
        warnings = List.copyOf(warnings);
    }
}
