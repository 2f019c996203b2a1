package dev.tidemark;

import dev.tidemark.testdb.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An autocommit migration whose deployer is killed (SIGKILL) or whose backend is terminated in the middle of a
 * {@code CREATE INDEX CONCURRENTLY}: the next deploy resumes it.
 */
class InterruptedAutocommitTests {

    static final String INIT = "20240101000000_init";
    static final String INDEX = "20240102000000_index";
    static final String AFTER = "20240103000000_after";
    static final String FILL_B = "CREATE PROCEDURE fill_b() LANGUAGE plpgsql AS $$ BEGIN INSERT INTO b VALUES (1);"
            + " END $$;";

    @TempDir
    Path dir;
    TestDatabase db;
    MigrationsFolder folder;

    @BeforeEach
    void setUp() {
        db = TestDatabase.create(getClass());
        folder = MigrationsFolder.in(dir.resolve("migrations"))
                .add(INIT, "CREATE TABLE t (id int);\nINSERT INTO t SELECT generate_series(1, 1000);")
                .add(INDEX, "CREATE INDEX CONCURRENTLY t_id ON t (id);")
                .add(AFTER, "CREATE TABLE after_index (id int);");
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    /**
     * The server finishes a concurrent build whose client was killed: the index is VALID while the row records 0
     * steps. The next deploy sees the index, counts the statement as done and goes on.
     */
    @Test
    void aKilledDeployerWhoseIndexBuildCompletedOnTheServerIsResumed() throws Exception {
        deployUpTo(INIT);
        try (Connection blocker = db.connect(); Statement snapshot = blocker.createStatement()) {
            // An open snapshot makes the build wait in its last phase, where the kill lands.
            blocker.setAutoCommit(false);
            snapshot.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
            snapshot.execute("SELECT count(*) FROM pg_class");
            Process deployer = DeployerProcess.start(db.postgresUrl(), folder.path(), 0, dir.resolve("deployer.log"));
            awaitBuildWaiting();
            deployer.destroyForcibly();
            assertThat(deployer.waitFor(30, TimeUnit.SECONDS)).isTrue();
            blocker.commit();
        }
        awaitNoBuild();
        assertThat(Sql.value(db, "SELECT indisvalid FROM pg_index WHERE indexrelid = 't_id'::regclass"))
                .as("the server finished the build after its client died").isEqualTo(true);
        assertThat(Sql.query(db, "SELECT finished_at IS NULL, applied_steps_count FROM _prisma_migrations"
                + " WHERE migration_name = '" + INDEX + "'")).containsExactly(List.of(true, 0));

        DeployResult result = folder.migrator(db.postgresUrl()).build().deploy();

        assertThat(result.applied()).extracting(AppliedMigration::name).containsExactly(INDEX, AFTER);
        assertOneFinishedRowEach();
        assertThat(Sql.value(db, "SELECT indisvalid FROM pg_index WHERE indexrelid = 't_id'::regclass"))
                .isEqualTo(true);
        assertThat(Sql.tableExists(db, "public.after_index")).isTrue();
        assertThat(folder.migrator(db.postgresUrl()).build().status().upToDate()).isTrue();
    }

    /** A terminated backend aborts the build and leaves the index INVALID: the next deploy drops and rebuilds it. */
    @Test
    void aTerminatedIndexBuildIsDroppedAndRebuilt() throws Exception {
        deployUpTo(INIT);
        Process deployer;
        try (Connection blocker = db.connect(); Statement snapshot = blocker.createStatement()) {
            blocker.setAutoCommit(false);
            snapshot.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
            snapshot.execute("SELECT count(*) FROM pg_class");
            deployer = DeployerProcess.start(db.postgresUrl(), folder.path(), 0, dir.resolve("deployer.log"));
            int pid = awaitBuildWaiting();
            try (Connection admin = db.connect(); Statement terminate = admin.createStatement()) {
                terminate.execute("SELECT pg_terminate_backend(" + pid + ")");
            }
            assertThat(deployer.waitFor(60, TimeUnit.SECONDS)).isTrue();
            blocker.commit();
        }
        assertThat(deployer.exitValue()).isEqualTo(1);
        String output = java.nio.file.Files.readString(dir.resolve("deployer.log"));
        assertThat(output).contains("57P01", "deploy again").doesNotContain("Fix ");
        assertThat(Sql.value(db, "SELECT indisvalid FROM pg_index WHERE indexrelid = 't_id'::regclass"))
                .as("the aborted build left an INVALID index").isEqualTo(false);

        DeployResult result = folder.migrator(db.postgresUrl()).build().deploy();

        assertThat(result.applied()).extracting(AppliedMigration::name).containsExactly(INDEX, AFTER);
        assertOneFinishedRowEach();
        assertThat(Sql.value(db, "SELECT indisvalid FROM pg_index WHERE indexrelid = 't_id'::regclass"))
                .isEqualTo(true);
    }

    /** The row a killed deployer leaves: started, never finished, no logs, the steps it had recorded. */
    private void interruptedRow(String name, String script, int steps) throws Exception {
        String checksum = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(script.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        Sql.execute(db, "INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at,"
                + " applied_steps_count) VALUES (gen_random_uuid()::text, '" + checksum + "', '" + name + "', now(), "
                + steps + ")");
    }

    @Test
    void strictModeRefusesAsPrismaAndSaysTheInterruptedStatementMayHaveCompleted() throws Exception {
        deployUpTo(INIT);
        Sql.execute(db, "CREATE INDEX t_id ON t (id)");
        interruptedRow(INDEX, "CREATE INDEX CONCURRENTLY t_id ON t (id);", 0);
        Migrator strict = folder.migrator(db.postgresUrl()).resumeInterrupted(false).build();

        assertThatThrownBy(strict::deploy).isInstanceOfSatisfying(TidemarkException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.FAILED_MIGRATION_PRESENT);
            assertThat(e.getMessage()).contains(INDEX, "statement 1 of 1", INDEX + "/migration.sql:1",
                    "may have completed", "resumeInterrupted false", "resolve --applied " + INDEX);
        });
        assertThat(Sql.tableExists(db, "public.after_index")).isFalse();

        // The default goes on: the index is there and VALID, so the statement counts as done.
        assertThat(folder.migrator(db.postgresUrl()).build().deploy().applied()).extracting(AppliedMigration::name)
                .containsExactly(INDEX, AFTER);
        assertOneFinishedRowEach();
        assertThat((String) Sql.value(db, "SELECT logs FROM _prisma_migrations WHERE migration_name = '" + INDEX
                + "'")).isEqualTo("Resumed by Tidemark at statement 1 of 1 (" + folder.path().resolve(INDEX)
                        .resolve("migration.sql") + ":1).");
    }

