package dev.tidemark.spring.actuate;

import dev.tidemark.Migrator;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

import java.util.Objects;

/**
 * Health of the migrations on Spring Boot 4: UP when the database is up to date, DOWN naming failed and pending
 * migrations. Shown as {@code tidemark} under {@code /actuator/health}.
 *
 * @since 0.1
 */
public class TidemarkHealthIndicator extends AbstractHealthIndicator {

    private final Migrator migrator;

    public TidemarkHealthIndicator(Migrator migrator) {
        super("Tidemark health check failed");
        this.migrator = Objects.requireNonNull(migrator, "migrator");
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        TidemarkHealth.Check check = TidemarkHealth.check(migrator);
        (check.up() ? builder.up() : builder.down()).withDetails(check.details());
    }
}
