package dev.tidemark;

import java.time.Duration;

/**
 * A migration rolled back by {@link Migrator#rollback(RollbackRequest)}.
 *
 * @param name           the migration's directory name
 * @param downFile       the down script that ran (or would run)
 * @param statements     how many statements of it ran (in a dry run: it holds)
 * @param inTransaction  whether it runs as one transaction (else in autocommit, statement by statement, by the same
 *                       rules and directive as {@code migration.sql})
 * @param duration       how long it took, history bookkeeping included; zero in a dry run
 * @since 0.1
 */
public record RolledBackMigration(String name, String downFile, int statements, boolean inTransaction,
        Duration duration) {
}
