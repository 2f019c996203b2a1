package dev.tidemark.spring.autoconfigure;

import dev.tidemark.DeployResult;
import dev.tidemark.MigrationStatus;
import dev.tidemark.Migrator;
import dev.tidemark.Redaction;
import dev.tidemark.spring.autoconfigure.TidemarkProperties.Mode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.core.Ordered;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * Runs Tidemark when the application context starts: {@link Migrator#deploy()}, {@link Migrator#validate()} or
 * nothing, as {@code tidemark.mode} says, or the {@link TidemarkMigrationStrategy} bean when there is one.
 *
 * <p>Spring Boot treats beans of this type as database initializers (see
 * {@link TidemarkDatabaseInitializerDetector}), so JPA, JdbcTemplate and jOOQ are created only after it ran. An
 * exception from it fails startup; Tidemark's failure analyzer then explains it.
 *
 * @since 0.1
 */
public class TidemarkInitializer implements InitializingBean, Ordered {

    private static final Logger log = LoggerFactory.getLogger("dev.tidemark");

    private final Migrator migrator;
    private final Mode mode;
    private final TidemarkMigrationStrategy strategy;
    private int order;
    private volatile TidemarkStartup startup;

    /**
     * @param migrator the migrator, never {@code null}
     * @param mode     what to run when there is no strategy, never {@code null}
     * @param strategy what to run instead of the mode's action, or {@code null}
     */
    public TidemarkInitializer(Migrator migrator, Mode mode, TidemarkMigrationStrategy strategy) {
        this.migrator = Objects.requireNonNull(migrator, "migrator");
        this.mode = Objects.requireNonNull(mode, "mode");
        this.strategy = strategy;
    }

    @Override
    public void afterPropertiesSet() {
        String action = strategy != null ? "strategy" : mode.name().toLowerCase(Locale.ROOT);
        Instant started = Instant.now();
        long start = System.nanoTime();
        try {
            DeployResult result = run();
            startup = new TidemarkStartup(action, "success", started, Duration.ofNanos(System.nanoTime() - start),
                    result, null);
        } catch (RuntimeException e) {
            startup = new TidemarkStartup(action, "failure", started, Duration.ofNanos(System.nanoTime() - start),
                    null, Redaction.maskSecrets(e.getMessage())); // shown by the actuator endpoint
            throw e;
        }
    }

    private DeployResult run() {
        if (strategy != null) {
            strategy.migrate(migrator);
            return null;
        }
        return switch (mode) {
            case DEPLOY -> migrator.deploy();
            case VALIDATE -> {
                long start = System.nanoTime();
                MigrationStatus status = migrator.validate();
                log.info("Schema {} is up to date ({} migration(s) applied), validated in {} ms;"
                        + " tidemark.mode=validate applies nothing", migrator.schema(), status.applied().size(),
                        (System.nanoTime() - start) / 1_000_000);
                yield null;
            }
            case NONE -> {
                log.info("tidemark.mode=none: not checking or migrating schema {} at startup", migrator.schema());
                yield null;
            }
        };
    }

    /** What ran at startup; {@code null} before {@link #afterPropertiesSet()}. */
    public TidemarkStartup startup() {
        return startup;
    }

    public Migrator migrator() {
        return migrator;
    }

    public void setOrder(int order) {
        this.order = order;
    }

    @Override
    public int getOrder() {
        return order;
    }
}
