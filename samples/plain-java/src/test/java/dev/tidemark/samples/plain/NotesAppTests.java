package dev.tidemark.samples.plain;

import dev.tidemark.Migrator;
import dev.tidemark.testdb.TestDatabase;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NotesAppTests {

    @Test
    void migratesAtBootThenUsesTheTables() throws Exception {
        try (TestDatabase db = TestDatabase.create(getClass())) {
            String url = db.postgresUrl() + "?schema=notes";
            Migrator migrator = Migrator.builder().url(url).location("classpath:db/migrations").build();

            assertThat(migrator.deploy().applied()).extracting("name").containsExactly(
                    "20251101090000_create_notes", "20251102090000_add_note_tags",
                    "20251103090000_index_notes_concurrently");
            assertThat(NotesApp.run(url, migrator.schema(), "first")).isEqualTo(1);

            // A second boot applies nothing and keeps the data.
            assertThat(migrator.deploy().applied()).isEmpty();
            assertThat(NotesApp.run(url, migrator.schema(), "second")).isEqualTo(2);
        }
    }
}
