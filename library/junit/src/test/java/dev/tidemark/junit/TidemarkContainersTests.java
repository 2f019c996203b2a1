package dev.tidemark.junit;

import dev.tidemark.DeployResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.postgresql.PostgreSQLContainer;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs where Docker is; skipped elsewhere (TidemarkExtensionTests proves the skip). */
@RequiresDocker
class TidemarkContainersTests {

    static final PostgreSQLContainer postgres = new PostgreSQLContainer("postgres:16-alpine");

    @AfterAll
    static void stop() {
        postgres.stop();
    }

    @Test
    void startsAndMigratesTheContainer() {
        DeployResult result = TidemarkContainers.migrate(postgres, "classpath:db/migrations");

        assertThat(postgres.isRunning()).isTrue();
        assertThat(result.applied()).hasSize(2);
        assertThat(TidemarkContainers.migrator(postgres).location("classpath:db/migrations").build().status()
                .upToDate()).isTrue();
    }
}
