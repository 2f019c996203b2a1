package dev.tidemark.spring.autoconfigure;

import dev.tidemark.Migrator;

/**
 * Replaces what Tidemark runs at startup. When a bean of this type exists, {@link TidemarkInitializer} calls it
 * instead of the action of {@code tidemark.mode}, still before JPA, JdbcTemplate and jOOQ initialise.
 *
 * <p>For example, deploy only in one profile and validate elsewhere, or log and continue after a lock timeout.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface TidemarkMigrationStrategy {

    /**
     * Runs Tidemark at startup.
     *
     * @param migrator the auto-configured migrator, never {@code null}
     */
    void migrate(Migrator migrator);
}
