package dev.tidemark.spring.autoconfigure;

import dev.tidemark.MigrationEvent;
import dev.tidemark.MigrationListener;
import dev.tidemark.Migrator;
import dev.tidemark.spring.actuate.RecentEvents;
import dev.tidemark.spring.actuate.TidemarkEndpoint;
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
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

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

    @Test
    void eachMigrationIsTimedAndNothingIsPendingAfterTheStartupDeploy() {
        for (String migration : List.of("20250101090000_create_book", "20250102090000_add_book_isbn")) {
            assertThat(meters.get("tidemark.migration.duration").tag("migration", migration)
                    .tag("outcome", "success").timer().count()).as(migration).isEqualTo(1);
        }
        assertThat(meters.get("tidemark.pending").gauge().value()).isZero();
        assertThat(meters.get("tidemark.lock.wait").timer().count()).as("the lock was free").isZero();
        assertThat(meters.get("tidemark.lock.retries").counter().count()).isZero();
    }

    @Test
    void listenerBeansHearTheStartupDeployAndTheEndpointShowsItsEvents() {
        assertThat(context.getBean(Heard.class).types).containsExactly("deploy_started", "migration_started",
                "migration_finished", "migration_started", "migration_finished", "deploy_finished");
        TidemarkEndpoint.ContextReport report = context.getBean(TidemarkEndpoint.class).migrations().contexts()
                .get(context.getId());
        assertThat(report.events()).extracting(RecentEvents.EventReport::type)
                .containsExactlyElementsOf(context.getBean(Heard.class).types);
        assertThat(report.events().get(report.events().size() - 1).details())
                .containsEntry("outcome", "APPLIED").containsEntry("applied", 2);
    }

    /** A listener of the application's own: the starter builds the Migrator with it. */
    static class Heard implements MigrationListener {
        final List<String> types = new CopyOnWriteArrayList<>();

        @Override
        public void onEvent(MigrationEvent event) {
            types.add(event.type());
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class BooksApplication {

        @Bean
        Heard heard() {
            return new Heard();
        }
    }
}
