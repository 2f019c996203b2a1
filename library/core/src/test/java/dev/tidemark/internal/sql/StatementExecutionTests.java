package dev.tidemark.internal.sql;

import dev.tidemark.DeployResult;
import dev.tidemark.ErrorCode;
import dev.tidemark.MigrationFailedException;
import dev.tidemark.Migrator;
import dev.tidemark.TidemarkException;
import dev.tidemark.testdb.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Statement-by-statement execution through the public API: errors, transaction modes, directives, indexes, locks. */
class StatementExecutionTests {

    @TempDir
    Path folder;
    TestDatabase db;

    @BeforeEach
    void setUp() throws IOException {
        db = TestDatabase.create(getClass());
        Files.writeString(folder.resolve("migration_lock.toml"), "provider = \"postgresql\"\n");
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    @Test
    void aFailingStatementIsReportedWithFileLineColumnSqlStateAndText() throws Exception {
        Path file = migration("20240101000000_broken", """
                -- a comment; with a semicolon
                CREATE TABLE ok (id int);

                INSERT INTO ok
                  VALUES (1);
                SELECT id,
                       nosuch, 'é' AS "a;b"
                  FROM ok
                 WHERE id > 0
                 ORDER BY 1;
                CREATE TABLE never (id int);
                """);
        MigrationFailedException e = catchThrowableOfType(MigrationFailedException.class, () -> migrator().deploy());
        assertThat(e.code()).isEqualTo(ErrorCode.MIGRATION_FAILED);
        assertThat(e.migration()).isEqualTo("20240101000000_broken");
        assertThat(e.file()).isEqualTo(file.toString());
        assertThat(e.line()).isEqualTo(7);
        assertThat(e.column()).isEqualTo(8);
        assertThat(e.sqlState()).isEqualTo("42703");
        assertThat(e.serverMessage()).isEqualTo("column \"nosuch\" does not exist");
        assertThat(e.getMessage()).contains(file + ":7:8", "SQLSTATE 42703", "column \"nosuch\" does not exist",
                "SELECT id, nosuch, 'é' AS \"a;b\" FROM ok ... (2 more lines)", "rolled back",
                "resolve --rolled-back 20240101000000_broken").doesNotContain("ORDER BY");
        System.out.println("Failure message: " + e.getMessage());

        assertThat(exists("ok")).as("rolled back").isFalse();
        HistoryRow row = historyRow("20240101000000_broken");
        assertThat(row.finished()).isFalse();
        assertThat(row.steps()).isZero();
        assertThat(row.logs()).contains("Statement 3 of 4 at " + file + ":7:8 failed", "SQLSTATE 42703",
                "ORDER BY 1", "none of its statements are applied");
    }

    @Test
    void concurrentIndexBuildsRunWithoutATransactionAndRecordTheirSteps() throws Exception {
        migration("20240101000000_table", "CREATE TABLE t (a int, b int);\nINSERT INTO t SELECT g, g FROM"
                + " generate_series(1, 1000) g;\n");
        migration("20240102000000_indexes", """
                CREATE INDEX CONCURRENTLY t_a ON t (a);
                CREATE TABLE t2 (b int);
                CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "t_B" ON t (b);
                """);
        DeployResult result = migrator().deploy();
        assertThat(result.applied()).hasSize(2);
        assertThat(scalar("SELECT count(*) FROM pg_index WHERE indisvalid AND indexrelid::regclass::text IN"
                + " ('t_a', '\"t_B\"')")).isEqualTo(2L);
        assertThat(historyRow("20240102000000_indexes").steps()).isEqualTo(3);
        assertThat(historyRow("20240102000000_indexes").finished()).isTrue();
        assertThat(historyRow("20240101000000_table").steps()).isEqualTo(2);
    }

    @Test
    void aFailedConcurrentBuildLeavesNoInvalidIndexSoTheMigrationCanBeRetried() throws Exception {
        migration("20240101000000_table", "CREATE TABLE t (a int);\nINSERT INTO t VALUES (1), (1), (2);\n");
        Path file = migration("20240102000000_unique", """
                CREATE TABLE IF NOT EXISTS side (x int);
                CREATE UNIQUE INDEX CONCURRENTLY t_a_key ON t (a);
                """);
        MigrationFailedException e = catchThrowableOfType(MigrationFailedException.class, () -> migrator().deploy());
        assertThat(e.sqlState()).isEqualTo("23505");
        assertThat(e.line()).isEqualTo(2);
        assertThat(e.getMessage()).contains(file + ":2:1", "1 of its 2 statement(s) before the failing one are applied",
                "INVALID index public.t_a_key", "dropped it");
        assertThat(scalar("SELECT count(*) FROM pg_index WHERE NOT indisvalid")).isEqualTo(0L);
        assertThat(exists("side")).as("the statement before stays applied").isTrue();
        HistoryRow row = historyRow("20240102000000_unique");
        assertThat(row.steps()).isEqualTo(1);
        assertThat(row.logs()).contains("Statement 2 of 2", "23505", "1 of its 2 statement(s) were applied",
                "dropped it");

        execute("DELETE FROM t WHERE ctid = (SELECT max(ctid) FROM t WHERE a = 1)");
        migrator().resolveRolledBack("20240102000000_unique");
        assertThat(migrator().deploy().applied()).hasSize(1);
        assertThat(scalar("SELECT indisvalid FROM pg_index WHERE indexrelid = 't_a_key'::regclass")).isEqualTo(true);
    }

    @Test
    void anInvalidIndexThatExistedBeforeIsReportedNotDroppedNorSkipped() throws Exception {
        execute("CREATE TABLE t (a int); INSERT INTO t VALUES (1), (1)");
        assertThatThrownBy(() -> execute("CREATE UNIQUE INDEX CONCURRENTLY t_a_key ON t (a)"));
        execute("DELETE FROM t WHERE ctid = (SELECT max(ctid) FROM t)");
        migration("20240101000000_unique", "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS t_a_key ON t (a);\n");

        MigrationFailedException e = catchThrowableOfType(MigrationFailedException.class, () -> migrator().deploy());
        assertThat(e.getMessage()).contains("public.t_a_key already exists but is INVALID",
                "DROP INDEX CONCURRENTLY public.t_a_key");
        assertThat(scalar("SELECT indisvalid FROM pg_index WHERE indexrelid = 't_a_key'::regclass")).isEqualTo(false);

        execute("DROP INDEX t_a_key");
        migrator().resolveRolledBack("20240101000000_unique");
        migrator().deploy();
        assertThat(scalar("SELECT indisvalid FROM pg_index WHERE indexrelid = 't_a_key'::regclass")).isEqualTo(true);
    }

    @Test
    void theNoneDirectiveRunsInAutocommitAndThePerMigrationDirectiveForcesATransaction() throws Exception {
        migration("20240101000000_none", """
                -- Backfill in autocommit, so that each statement commits on its own.
                -- tidemark:transaction=none
                CREATE TABLE a (x int);
                INSERT INTO a VALUES (1);
                SELECT nosuch;
                """);
        MigrationFailedException e = catchThrowableOfType(MigrationFailedException.class, () -> migrator().deploy());
        assertThat(e.line()).isEqualTo(5);
        assertThat(scalar("SELECT count(*) FROM a")).isEqualTo(1L);
        assertThat(historyRow("20240101000000_none").steps()).isEqualTo(2);

        TestDatabase other = TestDatabase.create("directive_tx");
        try (other) {
            Path dir = folder.resolveSibling(folder.getFileName() + "_tx");
            Files.createDirectories(dir.resolve("20240101000000_forced"));
            Files.writeString(dir.resolve("20240101000000_forced/migration.sql"),
                    "-- tidemark:transaction=per-migration\nCREATE TABLE b (x int);\nCREATE INDEX CONCURRENTLY b_x ON"
                            + " b (x);\n");
            MigrationFailedException forced = catchThrowableOfType(MigrationFailedException.class,
                    () -> Migrator.builder().url(other.postgresUrl()).location(dir.toString()).build().deploy());
            assertThat(forced.sqlState()).isEqualTo("25001"); // cannot run inside a transaction block
            assertThat(forced.line()).isEqualTo(3);
        }
    }

    @Test
    void unknownOrMisplacedDirectivesAreRefusedBeforeAnythingRuns() throws Exception {
        migration("20240101000000_typo", "-- tidemark:transactions=none\nCREATE TABLE a (x int);\n");
        assertThatThrownBy(() -> migrator().deploy()).isInstanceOfSatisfying(TidemarkException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.MIGRATIONS_INVALID);
            assertThat(e.getMessage()).contains("migration.sql:1:1", "tidemark:transactions=none",
                    "tidemark:transaction=none");
        });
        migration("20240101000000_typo", "-- tidemark:transaction=nope\nCREATE TABLE a (x int);\n");
        assertThatThrownBy(() -> migrator().deploy()).hasMessageContaining("has a value Tidemark does not know");
        migration("20240101000000_typo", "CREATE TABLE a (x int);\n-- tidemark:transaction=none\n");
        assertThatThrownBy(() -> migrator().deploy()).hasMessageContaining("migration.sql:2:1")
                .hasMessageContaining("after the first statement");
        assertThat(exists("a")).isFalse();
        assertThat(scalar("SELECT count(*) FROM _prisma_migrations")).isEqualTo(0L);
    }

    @Test
    void beginAndCommitInAFileJoinTheMigrationsOwnTransaction() throws Exception {
        migration("20240101000000_explicit", """
                BEGIN;
                CREATE TABLE a (x int);
                COMMIT;
                START TRANSACTION;
                CREATE TABLE b (x int);
                END;
                SELECT nosuch;
                """);
        MigrationFailedException e = catchThrowableOfType(MigrationFailedException.class, () -> migrator().deploy());
        assertThat(e.line()).isEqualTo(7);
        assertThat(exists("a")).as("COMMIT in the file did not commit early").isFalse();
        assertThat(exists("b")).isFalse();
        assertThat(historyRow("20240101000000_explicit").logs()).contains("Statement 3 of 3");
    }

    @Test
    void withoutATransactionExplicitBlocksStillCommitAsAWhole() throws Exception {
        migration("20240101000000_blocks", """
                CREATE TABLE a (x int);
                BEGIN;
                INSERT INTO a VALUES (1);
                INSERT INTO a VALUES (2);
                COMMIT;
                CREATE INDEX CONCURRENTLY a_x ON a (x);
                BEGIN;
                INSERT INTO a VALUES (3);
                INSERT INTO a VALUES ('three');
                COMMIT;
                """);
        MigrationFailedException e = catchThrowableOfType(MigrationFailedException.class, () -> migrator().deploy());
        assertThat(e.line()).isEqualTo(9);
        assertThat(e.sqlState()).isEqualTo("22P02");
        assertThat(scalar("SELECT string_agg(x::text, ',' ORDER BY x) FROM a")).isEqualTo("1,2");
        assertThat(historyRow("20240101000000_blocks").steps()).isEqualTo(4);
        assertThat(e.getMessage()).contains("4 of its 6 statement(s) before the failing one are applied");
    }

    @Test
    void fileTransactionStatementsThatCannotWorkAreRefusedBeforeAnythingRuns() throws Exception {
        migration("20240101000000_rollback", "CREATE TABLE a (x int);\nROLLBACK;\n");
        assertThatThrownBy(() -> migrator().deploy()).hasMessageContaining("migration.sql:2:1")
                .hasMessageContaining("ROLLBACK");
        migration("20240101000000_rollback",
                "CREATE INDEX CONCURRENTLY i ON t (x);\nBEGIN;\nCREATE TABLE a (x int);\n");
        assertThatThrownBy(() -> migrator().deploy()).hasMessageContaining("migration.sql:2:1")
                .hasMessageContaining("never committed");
        migration("20240101000000_rollback", "BEGIN;\nCREATE INDEX CONCURRENTLY i ON t (x);\nCOMMIT;\n");
        assertThatThrownBy(() -> migrator().deploy()).hasMessageContaining("migration.sql:2:1")
                .hasMessageContaining("cannot run inside a transaction block");
        assertThat(scalar("SELECT count(*) FROM _prisma_migrations")).isEqualTo(0L);
    }

    @Test
    void psqlMetaCommandsAreRefusedNamingTheLine() throws Exception {
        migration("20240101000000_psql", "CREATE TABLE a (x int);\n\\connect other\nCREATE TABLE b (x int);\n");
        assertThatThrownBy(() -> migrator().deploy()).isInstanceOfSatisfying(TidemarkException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.MIGRATIONS_INVALID);
            assertThat(e.getMessage()).contains("20240101000000_psql", "migration.sql:2:1", "\\connect other",
                    "psql meta-command");
        });
        assertThat(exists("a")).isFalse();
    }

    @Test
    void aLockTimeoutThatOutlastsTheRetryBudgetNamesTheBlocker() throws Exception {
        execute("CREATE TABLE busy (id int); INSERT INTO busy VALUES (1)");
        migration("20240101000000_alter", "ALTER TABLE busy ADD COLUMN note text;\n");
        try (Connection holder = db.connect()) {
            holder.setAutoCommit(false);
            int holderPid;
            try (Statement s = holder.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT pg_backend_pid() FROM busy /* the long report */")) {
                assertThat(rs.next()).isTrue();
                holderPid = rs.getInt(1);
            }
            MigrationFailedException e = catchThrowableOfType(MigrationFailedException.class, () -> builder()
                    .lockTimeout(Duration.ofMillis(400)).lockRetryBudget(Duration.ofMillis(1500)).build().deploy());
            assertThat(e.sqlState()).isEqualTo("55P03");
            assertThat(e.getMessage()).contains("pid " + holderPid, "the long report", "idle in transaction",
                    "lock retry budget");
            String logs = historyRow("20240101000000_alter").logs();
            assertThat(logs).contains("pid " + holderPid, "lock timeout(s)");
            Matcher timeouts = Pattern.compile("Gave up after (\\d+) lock timeout\\(s\\)").matcher(logs);
            assertThat(timeouts.find()).as("the count of lock timeouts is recorded").isTrue();
            assertThat(Integer.parseInt(timeouts.group(1))).as("retried within the budget, then gave up")
                    .isGreaterThanOrEqualTo(2);
            holder.rollback();
        }
        assertThat(exists("busy")).isTrue();
        assertThat(scalar("SELECT count(*) FROM information_schema.columns WHERE table_name = 'busy'"
                + " AND column_name = 'note'")).isEqualTo(0L);
    }

    @Test
    void aConcurrentBuildThatTimesOutWaitingIsCleanedUpAndRetriedUntilItSucceeds() throws Exception {
        execute("CREATE TABLE t (a int); INSERT INTO t VALUES (1), (2)");
        migration("20240101000000_index", "CREATE INDEX CONCURRENTLY t_a ON t (a);\n");
        try (Connection writer = db.connect()) {
            writer.setAutoCommit(false);
            try (Statement s = writer.createStatement()) {
                s.execute("INSERT INTO t VALUES (3)"); // a write in progress: the build must wait for it
            }
            Thread release = new Thread(() -> {
                try {
                    Thread.sleep(1500);
                    writer.commit();
                } catch (InterruptedException | SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            release.start();
            DeployResult result = builder().lockTimeout(Duration.ofMillis(300)).lockRetryBudget(Duration.ofSeconds(30))
                    .build().deploy();
            release.join();
            assertThat(result.applied()).hasSize(1);
        }
        assertThat(scalar("SELECT count(*) FROM pg_index WHERE indrelid = 't'::regclass")).isEqualTo(1L);
        assertThat(scalar("SELECT indisvalid FROM pg_index WHERE indexrelid = 't_a'::regclass")).isEqualTo(true);
        assertThat(historyRow("20240101000000_index").steps()).isEqualTo(1);
    }

    @Test
    void statementTimeoutCancelsALongStatementAndSaysWhichSettingDidIt() throws Exception {
        migration("20240101000000_slow", "CREATE TABLE a (x int);\nSELECT pg_sleep(5);\n");
        MigrationFailedException e = cancelledUnder(Duration.ofMillis(200));
        assertThat(e.line()).isEqualTo(2);
        assertThat(e.getMessage()).contains("statement_timeout (0.2 s) cancelled it: raise the statement timeout",
                "needs fixing: deploy again").doesNotContain("cancel request", "set by the migration");
        assertThat(exists("a")).isFalse();
    }

    /** Tidemark sets no timeout of its own, so a statement timeout is the file's: fixing the file is the advice. */
    @Test
    void aStatementTimeoutTheMigrationSetsItselfIsTheFilesToRaise() throws Exception {
        migration("20240101000000_slow", "SET LOCAL statement_timeout = '200ms';\nSELECT pg_sleep(5);\n");
        MigrationFailedException e = cancelledUnder(Duration.ZERO);
        assertThat(e.line()).isEqualTo(2);
        assertThat(e.getMessage()).contains("The statement_timeout in force is the one the migration sets at "
                        + e.file() + ":1: raise it there",
                "Fix " + e.file() + ", then run 'tidemark resolve --rolled-back 20240101000000_slow'")
                .doesNotContain("needs fixing", "statement_timeout (");
    }

    /** The migration's SET replaces Tidemark's timeout for the rest of its transaction, whichever is lower. */
    @Test
    void aStatementTimeoutTheMigrationSetsOverTidemarksIsTheFilesToRaise() throws Exception {
        migration("20240101000000_slow", "CREATE TABLE a (x int);\nset local statement_timeout to 200;\n"
                + "SELECT pg_sleep(5);\n");
        MigrationFailedException e = cancelledUnder(Duration.ofSeconds(30));
        assertThat(e.line()).isEqualTo(3);
        assertThat(e.getMessage()).contains("The statement_timeout in force is the one the migration sets at "
                        + e.file() + ":2, not Tidemark's statement_timeout (30 s): raise it there",
                "Fix " + e.file() + ", then run 'tidemark resolve --rolled-back 20240101000000_slow'")
                .doesNotContain("needs fixing", "cancel request");
        assertThat(exists("a")).isFalse();
    }

    /** Without a transaction, a SET LOCAL ends with its own statement: Tidemark's timeout is the one in force. */
    @Test
    void aSetLocalInAnEarlierAutocommitStatementLeavesTidemarksTimeoutInForce() throws Exception {
        migration("20240101000000_slow", "-- tidemark:transaction=none\nSET LOCAL statement_timeout = '60s';\n"
                + "SELECT pg_sleep(5);\n");
        MigrationFailedException e = cancelledUnder(Duration.ofMillis(200));
        assertThat(e.line()).isEqualTo(3);
        assertThat(e.getMessage()).contains("statement_timeout (0.2 s) cancelled it: raise the statement timeout",
                "needs fixing: deploy again").doesNotContain("the migration sets", "unless");
    }

    /** A statement that only mentions the setting may or may not have changed it: the advice covers both. */
    @Test
    void aStatementThatMayHaveChangedTheTimeoutGetsAdviceForEither() throws Exception {
        migration("20240101000000_slow", "SELECT current_setting('statement_timeout');\nSELECT pg_sleep(5);\n");
        MigrationFailedException e = cancelledUnder(Duration.ofMillis(200));
        assertThat(e.getMessage()).contains("Tidemark's statement_timeout (0.2 s) cancelled it, unless the statement"
                        + " at " + e.file() + ":1 changed the statement_timeout",
                "If the migration's statement_timeout was in force, fix " + e.file()
                        + ", then run 'tidemark resolve --rolled-back 20240101000000_slow'",
                "If Tidemark's was, raise it; nothing in the file then needs fixing: deploy again")
                .doesNotContain("Nothing in");
    }

    @Test
    void directivesWorkWithWindowsLineEndings() throws Exception {
        migration("20240101000000_crlf",
                "-- tidemark:transaction=none\r\nCREATE TABLE a (x int);\r\nSELECT nosuch;\r\n");
        MigrationFailedException e = catchThrowableOfType(MigrationFailedException.class, () -> migrator().deploy());
        assertThat(e.line()).isEqualTo(3);
        assertThat(e.column()).isEqualTo(8);
        assertThat(exists("a")).as("ran in autocommit").isTrue();
    }

    @Test
    void theSessionsOwnTimeoutsAreLeftAsTheyWere() throws Exception {
        try (Connection shared = db.connect()) {
            try (Statement s = shared.createStatement()) {
                s.execute("SET lock_timeout = '7s'; SET statement_timeout = '9s'");
            }
            javax.sql.DataSource single = singleConnection(shared);
            migration("20240101000000_tx", "CREATE TABLE a (x int);\n");
            migration("20240102000000_none", "CREATE INDEX CONCURRENTLY a_x ON a (x);\n");
            Migrator.builder().dataSource(single).location(folder.toString()).build().deploy();
            try (Statement s = shared.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT current_setting('lock_timeout'), current_setting('statement_timeout')")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("7s");
                assertThat(rs.getString(2)).isEqualTo("9s");
            }
        }
        assertThat(historyRow("20240102000000_none").finished()).isTrue();
    }

    @Test
    void theTrickyScriptsDeployThroughTheDriverStatementByStatement() throws Exception {
        String[] names = {"strings", "dollars", "comments", "identifiers", "atomic", "transactions"};
        int expectedStatements = 0;
        for (int i = 0; i < names.length; i++) {
            String script = ScriptSplitterTests.resource("sql/tricky/" + names[i] + ".sql");
            migration("2024010100000" + i + "_" + names[i], script);
            // BEGIN and COMMIT are the driver's; the modes a BEGIN names run, as SET TRANSACTION.
            expectedStatements += (int) ScriptSplitter.split(script).stream()
                    .filter(st -> !MigrationPlan.isTransactionControl(st)
                            || MigrationPlan.transactionModes(st) != null).count();
        }
        DeployResult result = migrator().deploy();
        assertThat(result.applied()).hasSize(names.length);
        assertThat(result.applied().stream().mapToInt(a -> a.statements()).sum()).isEqualTo(expectedStatements);
        assertThat(scalar("SELECT atomic_case(-1) || atomic_param(1, 2) || tricky_plpgsql('x')"))
                .isEqualTo("neg;3x;");
        assertThat(scalar("SELECT string_agg(v::text, ',' ORDER BY v) FROM atomic_log")).isEqualTo("1,2");
        assertThat(scalar("SELECT string_agg(id::text, ',') FROM tx_one")).isEqualTo("1");
    }

    @Test
    void withoutLockContentionTheWatcherNeverOpensASecondConnection() throws Exception {
        migration("20240101000000_a", "CREATE TABLE a (x int);\nCREATE INDEX CONCURRENTLY a_x ON a (x);\n");
        migration("20240102000000_b", "ALTER TABLE a ADD COLUMN y int;\nINSERT INTO a VALUES (1, 2);\n");
        java.util.concurrent.atomic.AtomicInteger borrowed = new java.util.concurrent.atomic.AtomicInteger();
        javax.sql.DataSource real = db.dataSource();
        javax.sql.DataSource counting = (javax.sql.DataSource) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {javax.sql.DataSource.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getConnection")) {
                        borrowed.incrementAndGet();
                    }
                    return method.invoke(real, args);
                });
        assertThat(Migrator.builder().dataSource(counting).location(folder.toString()).build().deploy().applied())
                .hasSize(2);
        assertThat(borrowed).hasValue(1);
    }

    // ---- helpers

    /** A DataSource handing out one connection whose close() does nothing, as a pool's connection returns. */
    private static javax.sql.DataSource singleConnection(Connection connection) {
        Connection unclosable = (Connection) java.lang.reflect.Proxy.newProxyInstance(
                StatementExecutionTests.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("close")) {
                        return null;
                    }
                    try {
                        return method.invoke(connection, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        return (javax.sql.DataSource) java.lang.reflect.Proxy.newProxyInstance(
                StatementExecutionTests.class.getClassLoader(), new Class<?>[] {javax.sql.DataSource.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getConnection")) {
                        return unclosable;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    /** Deploys with Tidemark's statement timeout {@code timeout} (zero: none): a statement is cancelled. */
    private MigrationFailedException cancelledUnder(Duration timeout) {
        MigrationFailedException e = catchThrowableOfType(MigrationFailedException.class,
                () -> builder().statementTimeout(timeout).build().deploy());
        assertThat(e.sqlState()).isEqualTo("57014");
        return e;
    }

    private Migrator migrator() {
        return builder().build();
    }

    private Migrator.Builder builder() {
        return Migrator.builder().url(db.postgresUrl()).location(folder.toString());
    }

    private Path migration(String name, String sql) throws IOException {
        Path dir = folder.resolve(name);
        Files.createDirectories(dir);
        return Files.writeString(dir.resolve("migration.sql"), sql);
    }

    record HistoryRow(int steps, String logs, boolean finished) {
    }

    private HistoryRow historyRow(String name) throws SQLException {
        try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement("SELECT applied_steps_count, logs,"
                + " finished_at IS NOT NULL FROM _prisma_migrations WHERE migration_name = ? AND rolled_back_at IS NULL"
                + " ORDER BY started_at DESC LIMIT 1")) {
            s.setString(1, name);
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).as("history row of " + name).isTrue();
                return new HistoryRow(rs.getInt(1), rs.getString(2), rs.getBoolean(3));
            }
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private Object scalar(String sql) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getObject(1) : null;
        }
    }

    private boolean exists(String table) throws SQLException {
        return scalar("SELECT to_regclass('public." + table + "')") != null;
    }
}
