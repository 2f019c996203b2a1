package dev.tidemark;

import java.time.Duration;

/**
 * A migration applied by {@link Migrator#deploy()}.
 *
 * @param name       the migration's directory name
 * @param checksum   the SHA-256 recorded for it
 * @param statements how many statements ran
 * @param duration   how long the migration took, history bookkeeping included
 * @since 0.1
 */
public record AppliedMigration(String name, String checksum, int statements, Duration duration) {
}
