package dev.tidemark;

import dev.tidemark.testdb.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Reading a schema costs a fixed number of catalog queries, however many tables it has. */
class DiffIntrospectionTests {

    @Test
    void queryCountDoesNotGrowWithTheSchema() throws SQLException {
        try (TestDatabase db = TestDatabase.create(getClass())) {
            List<String> executed = Collections.synchronizedList(new ArrayList<>());
            Migrator migrator = Migrator.builder().dataSource(RoundTripTests.counting(db.dataSource(), executed))
                    .location(Corpus.path(Corpus.OWN).toString()).build();
            create(db, 0, 3);
            String small = migrator.describeSchema(SchemaSource.database());
            int smallCount = executed.size();
            executed.clear();

            create(db, 3, 120);
            String large = migrator.describeSchema(SchemaSource.database());

            assertThat(small).contains("table \"t2\"");
            assertThat(large).contains("table \"t119\"").contains("index \"t119_name\"");
            assertThat(executed).hasSize(smallCount);
            assertThat(executed.size()).isLessThanOrEqualTo(16);
        }
    }

    private static void create(TestDatabase db, int from, int to) throws SQLException {
        try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
            for (int i = from; i < to; i++) {
                statement.execute("CREATE TABLE t" + i + " (id serial PRIMARY KEY, name text NOT NULL,"
                        + " parent integer" + (i > 0 ? " REFERENCES t" + (i - 1) + "(id)" : "") + ")");
                statement.execute("CREATE INDEX t" + i + "_name ON t" + i + " (lower(name))");
                statement.execute("CREATE VIEW v" + i + " AS SELECT id FROM t" + i);
            }
        }
    }
}