    @Test
    void resumingSkipsTheStatementsRecordedAsDoneAndCountsACompletedConcurrentDropAsDone() throws Exception {
        String script = "-- tidemark:transaction=none\nCREATE TABLE b (id int);\nDROP INDEX CONCURRENTLY b_id;\n"
                + "ALTER TYPE mood ADD VALUE 'sad';\nINSERT INTO b VALUES (1);";
        folder = MigrationsFolder.in(dir.resolve("enum"))
                .add(INIT, "CREATE TYPE mood AS ENUM ('happy');")
                .add(INDEX, script);
        MigrationsFolder.in(dir.resolve("enum-first")).add(INIT, "CREATE TYPE mood AS ENUM ('happy');")
                .migrator(db.postgresUrl()).build().deploy();
        // As a run killed after the concurrent drop, before it recorded it: b exists, the index b_id is gone.
        Sql.execute(db, "CREATE TABLE b (id int)");
        interruptedRow(INDEX, script, 1);

        DeployResult result = folder.migrator(db.postgresUrl()).build().deploy();

        assertThat(result.applied()).singleElement().satisfies(m -> {
            assertThat(m.name()).isEqualTo(INDEX);
            assertThat(m.statements()).as("the drop counted as done, then the last two run").isEqualTo(3);
        });
        assertThat(Sql.value(db, "SELECT count(*) FROM b")).isEqualTo(1L);
        assertThat(Sql.value(db, "SELECT count(*) FROM pg_enum WHERE enumlabel = 'sad'")).isEqualTo(1L);
        assertThat(Sql.query(db, "SELECT finished_at IS NOT NULL, applied_steps_count FROM _prisma_migrations"
                + " WHERE migration_name = '" + INDEX + "'")).containsExactly(List.of(true, 4));
    }

    @Test
    void aStatementWhoseOutcomeCannotBeKnownIsRefusedWithWhatToCheckAndTheAdviceWorks() throws Exception {
        String script = "-- tidemark:transaction=none\nCREATE TABLE b (id int);\nCALL fill_b();\n"
                + "CREATE TABLE c (id int);";
        folder = MigrationsFolder.in(dir.resolve("call")).add(INIT, "CREATE TABLE t (id int);\n"
                + FILL_B).add(INDEX, script);
        MigrationsFolder.in(dir.resolve("call-first")).add(INIT, "CREATE TABLE t (id int);\n"
                + FILL_B)
                .migrator(db.postgresUrl()).build().deploy();
        Sql.execute(db, "CREATE TABLE b (id int)");
        interruptedRow(INDEX, script, 1);
        Migrator migrator = folder.migrator(db.postgresUrl()).build();

        TidemarkException refusal = org.assertj.core.api.Assertions.catchThrowableOfType(TidemarkException.class,
                migrator::deploy);
        assertThat(refusal.code()).isEqualTo(ErrorCode.FAILED_MIGRATION_PRESENT);
        assertThat(refusal.getMessage()).contains("statement 2 of 3", INDEX + "/migration.sql:3", "CALL fill_b()",
                "cannot tell whether it completed", "statements 1 to 1 are applied", "resumes at statement 3");
        assertThat(Sql.tableExists(db, "public.c")).isFalse();

        // Followed literally: the effect (a row in b) is missing, so run the statement, record it, deploy again.
        Sql.execute(db, "CALL fill_b()");
        java.util.regex.Matcher update = java.util.regex.Pattern.compile("record it as done with (UPDATE .+? WHERE id"
                + " = '[^']+')").matcher(refusal.getMessage());
        assertThat(update.find()).isTrue();
        Sql.execute(db, update.group(1));
        assertThat(migrator.deploy().applied()).extracting(AppliedMigration::statements).containsExactly(1);

        assertThat(Sql.value(db, "SELECT count(*) FROM b")).isEqualTo(1L);
        assertThat(Sql.tableExists(db, "public.c")).isTrue();
        assertThat(Sql.query(db, "SELECT finished_at IS NOT NULL, applied_steps_count FROM _prisma_migrations"
                + " WHERE migration_name = '" + INDEX + "'")).containsExactly(List.of(true, 3));
    }

