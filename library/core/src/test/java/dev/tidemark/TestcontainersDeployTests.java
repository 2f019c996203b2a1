package dev.tidemark;

import dev.tidemark.testdb.TestDatabase;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.testcontainers.postgresql.PostgreSQLContainer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Deploys into a PostgreSQL container of another major version than the local server. Runs where a Docker engine
 * answers and is skipped (not failed) where there is none.
 */
@EnabledIf("dockerAvailable")
class TestcontainersDeployTests {

    static boolean dockerAvailable() {
        return TestDatabase.dockerAvailable();
    }

    @ParameterizedTest
    @ValueSource(strings = {Corpus.OWN, Corpus.UMAMI})
    void deploysAHistoryIntoAFreshContainer(String name) {
        java.nio.file.Path corpus = Corpus.path(name);
        try (PostgreSQLContainer postgres = new PostgreSQLContainer("postgres:17-alpine")) {
            postgres.start();
            Migrator migrator = Migrator.builder().url(postgres.getJdbcUrl()).user(postgres.getUsername())
                    .password(postgres.getPassword()).location(corpus.toString()).build();

            assertThat(migrator.deploy().applied()).hasSize(Corpus.migrationDirectories(corpus).size());
            assertThat(migrator.status().upToDate()).isTrue();
            assertThat(migrator.deploy().applied()).isEmpty();
        }
    }
}
