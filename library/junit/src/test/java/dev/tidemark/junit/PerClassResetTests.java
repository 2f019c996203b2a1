package dev.tidemark.junit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import javax.sql.DataSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The methods of a PER_CLASS test share one reset database, also in @BeforeAll and static fields. */
@TidemarkTest(reset = Reset.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PerClassResetTests {

    @Migrated
    static MigratedDatabase database;

    @BeforeAll
    static void insertSharedRow(DataSource dataSource) {
        assertThat(Sql.scalar(dataSource, "SELECT count(*) FROM \"Account\"")).isEqualTo("1");
        Sql.execute(dataSource, "INSERT INTO \"Account\" (email) VALUES ('shared@example.com')");
    }

    @Test
    @Order(1)
    void seesTheRowFromBeforeAll(DataSource dataSource) {
        assertThat(dataSource).isSameAs(database.dataSource());
        assertThat(Sql.scalar(dataSource, "SELECT count(*) FROM \"Account\"")).isEqualTo("2");
        Sql.execute(dataSource, "INSERT INTO \"Tag\" VALUES ('first')");
    }

    @Test
    @Order(2)
    void seesWhatTheFirstTestWrote(DataSource dataSource) {
        assertThat(Sql.query(dataSource, "SELECT name FROM \"Tag\" ORDER BY name")).containsExactly("first", "inbox");
    }
}
