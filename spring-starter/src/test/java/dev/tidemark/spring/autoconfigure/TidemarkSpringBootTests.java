package dev.tidemark.spring.autoconfigure;

import dev.tidemark.Migrator;
import dev.tidemark.spring.autoconfigure.books.Book;
import dev.tidemark.spring.autoconfigure.books.BookRepository;
import dev.tidemark.testdb.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A whole Spring Boot application, as users run it: every auto-configuration on the classpath (JPA with
 * {@code ddl-auto=validate}, Spring Data repositories, Actuator, Micrometer) and the starter.
 */
@SpringBootTest(properties = {"spring.jpa.hibernate.ddl-auto=validate",
        "management.endpoints.web.exposure.include=health,tidemark"})
class TidemarkSpringBootTests {

    private static final TestDatabase db = TestDatabase.create(TidemarkSpringBootTests.class);

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", db::jdbcUrl);
        registry.add("spring.datasource.username", db::user);
        registry.add("spring.datasource.password", () -> db.password() == null ? "" : db.password());
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    @Autowired
    private BookRepository books;

    @Autowired
    private Migrator migrator;

    @Autowired
    private MeterRegistry meters;

    @Autowired
    private ApplicationContext context;

    @Test
    void applicationUsesTheMigratedSchemaThroughJpa() {
        Book saved = books.save(new Book("Designing Data-Intensive Applications", "9781449373320"));
        assertThat(books.findById(saved.getId())).get().extracting(Book::getIsbn).isEqualTo("9781449373320");
        assertThat(migrator.status().upToDate()).isTrue();
        assertThat(migrator.status().applied()).hasSize(2);
    }

    @Test
    void deployDurationIsPublishedAsATimer() {
        assertThat(meters.get("tidemark.deploy").tag("action", "deploy").tag("outcome", "success").timer().count())
                .isEqualTo(1);
    }

    @Test
    void healthAndEndpointAreRegistered() throws ReflectiveOperationException {
        assertThat(Boot.health(context.getBean("tidemarkHealthIndicator")).status()).isEqualTo("UP");
        assertThat(context.getBeanNamesForType(dev.tidemark.spring.actuate.TidemarkEndpoint.class)).hasSize(1);
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class BooksApplication {
    }
}
