package dev.tidemark.junit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Every test starts from the migrated state, whatever the tests before it wrote. */
@TidemarkTest(location = "classpath:db/migrations")
class PerMethodResetTests {

    @Migrated
    DataSource field;

    @Migrated
    MigratedDatabase database;

    DataSource fromBeforeEach;

    @BeforeEach
    void setUp(DataSource dataSource) {
        fromBeforeEach = dataSource;
    }

    @RepeatedTest(3)
    void startsFromTheMigratedStateAndWrites(DataSource dataSource) {
        assertThat(Sql.query(dataSource, "SELECT email FROM \"Account\"")).containsExactly("admin@example.com");
        assertThat(Sql.query(dataSource, "SELECT name FROM \"Tag\"")).containsExactly("inbox");
        assertThat(Sql.scalar(dataSource, "SELECT count(*) FROM \"Note\"")).isEqualTo("0");

        String id = Sql.scalar(dataSource, "INSERT INTO \"Account\" (email) VALUES ('test@example.com') RETURNING id");
        Sql.execute(dataSource, "INSERT INTO \"Note\" (\"accountId\", text) VALUES (" + id + ", 'hello');"
                + " DELETE FROM \"Tag\"");

        assertThat(id).as("the sequence restarts after the seed row").isEqualTo("2");
    }

    @Test
    void injectsTheSameDatabaseEverywhere(MigratedDatabase parameter, DataSource dataSource) {
        assertThat(field).isSameAs(dataSource).isSameAs(fromBeforeEach).isSameAs(database.dataSource());
        assertThat(parameter).isSameAs(database);
        assertThat(database.jdbcUrl()).startsWith("jdbc:postgresql://").endsWith("/" + database.name());
        assertThat(database.postgresUrl()).startsWith("postgresql://").endsWith("/" + database.name());
        assertThat(database.schema()).isEqualTo("public");
        assertThat(Sql.scalar(dataSource, "SELECT current_database()")).isEqualTo(database.name());
    }

    @Nested
    class InANestedClass {

        @Migrated
        DataSource inner;

        @Test
        void getsTheSameResetDatabaseAsTheOuterInstance(DataSource dataSource) {
            assertThat(inner).isSameAs(dataSource).isSameAs(field);
            assertThat(Sql.scalar(dataSource, "SELECT count(*) FROM \"Note\"")).isEqualTo("0");
            Sql.execute(dataSource, "INSERT INTO \"Note\" (\"accountId\", text) VALUES (1, 'nested')");
        }
    }

    @Test
    void resetsOnRequestHalfwayThroughATest() {
        Sql.execute(database.dataSource(), "INSERT INTO \"Tag\" VALUES ('extra')");
        database.reset();
        assertThat(Sql.query(database.dataSource(), "SELECT name FROM \"Tag\"")).containsExactly("inbox");
    }
}
