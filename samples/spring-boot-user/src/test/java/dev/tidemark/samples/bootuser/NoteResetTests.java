package dev.tidemark.samples.bootuser;

import dev.tidemark.junit.Migrated;
import dev.tidemark.junit.MigratedDatabase;
import dev.tidemark.junit.TidemarkTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code @TidemarkTest} without Spring, on the JUnit this build's Spring Boot manages: each method gets the database
 * reset, and the database a method gave back (closed by JUnit through its store) is the one the next method gets.
 */
@TidemarkTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NoteResetTests {

    private static String firstDatabase;

    @Migrated
    MigratedDatabase database;

    @Test
    @Order(1)
    void firstMethodWritesARow() throws SQLException {
        firstDatabase = database.name();
        assertThat(insertAndCount()).isEqualTo(1);
    }

    @Test
    @Order(2)
    void secondMethodGetsTheSameDatabaseBackResetToEmpty() throws SQLException {
        assertThat(database.name()).as("the lease of the first method was closed and the database reused")
                .isEqualTo(firstDatabase);
        assertThat(insertAndCount()).isEqualTo(1);
    }

    private int insertAndCount() throws SQLException {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO \"Note\" (\"text\") VALUES ('one')");
            try (ResultSet rs = statement.executeQuery("SELECT count(*) FROM \"Note\"")) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
