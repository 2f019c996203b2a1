package dev.tidemark.spring.autoconfigure;

import dev.tidemark.Migrator;

/**
 * Adjusts the {@link Migrator.Builder} after {@code tidemark.*} properties were applied and before the auto-configured
 * {@link Migrator} is built. Beans of this type are applied in {@link org.springframework.core.annotation.Order}
 * order.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface TidemarkCustomizer {

    /**
     * Customizes the builder.
     *
     * @param builder the builder, never {@code null}
     */
    void customize(Migrator.Builder builder);
}
