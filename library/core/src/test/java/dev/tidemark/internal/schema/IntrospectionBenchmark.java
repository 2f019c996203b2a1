package dev.tidemark.internal.schema;

import dev.tidemark.testdb.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.util.Set;

/**
 * Not a test (surefire does not pick it up): measures introspection of a large schema. Run with
 * {@code ./mvnw -q -pl library/core -am test -Dtest=IntrospectionBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class IntrospectionBenchmark {

    private static final int TABLES = 500;

    @Test
    void introspectsALargeSchema() throws Exception {
        try (TestDatabase db = TestDatabase.create(getClass()); Connection connection = db.connect()) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TYPE status AS ENUM ('A', 'B', 'C')");
                StringBuilder sql = new StringBuilder();
                for (int i = 0; i < TABLES; i++) {
                    sql.append("CREATE TABLE t").append(i).append(" (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
                            + " name varchar(100) NOT NULL, email text UNIQUE, status status NOT NULL DEFAULT 'A',"
                            + " score numeric(10,2) CHECK (score >= 0), created timestamptz NOT NULL DEFAULT now(),"
                            + " parent bigint").append(i > 0 ? " REFERENCES t" + (i - 1) + "(id)" : "")
                            .append(", note text);\n");
                    sql.append("CREATE INDEX t").append(i).append("_name ON t").append(i)
                            .append(" (lower(name)) WHERE status <> 'C';\n");
                    sql.append("COMMENT ON TABLE t").append(i).append(" IS 'table ").append(i).append("';\n");
                }
                statement.execute(sql.toString());
            }
            SchemaIntrospector introspector = new SchemaIntrospector("public", Set.of());
            for (int round = 0; round < 3; round++) {
                introspector.read(connection); // warm-up: class loading, JIT, server caches
            }
            int rounds = 10;
            long start = System.nanoTime();
            SchemaModel model = null;
            for (int round = 0; round < rounds; round++) {
                model = introspector.read(connection);
            }
            long perRead = (System.nanoTime() - start) / rounds / 1_000_000;
            long renderStart = System.nanoTime();
            String text = SchemaRenderer.render(model);
            long render = (System.nanoTime() - renderStart) / 1_000_000;
            System.out.printf("Introspection of %d tables (%d columns, %d constraints, %d indexes): %d ms per read;"
                    + " rendering %d characters: %d ms%n", model.tables().size(),
                    model.tables().stream().mapToInt(t -> t.columns().size()).sum(),
                    model.tables().stream().mapToInt(t -> t.constraints().size()).sum(), model.indexes().size(),
                    perRead, text.length(), render);
        }
    }
}
