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

/**
 * An autocommit migration whose deployer is killed (SIGKILL) or whose backend is terminated in the middle of a
 * {@code CREATE INDEX CONCURRENTLY}: the next deploy resumes it.
 */
class InterruptedAutocommitTests {

    static final String INIT = "20240101000000_init";
    static final String INDEX = "20240102000000_index";
    static final String AFTER = "20240103000000_after";

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
