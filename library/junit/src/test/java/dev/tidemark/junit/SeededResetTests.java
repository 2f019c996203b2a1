package dev.tidemark.junit;

import org.junit.jupiter.api.RepeatedTest;

import javax.sql.DataSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The seed file runs once into the template; every per-test reset restores its rows with the migrations' own. */
@TidemarkTest(location = "classpath:db/migrations", seed = "classpath:db/seed.sql")
class SeededResetTests {

    @RepeatedTest(3)
    void everyTestStartsFromTheSeededState(DataSource dataSource) {
        assertThat(Sql.query(dataSource, "SELECT email FROM \"Account\" ORDER BY id"))
                .containsExactly("admin@example.com", "seeded@example.com");
        assertThat(Sql.query(dataSource, "SELECT name FROM \"Tag\" ORDER BY name")).containsExactly("inbox", "seeded");

        Sql.execute(dataSource, "DELETE FROM \"Tag\"; INSERT INTO \"Account\" (email) VALUES ('test@example.com')");
    }
}
