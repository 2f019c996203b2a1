package dev.tidemark;

import dev.tidemark.testdb.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A transactional migration is sent as one batch, whose failure does not say which statement failed; the migration is
 * then rolled back and run statement by statement in a fresh transaction, only to say exactly what failed.
 */
class BatchedFailureTests {

    /** Ten statements; the seventh (lines 7 and 8) names a column that does not exist, at line 8, column 5. */
    static final String SEVENTH_OF_TEN_FAILS = "CREATE TABLE t1 (id int);\n"
            + "CREATE TABLE t2 (id int);\n"
            + "CREATE TABLE t3 (id int);\n"
            + "CREATE TABLE t4 (id int);\n"
            + "CREATE TABLE t5 (id int);\n"
            + "CREATE TABLE t6 (id int);\n"
            + "INSERT INTO t6 (id,\n"
            + "    nope) VALUES (1, 2);\n"
            + "CREATE TABLE t8 (id int);\n"
            + "CREATE TABLE t9 (id int);\n"
            + "CREATE TABLE t10 (id int);\n";

    @TempDir
    Path dir;

    @Test
    void theSeventhOfTenFailingIsLocatedAsStatementByStatementAndNothingIsApplied() {
        try (TestDatabase db = TestDatabase.create(getClass())) {
            MigrationsFolder.in(dir).add("20240101000000_ten", SEVENTH_OF_TEN_FAILS);
            List<String> executed = Collections.synchronizedList(new ArrayList<>());
            Migrator migrator = Migrator.builder().dataSource(RoundTripTests.counting(db.dataSource(), executed))
                    .location(dir.toString()).build();

            MigrationFailedException e = catchThrowableOfType(MigrationFailedException.class, migrator::deploy);

            assertThat(e.migration()).isEqualTo("20240101000000_ten");
            assertThat(e.line()).isEqualTo(8);
            assertThat(e.column()).isEqualTo(5);
            assertThat(e.sqlState()).isEqualTo("42703");
            assertThat(e.serverMessage()).isEqualTo("column \"nope\" of relation \"t6\" does not exist");
            assertThat(e.getMessage()).contains("[TM3018]", "20240101000000_ten/migration.sql:8:5", "42703",
                    "rolled back", "tidemark resolve --rolled-back 20240101000000_ten");
            // The batch was tried once, then the statements ran one by one up to the failing one.
            List<String> batches = executed.stream().filter(sql -> sql.startsWith(RoundTripTests.BATCH)).toList();
            assertThat(batches).singleElement().asString().startsWith(RoundTripTests.BATCH + "13]: CREATE TABLE t1");
            int batch = executed.indexOf(batches.get(0));
            assertThat(executed.subList(batch + 1, batch + 8)).containsExactly("CREATE TABLE t1 (id int)",
                    "CREATE TABLE t2 (id int)", "CREATE TABLE t3 (id int)", "CREATE TABLE t4 (id int)",
                    "CREATE TABLE t5 (id int)", "CREATE TABLE t6 (id int)",
                    "INSERT INTO t6 (id,\n    nope) VALUES (1, 2)");
            // Nothing applied; the failure recorded as Prisma leaves one.
            for (String table : List.of("t1", "t6", "t10")) {
                assertThat(Sql.tableExists(db, "public." + table)).isFalse();
            }
            List<List<Object>> rows = Sql.query(db, "SELECT finished_at IS NULL, applied_steps_count, logs"
                    + " FROM _prisma_migrations");
            assertThat(rows).singleElement().satisfies(row -> {
                assertThat(row.get(0)).isEqualTo(true);
                assertThat(row.get(1)).isEqualTo(0);
                assertThat((String) row.get(2)).contains("42703", "migration.sql:8:5");
            });
        }
    }
}
