package dev.tidemark;

import dev.tidemark.testdb.TestDatabase;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SmokeTests {

    @Test
    void deploysUmami() {
        try (TestDatabase db = TestDatabase.create(getClass())) {
            Migrator migrator = Migrator.builder().url(db.postgresUrl()).location(Corpus.umami().toString()).build();
            DeployResult first = migrator.deploy();
            assertThat(first.applied()).hasSize(19);
            DeployResult second = migrator.deploy();
            assertThat(second.applied()).isEmpty();
            assertThat(migrator.status().upToDate()).isTrue();
        }
    }
}
