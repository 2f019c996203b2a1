package dev.tidemark.samples.bootuser;

import dev.tidemark.Migrator;
import dev.tidemark.junit.Migrated;
import dev.tidemark.junit.MigratedDatabase;
import dev.tidemark.junit.Reset;
import dev.tidemark.junit.TidemarkTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import javax.sql.DataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A user's {@code @SpringBootTest} on the database {@code @TidemarkTest} migrated: the context is pointed at it, the
 * starter finds nothing to deploy, and the application and the test see the same rows.
 */
@SpringBootTest
@TidemarkTest(reset = Reset.PER_CLASS)
class NotesApplicationTests {

    @Migrated
    static MigratedDatabase database;

    @DynamicPropertySource
    static void datasource(DynamicPropertyRegistry registry) {
        // Called when the context starts, after @TidemarkTest has leased the class's database.
        registry.add("spring.datasource.url", () -> database.jdbcUrl());
        registry.add("spring.datasource.username", () -> database.user());
        registry.add("spring.datasource.password", () -> database.password() == null ? "" : database.password());
    }

    @Autowired
    Migrator migrator;

    @Autowired
    NoteStore notes;

    @Test
    void theStarterMigratedTheDatabaseTheTestGot(DataSource dataSource) throws Exception {
        assertThat(migrator.status().upToDate()).isTrue();
        assertThat(migrator.status().applied()).extracting(m -> m.name())
                .containsExactly("20250301090000_create_note");

        notes.add("written by the application");

        try (var connection = dataSource.getConnection(); var statement = connection.createStatement();
                var rs = statement.executeQuery("SELECT \"text\" FROM \"Note\"")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("written by the application");
        }
    }

    @Test
    void runsOnTheSpringBootAndJUnitThisBuildExpects() {
        assertThat(SpringBootVersion.getVersion()).isEqualTo(System.getProperty("tidemark.expected.spring-boot"));
        assertThat(Test.class.getPackage().getImplementationVersion())
                .isEqualTo(System.getProperty("tidemark.expected.junit"));
    }
}
