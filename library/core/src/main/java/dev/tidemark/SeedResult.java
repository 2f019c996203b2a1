package dev.tidemark;

import java.time.Duration;

/**
 * The result of {@link Migrator#seed()}.
 *
 * @param file       the seed file, as configured
 * @param statements how many statements ran, in one transaction
 * @param duration   how long it took
 * @since 0.1
 */
public record SeedResult(String file, int statements, Duration duration) {
}
