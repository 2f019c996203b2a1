package dev.tidemark;

import java.time.Duration;
import java.util.List;

/**
 * The result of {@link Migrator#deploy()}.
 *
 * @param applied        the migrations applied by this call, in order; empty when the database was up to date
 * @param alreadyApplied how many local migrations were already applied before this call
 * @param warnings       things the operator should know (modified or missing migrations); never {@code null}
 * @param duration       the whole call, lock wait included
 * @since 0.1
 */
public record DeployResult(List<AppliedMigration> applied, int alreadyApplied, List<DeployWarning> warnings,
        Duration duration) {

    public DeployResult {
        applied = List.copyOf(applied);
        warnings = List.copyOf(warnings);
    }
}
