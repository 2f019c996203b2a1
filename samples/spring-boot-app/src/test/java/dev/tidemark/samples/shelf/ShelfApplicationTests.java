package dev.tidemark.samples.shelf;

import dev.tidemark.Migrator;
import dev.tidemark.testdb.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/** The sample as users run it, on its own database: migrations, then Hibernate validation, then the runner. */
@SpringBootTest(args = "Refactoring")
class ShelfApplicationTests {

    private static final TestDatabase db = TestDatabase.create(ShelfApplicationTests.class);

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> db.jdbcUrl() + "?currentSchema=shelf");
        registry.add("spring.datasource.username", db::user);
        registry.add("spring.datasource.password", () -> db.password() == null ? "" : db.password());
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    @Autowired
    private Migrator migrator;

    @Autowired
    private BookRepository books;

    @Autowired
    private JdbcTemplate jdbc;

    @Test
    void migratesTheShelfSchemaThenShelvesTheBookNamedOnTheCommandLine() {
        assertThat(migrator.schema()).isEqualTo("shelf");
        assertThat(migrator.status().upToDate()).isTrue();
        assertThat(jdbc.queryForList("SELECT migration_name FROM shelf._prisma_migrations ORDER BY started_at",
                String.class)).containsExactly("20251201090000_create_book", "20251202090000_add_review");
        assertThat(books.findAll()).extracting(Book::getTitle).containsExactly("Refactoring");
        assertThat(jdbc.queryForObject("SELECT stars FROM shelf.review", Integer.class)).isEqualTo(5);
    }
}