    @Test
    void aLockTimeoutIsNotTheFilesFaultAndTheNextDeployRunsTheMigrationAgain() throws Exception {
        folder = MigrationsFolder.in(dir.resolve("lock")).add(INIT, "CREATE TABLE t (id int);")
                .add(INDEX, "ALTER TABLE t ADD COLUMN note text;");
        MigrationsFolder.in(dir.resolve("lock-first")).add(INIT, "CREATE TABLE t (id int);")
                .migrator(db.postgresUrl()).build().deploy();
        Migrator migrator = folder.migrator(db.postgresUrl()).lockTimeout(java.time.Duration.ofMillis(100))
                .lockRetryBudget(java.time.Duration.ZERO).build();
        try (Connection holder = db.connect(); Statement lock = holder.createStatement()) {
            holder.setAutoCommit(false);
            lock.execute("LOCK TABLE t IN ACCESS SHARE MODE");
            assertThatThrownBy(migrator::deploy).isInstanceOfSatisfying(MigrationFailedException.class, e -> {
                assertThat(e.sqlState()).isEqualTo("55P03");
                assertThat(e.getMessage()).contains("the failure is recorded in the history table",
                        "Nothing in " + e.file() + " needs fixing: deploy again").doesNotContain("Fix ");
            });
            holder.rollback();
        }

        assertThat(migrator.deploy().applied()).extracting(AppliedMigration::name).containsExactly(INDEX);
        assertThat(Sql.query(db, "SELECT rolled_back_at IS NOT NULL, finished_at IS NOT NULL FROM _prisma_migrations"
                + " WHERE migration_name = '" + INDEX + "' ORDER BY started_at"))
                .containsExactly(List.of(true, false), List.of(false, true));
        assertThat(migrator.status().upToDate()).isTrue();
    }

    @Test
    void anAutocommitMigrationThatFailedBecauseOfItsSqlIsNotResumed() throws Exception {
        folder = MigrationsFolder.in(dir.resolve("sql")).add(INIT, "-- tidemark:transaction=none\n"
                + "CREATE TABLE a (id int);\nSELECT nosuch;");
        Migrator migrator = folder.migrator(db.postgresUrl()).build();
        assertThatThrownBy(migrator::deploy).isInstanceOfSatisfying(MigrationFailedException.class,
                e -> assertThat(e.getMessage()).contains("Fix ", "resolve --rolled-back " + INIT));

        assertThatThrownBy(migrator::deploy).isInstanceOfSatisfying(TidemarkException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.FAILED_MIGRATION_PRESENT);
            assertThat(e.getMessage()).doesNotContain("may have completed");
        });
    }

    private void deployUpTo(String name) {
        MigrationsFolder first = MigrationsFolder.in(dir.resolve("first")).add(name, "CREATE TABLE t (id int);\n"
                + "INSERT INTO t SELECT generate_series(1, 1000);");
        first.migrator(db.postgresUrl()).build().deploy();
    }

    private void assertOneFinishedRowEach() {
        assertThat(Sql.query(db, "SELECT migration_name, count(*) FILTER (WHERE finished_at IS NOT NULL AND"
                + " rolled_back_at IS NULL), count(*) FILTER (WHERE finished_at IS NULL AND rolled_back_at IS NULL)"
                + " FROM _prisma_migrations GROUP BY migration_name ORDER BY migration_name"))
                .containsExactly(List.of(INIT, 1L, 0L), List.of(INDEX, 1L, 0L), List.of(AFTER, 1L, 0L));
    }

    /** The pid of the backend whose concurrent build waits for the blocker's snapshot, once it waits. */
    private int awaitBuildWaiting() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try (Connection c = db.connect(); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT pid FROM pg_stat_progress_create_index"
                            + " WHERE phase LIKE 'waiting for old snapshots%' AND datname = current_database()")) {
                if (rs.next()) {
                    return rs.getInt(1);
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("The concurrent build never started waiting; see " + dir.resolve("deployer.log"));
    }

    private void awaitNoBuild() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (Sql.value(db, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                    + " AND query LIKE 'CREATE INDEX CONCURRENTLY%'").equals(0L)) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("The concurrent build never ended");
    }
}
