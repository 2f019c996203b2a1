package dev.tidemark;

import dev.tidemark.testdb.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.sql.DataSource;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A transactional migration is sent as one batch. When it fails, pgjdbc's report names the failing entry: that
 * statement and the server's error are the failure, located exactly as statement by statement, and nothing runs
 * again, so a cancelled or timed-out statement is not run a second time. Only when the report does not name it
 * (pgjdbc's {@code logServerErrorDetail=false}) is the migration rolled back and run statement by statement, in a
 * fresh transaction, to say exactly what failed.
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
    static final String TEN = "20240101000000_ten";

    @TempDir
    Path dir;

    @Test
    void theSeventhOfTenFailingIsNamedByTheBatchAndNothingRunsAgain() {
        try (TestDatabase db = TestDatabase.create(getClass())) {
            MigrationsFolder.in(dir).add(TEN, SEVENTH_OF_TEN_FAILS);
            List<String> executed = Collections.synchronizedList(new ArrayList<>());

            MigrationFailedException e = deployFailing(db.dataSource(), executed);

            assertLocatedAtLineEight(db, e);
            assertThat(batches(executed)).singleElement().asString()
                    .startsWith(RoundTripTests.BATCH + "13]: CREATE TABLE t1");
            assertThat(afterTheBatch(executed)).as("nothing of the migration runs again")
                    .noneMatch(sql -> sql.startsWith("CREATE TABLE t") || sql.startsWith("INSERT INTO t6"));
        }
    }

    @Test
    void aBatchThatDoesNotNameTheStatementIsRunStatementByStatementToLocateIt() {
        try (TestDatabase db = TestDatabase.create(getClass())) {
            MigrationsFolder.in(dir).add(TEN, SEVENTH_OF_TEN_FAILS);
            // pgjdbc's batch report then says "<unknown>" for the entry
            DataSource quiet = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {DataSource.class}, (proxy, method, args) -> method.getName().equals("getConnection")
                            ? DriverManager.getConnection(db.jdbcUrl() + "?logServerErrorDetail=false", db.user(),
                                    db.password())
                            : null);
            List<String> executed = Collections.synchronizedList(new ArrayList<>());

            MigrationFailedException e = deployFailing(quiet, executed);

            assertThat(e.line()).isEqualTo(8);
            assertThat(e.column()).isEqualTo(5);
            assertThat(e.sqlState()).isEqualTo("42703");
            assertThat(e.getMessage()).contains("[TM3018]", TEN + "/migration.sql:8:5", "rolled back");
            // The batch was tried once, then the statements ran one by one up to the failing one.
            List<String> batches = batches(executed);
            assertThat(batches).singleElement().asString().startsWith(RoundTripTests.BATCH + "13]: CREATE TABLE t1");
            int batch = executed.indexOf(batches.get(0));
            assertThat(executed.subList(batch + 1, batch + 8)).containsExactly("CREATE TABLE t1 (id int)",
                    "CREATE TABLE t2 (id int)", "CREATE TABLE t3 (id int)", "CREATE TABLE t4 (id int)",
                    "CREATE TABLE t5 (id int)", "CREATE TABLE t6 (id int)",
                    "INSERT INTO t6 (id,\n    nope) VALUES (1, 2)");
            assertThat(Sql.tableExists(db, "public.t1")).isFalse();
        }
    }

    /** pgjdbc formats the entry's index as the JVM's locale does ("1,199"; "1.199" in German): so does Tidemark. */
    @ParameterizedTest
    @ValueSource(strings = {"en-US", "de-DE", "ja-JP"})
    void theTwelveHundredthEntryIsNamedInAnyLocale(String locale) {
        StringBuilder script = new StringBuilder("CREATE TABLE seed (id int PRIMARY KEY);\n");
        for (int i = 1; i < 1200; i++) {
            script.append("INSERT INTO seed VALUES (").append(i).append(");\n");
        }
        script.append("INSERT INTO seed VALUES (7);\n"); // line 1201: a duplicate key
        Locale before = Locale.getDefault();
        try (TestDatabase db = TestDatabase.create(getClass())) {
            Locale.setDefault(Locale.forLanguageTag(locale));
            MigrationsFolder.in(dir).add("20240101000000_seed", script.toString());
            List<String> executed = Collections.synchronizedList(new ArrayList<>());

            MigrationFailedException e = deployFailing(db.dataSource(), executed);

            assertThat(e.line()).isEqualTo(1201);
            assertThat(e.sqlState()).isEqualTo("23505");
            assertThat(batches(executed)).hasSize(1);
            assertThat(afterTheBatch(executed)).noneMatch(sql -> sql.startsWith("INSERT INTO seed"));
            assertThat(Sql.tableExists(db, "public.seed")).isFalse();
        } finally {
            Locale.setDefault(before);
        }
    }

    /** An operator's pg_cancel_backend stops the migration: before, the run that located it ran it all again. */
    @Test
    void aStatementCancelledByAnOperatorIsNotRunAgain() throws Exception {
        try (TestDatabase db = TestDatabase.create(getClass()); Connection operator = db.connect();
                Statement cancel = operator.createStatement()) {
            MigrationsFolder.in(dir).add("20240101000000_slow", "CREATE TABLE a (id int);\n"
                    + "DO $$ BEGIN PERFORM pg_sleep(60); END $$;\n"
                    + "CREATE TABLE b (id int);\n");
            List<String> executed = Collections.synchronizedList(new ArrayList<>());
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                Future<MigrationFailedException> deploy = pool.submit(() -> deployFailing(db.dataSource(), executed));
                int cancelled = 0;
                for (int i = 0; i < 3_000 && cancelled == 0; i++) {
                    try (ResultSet rs = cancel.executeQuery("SELECT count(pg_cancel_backend(pid)) FROM"
                            + " pg_stat_activity WHERE datname = current_database() AND state = 'active'"
                            + " AND query LIKE 'DO $$ BEGIN PERFORM pg_sleep%'")) {
                        rs.next();
                        cancelled = rs.getInt(1);
                    }
                    Thread.sleep(10);
                }
                assertThat(cancelled).as("the DO statement was seen running and cancelled").isEqualTo(1);

                MigrationFailedException e = deploy.get(30, TimeUnit.SECONDS);

                assertThat(e.line()).isEqualTo(2);
                assertThat(e.sqlState()).isEqualTo("57014");
                assertThat(e.serverMessage()).isEqualTo("canceling statement due to user request");
                assertThat(e.getMessage()).contains("cancelled on request (pg_cancel_backend", "needs fixing")
                        .doesNotContain("statement_timeout");
                assertThat(afterTheBatch(executed)).noneMatch(sql -> sql.startsWith("DO $$"));
                assertThat(Sql.tableExists(db, "public.a")).isFalse();
                assertThat(Sql.tableExists(db, "public.b")).isFalse();
                assertThat(Sql.value(db, "SELECT count(*) FROM _prisma_migrations WHERE finished_at IS NULL"))
                        .isEqualTo(1L);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** A statement that outlives statement_timeout fails once: it is not run for a second statement_timeout. */
    @Test
    void aStatementTimeoutIsWaitedOutOnce() {
        try (TestDatabase db = TestDatabase.create(getClass())) {
            MigrationsFolder.in(dir).add("20240101000000_slow", "CREATE TABLE a (id int);\n"
                    + "DO $$ BEGIN PERFORM pg_sleep(10); END $$;\n");
            List<String> executed = Collections.synchronizedList(new ArrayList<>());
            Migrator migrator = Migrator.builder().dataSource(RoundTripTests.counting(db.dataSource(), executed))
                    .location(dir.toString()).statementTimeout(Duration.ofMillis(300)).build();

            MigrationFailedException e = catchThrowableOfType(MigrationFailedException.class, migrator::deploy);

            assertThat(e.line()).isEqualTo(2);
            assertThat(e.sqlState()).isEqualTo("57014");
            assertThat(e.serverMessage()).isEqualTo("canceling statement due to statement timeout");
            assertThat(batches(executed)).hasSize(1);
            assertThat(afterTheBatch(executed)).noneMatch(sql -> sql.startsWith("DO $$"));
        }
    }

    /** With no retry budget, a lock timeout in the batch fails the deploy after one lock_timeout, not two. */
    @Test
    void aLockTimeoutWithoutRetriesIsWaitedOutOnce() throws Exception {
        try (TestDatabase db = TestDatabase.create(getClass()); Connection holder = db.connect();
                Statement hold = holder.createStatement()) {
            Sql.execute(db, "CREATE TABLE orders (id int)");
            MigrationsFolder.in(dir).add("20240101000000_note", "CREATE TABLE a (id int);\n"
                    + "ALTER TABLE orders ADD COLUMN note text;\n");
            holder.setAutoCommit(false);
            hold.execute("LOCK TABLE orders IN ACCESS SHARE MODE");
            List<String> executed = Collections.synchronizedList(new ArrayList<>());
            Migrator migrator = Migrator.builder().dataSource(RoundTripTests.counting(db.dataSource(), executed))
                    .location(dir.toString()).lockTimeout(Duration.ofMillis(500)).lockRetryBudget(Duration.ZERO)
                    .build();

            MigrationFailedException e = catchThrowableOfType(MigrationFailedException.class, migrator::deploy);

            assertThat(e.line()).isEqualTo(2);
            assertThat(e.sqlState()).isEqualTo("55P03");
            assertThat(batches(executed)).hasSize(1);
            assertThat(afterTheBatch(executed)).noneMatch(sql -> sql.startsWith("ALTER TABLE orders"));
            holder.rollback();
        }
    }

    private MigrationFailedException deployFailing(DataSource dataSource, List<String> executed) {
        Migrator migrator = Migrator.builder().dataSource(RoundTripTests.counting(dataSource, executed))
                .location(dir.toString()).build();
        return catchThrowableOfType(MigrationFailedException.class, migrator::deploy);
    }

    private static List<String> batches(List<String> executed) {
        return executed.stream().filter(sql -> sql.startsWith(RoundTripTests.BATCH)).toList();
    }

    /** What ran after the migration's one batch. */
    private static List<String> afterTheBatch(List<String> executed) {
        List<String> batches = batches(executed);
        assertThat(batches).hasSize(1);
        return executed.subList(executed.indexOf(batches.get(0)) + 1, executed.size());
    }

    private static void assertLocatedAtLineEight(TestDatabase db, MigrationFailedException e) {
        assertThat(e.migration()).isEqualTo(TEN);
        assertThat(e.line()).isEqualTo(8);
        assertThat(e.column()).isEqualTo(5);
        assertThat(e.sqlState()).isEqualTo("42703");
        assertThat(e.serverMessage()).isEqualTo("column \"nope\" of relation \"t6\" does not exist");
        assertThat(e.getMessage()).contains("[TM3018]", TEN + "/migration.sql:8:5", "42703", "rolled back",
                "tidemark resolve --rolled-back " + TEN);
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
