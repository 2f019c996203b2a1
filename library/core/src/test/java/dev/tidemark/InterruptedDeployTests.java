package dev.tidemark;

import dev.tidemark.testdb.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A deployer cut off in the middle of a migration, as when its pod is killed or its connection drops. */
class InterruptedDeployTests {

    static final long BLOCKER = 4242;

    @TempDir
    Path dir;

    @Test
    void aTransactionalMigrationCutOffMidwayLeavesNoTraceAndIsAppliedByTheNextDeploy() throws Exception {
        MigrationsFolder folder = MigrationsFolder.in(dir)
                .add("20240101000000_init", "CREATE TABLE a (id int);")
                .add("20240102000000_waits", "CREATE TABLE b (id int);\nSELECT pg_advisory_xact_lock(" + BLOCKER
                        + ");");
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (TestDatabase db = TestDatabase.create(getClass()); Connection holder = db.connect();
                Statement statement = holder.createStatement()) {
            statement.execute("SELECT pg_advisory_lock(" + BLOCKER + ")");
            Migrator migrator = folder.migrator(db.postgresUrl()).lockTimeout(Duration.ofMinutes(1)).build();

            Future<DeployResult> cutOff = pool.submit(migrator::deploy);
            statement.execute("SELECT pg_terminate_backend(" + waitingFor(statement, BLOCKER) + ")");

            assertThatThrownBy(() -> cutOff.get(1, TimeUnit.MINUTES))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(TidemarkException.class);
            // The migration and its history row were one transaction: both are gone, so nothing is left "failed".
            assertThat(Sql.tableExists(db, "public.b")).isFalse();
            assertThat(Sql.query(db, "SELECT migration_name FROM _prisma_migrations"))
                    .containsExactly(List.of("20240101000000_init"));

            statement.execute("SELECT pg_advisory_unlock(" + BLOCKER + ")");
            DeployResult next = migrator.deploy();

            assertThat(next.applied()).extracting(AppliedMigration::name).containsExactly("20240102000000_waits");
            assertThat(Sql.tableExists(db, "public.b")).isTrue();
            assertThat(Sql.query(db, "SELECT migration_name, finished_at >= started_at, applied_steps_count,"
                    + " logs IS NULL FROM _prisma_migrations ORDER BY started_at"))
                    .containsExactly(List.of("20240101000000_init", true, 1, true),
                            List.of("20240102000000_waits", true, 2, true));
            assertThat(migrator.status().upToDate()).isTrue();
        } finally {
            pool.shutdownNow();
        }
    }

    /** The pid of the session waiting for the advisory lock {@code key}, once it waits. */
    private static int waitingFor(Statement statement, long key) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try (ResultSet rs = statement.executeQuery("SELECT pid FROM pg_catalog.pg_locks WHERE locktype ="
                    + " 'advisory' AND objid = " + key + " AND NOT granted")) {
                if (rs.next()) {
                    return rs.getInt(1);
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("No session started waiting for advisory lock " + key);
    }
}
