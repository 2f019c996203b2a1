package dev.tidemark.junit;

import dev.tidemark.DeployResult;
import dev.tidemark.Migrator;
import org.testcontainers.postgresql.PostgreSQLContainer;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * Migrates a Testcontainers {@link PostgreSQLContainer}, for tests that bring their own container.
 *
 * <pre>{@code
 * @RequiresDocker
 * class ContainerTests {
 *     static final PostgreSQLContainer postgres = new PostgreSQLContainer("postgres:16-alpine");
 *
 *     @BeforeAll
 *     static void migrate() {
 *         TidemarkContainers.migrate(postgres, "classpath:db/migrations");
 *     }
 * }
 * }</pre>
 *
 * <p>Annotate such tests with {@link RequiresDocker} so that they are skipped, not failed, where Docker is absent.
 *
 * @since 0.1
 */
public final class TidemarkContainers {

    private TidemarkContainers() {
    }

    /** A Migrator builder for the container's database (its JDBC URL, user and password); starts the container. */
    public static Migrator.Builder migrator(PostgreSQLContainer container) {
        Objects.requireNonNull(container, "container");
        if (!container.isRunning()) {
            container.start();
        }
        return Migrator.builder()
                .url(container.getJdbcUrl())
                .user(container.getUsername())
                .password(container.getPassword());
    }

    /** Starts the container if it is not running and deploys the migrations at {@code location} to it. */
    public static DeployResult migrate(PostgreSQLContainer container, String location) {
        return migrate(container, builder -> builder.location(location));
    }

    /** Starts the container if needed and deploys to it, with further settings made by {@code configuration}. */
    public static DeployResult migrate(PostgreSQLContainer container, Consumer<Migrator.Builder> configuration) {
        Migrator.Builder builder = migrator(container);
        configuration.accept(builder);
        return builder.build().deploy();
    }
}
