package dev.tidemark;

import dev.tidemark.testdb.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Several deployers at once, as replicas or init containers starting together. */
class ConcurrentDeployTests {

    @TempDir
    Path dir;

    @Test
    void eightDeployersStartedTogetherApplyEachMigrationExactlyOnce() throws Exception {
        MigrationsFolder folder = MigrationsFolder.in(dir);
        for (int i = 1; i <= 20; i++) {
            // Each migration would fail if run twice (duplicate table), and takes a moment, widening the race.
            folder.add(String.format("202401%02d000000_m%d", i, i),
                    "CREATE TABLE t" + i + " (id int);\nSELECT pg_sleep(0.01);");
        }
        try (TestDatabase db = TestDatabase.create(getClass())) {
            int deployers = 8;
            ExecutorService pool = Executors.newFixedThreadPool(deployers);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<DeployResult>> results = new ArrayList<>();
            for (int i = 0; i < deployers; i++) {
                Migrator migrator = folder.migrator(db.postgresUrl()).lockWait(Duration.ofSeconds(60)).build();
                results.add(pool.submit(() -> {
                    start.await();
                    return migrator.deploy();
                }));
            }
            start.countDown();
            int appliedInTotal = 0;
            for (Future<DeployResult> result : results) {
                appliedInTotal += result.get(2, TimeUnit.MINUTES).applied().size();
            }
            pool.shutdown();

            assertThat(appliedInTotal).isEqualTo(20);
            assertThat(Sql.value(db, "SELECT count(*) FROM _prisma_migrations")).isEqualTo(20L);
            assertThat(Sql.value(db, "SELECT count(DISTINCT migration_name) FROM _prisma_migrations"
                    + " WHERE finished_at IS NOT NULL")).isEqualTo(20L);
        }
    }

    @Test
    void aHeldLockTimesOutWithTheHolderNamed() throws Exception {
        MigrationsFolder folder = MigrationsFolder.in(dir).add("20240101000000_init", "CREATE TABLE a (id int);");
        try (TestDatabase db = TestDatabase.create(getClass()); Connection holder = db.connect();
                Statement statement = holder.createStatement()) {
            statement.execute("SET application_name = 'other-deployer'");
            statement.execute("SELECT pg_advisory_lock(72707369)");
            int holderPid = ((Number) Sql.query(db, "SELECT pid FROM pg_stat_activity"
                    + " WHERE application_name = 'other-deployer'").get(0).get(0)).intValue();

            Migrator migrator = folder.migrator(db.postgresUrl()).lockWait(Duration.ofMillis(300)).build();
            assertThatThrownBy(migrator::deploy).isInstanceOfSatisfying(LockTimeoutException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.LOCK_TIMEOUT);
                assertThat(e.waited()).isEqualTo(Duration.ofMillis(300));
                assertThat(e.holder()).contains("pid " + holderPid, "other-deployer");
                assertThat(e.getMessage()).contains("[TM1002]", "pid " + holderPid, "lock wait");
            });
            assertThat(Sql.tableExists(db, "public.a")).isFalse();

            // Once the holder lets go, the next deploy goes through.
            statement.execute("SELECT pg_advisory_unlock(72707369)");
            assertThat(migrator.deploy().applied()).hasSize(1);
        }
    }

    @Test
    void aDeployerWaitingForTheLockProceedsAsSoonAsItIsReleased() throws Exception {
        MigrationsFolder folder = MigrationsFolder.in(dir).add("20240101000000_init", "CREATE TABLE a (id int);");
        try (TestDatabase db = TestDatabase.create(getClass()); Connection holder = db.connect();
                Statement statement = holder.createStatement()) {
            statement.execute("SELECT pg_advisory_lock(72707369)");
            Migrator migrator = folder.migrator(db.postgresUrl()).lockWait(Duration.ofSeconds(30)).build();
            ExecutorService pool = Executors.newSingleThreadExecutor();
            Future<DeployResult> waiting = pool.submit(migrator::deploy);
            Thread.sleep(300);
            assertThat(waiting).isNotDone();
            statement.execute("SELECT pg_advisory_unlock(72707369)");
            assertThat(waiting.get(10, TimeUnit.SECONDS).applied()).hasSize(1);
            pool.shutdown();
        }
    }

    /**
     * What still blocks a concurrent index build: another session's open snapshot (here an application's idle
     * REPEATABLE READ transaction), which Tidemark cannot end. A deployer waiting for the lock meanwhile is not a
     * blocker: it polls, idle between polls (blocked in pg_advisory_lock, it would be one, and deadlock the build).
     */
    @Test
    void aConcurrentBuildWaitsForAnOpenSnapshotButNotForAWaitingDeployer() throws Exception {
        MigrationsFolder folder = MigrationsFolder.in(dir)
                .add("20240101000000_table", "CREATE TABLE t AS SELECT g AS id FROM generate_series(1, 1000) g;")
                .add("20240102000000_index", "CREATE INDEX CONCURRENTLY t_id ON t (id);");
        try (TestDatabase db = TestDatabase.create(getClass()); Connection app = db.connect();
                Statement appStatement = app.createStatement()) {
            appStatement.execute("BEGIN ISOLATION LEVEL REPEATABLE READ");
            appStatement.execute("SELECT 1");
            int appPid = ((Number) Sql.query(db, "SELECT pid FROM pg_stat_activity WHERE state = 'idle in"
                    + " transaction' AND datname = current_database()").get(0).get(0)).intValue();

            // lock_timeout off: the build simply waits for the snapshot, so the test can watch it wait.
            Migrator builder = Migrator.builder().url(db.postgresUrl() + "?application_name=builder")
                    .location(folder.path().toString()).lockTimeout(Duration.ZERO).build();
            Migrator waiter = Migrator.builder().url(db.postgresUrl() + "?application_name=waiter")
                    .location(folder.path().toString()).lockWait(Duration.ofSeconds(120)).build();
            ExecutorService pool = Executors.newFixedThreadPool(2);
            Future<DeployResult> built = pool.submit(builder::deploy);
            DeployResult first;
            DeployResult second;
            List<List<Object>> blockerSamples = new ArrayList<>();
            List<Object> waiterStates = new ArrayList<>();
            List<Object> waiterPids = new ArrayList<>();
            try (Connection observer = db.connect(); Statement watch = observer.createStatement()) {
                // The waiter starts once the builder holds the lock.
                while (rows(watch, "SELECT 1 FROM pg_locks l JOIN pg_stat_activity a USING (pid) WHERE"
                        + " l.locktype = 'advisory' AND a.application_name = 'builder'").isEmpty()) {
                    Thread.sleep(10);
                }
                Future<DeployResult> waited = pool.submit(waiter::deploy);

                // Watch the build while it waits: who blocks it, and what the waiting deployer does meanwhile.
                for (int i = 0; i < 3_000 && (blockerSamples.size() < 10 || waiterStates.size() < 10); i++) {
                    List<Object> blockers = rows(watch, "SELECT unnest(pg_blocking_pids(pid)) FROM pg_stat_activity"
                            + " WHERE application_name = 'builder' AND query LIKE 'CREATE INDEX CONCURRENTLY%'"
                            + " AND wait_event_type = 'Lock'");
                    if (!blockers.isEmpty()) {
                        blockerSamples.add(blockers);
                        waiterStates.addAll(rows(watch, "SELECT coalesce(wait_event_type, '') || ' ' || state"
                                + " FROM pg_stat_activity WHERE application_name = 'waiter'"));
                        waiterPids.addAll(rows(watch, "SELECT pid FROM pg_stat_activity"
                                + " WHERE application_name = 'waiter'"));
                    }
                    Thread.sleep(10);
                }
                assertThat(built).as("the build waits for the open snapshot").isNotDone();
                // The build waits for the application's snapshot. The waiter's lock poll is a statement with a
                // snapshot of its own, so on a loaded machine a sample can catch the build waiting out one poll
                // instead (or this watch's own query); never for anything longer, which the build finishing below
                // (while the waiter still waits for the lock the build holds) proves.
                assertThat(blockerSamples).hasSizeGreaterThanOrEqualTo(10)
                        .anySatisfy(sample -> assertThat(sample).contains(appPid));
                Object observerPid = rows(watch, "SELECT pg_backend_pid()").get(0);
                assertThat(blockerSamples.stream().flatMap(List::stream).distinct())
                        .as("the app's snapshot, or a statement of the waiter's poll or this watch")
                        .allSatisfy(pid -> assertThat(pid).isIn(appPid, observerPid,
                                waiterPids.isEmpty() ? appPid : waiterPids.get(0)));
                assertThat(waiterStates).hasSizeGreaterThanOrEqualTo(10)
                        .noneMatch(state -> ((String) state).startsWith("Lock"))
                        .noneMatch(state -> ((String) state).contains("in transaction"));

                appStatement.execute("COMMIT");
                first = built.get(60, TimeUnit.SECONDS);
                second = waited.get(60, TimeUnit.SECONDS);
            } finally {
                pool.shutdown();
            }

            assertThat(first.applied()).hasSize(2);
            assertThat(second.applied()).isEmpty();
            assertThat(Sql.value(db, "SELECT indisvalid FROM pg_index WHERE indexrelid = 't_id'::regclass"))
                    .isEqualTo(true);
            assertThat(Sql.value(db, "SELECT count(*) FROM _prisma_migrations WHERE finished_at IS NOT NULL"))
                    .isEqualTo(2L);
        }
    }

    @Test
    void aBuildBlockedByAnOpenSnapshotNamesItWhenTheRetryBudgetIsSpent() throws Exception {
        MigrationsFolder folder = MigrationsFolder.in(dir)
                .add("20240101000000_table", "CREATE TABLE t AS SELECT g AS id FROM generate_series(1, 1000) g;")
                .add("20240102000000_index", "CREATE INDEX CONCURRENTLY t_id ON t (id);");
        try (TestDatabase db = TestDatabase.create(getClass()); Connection app = db.connect();
                Statement appStatement = app.createStatement()) {
            appStatement.execute("SET application_name = 'reporting-job'");
            appStatement.execute("BEGIN ISOLATION LEVEL REPEATABLE READ");
            appStatement.execute("SELECT 1");
            int appPid = ((Number) Sql.query(db, "SELECT pid FROM pg_stat_activity"
                    + " WHERE application_name = 'reporting-job'").get(0).get(0)).intValue();

            Migrator migrator = folder.migrator(db.postgresUrl()).lockTimeout(Duration.ofMillis(300))
                    .lockRetryBudget(Duration.ZERO).build();
            assertThatThrownBy(migrator::deploy).isInstanceOfSatisfying(MigrationFailedException.class, e -> {
                assertThat(e.sqlState()).isEqualTo("55P03");
                assertThat(e.migration()).isEqualTo("20240102000000_index");
                assertThat(e.getMessage()).contains("pid " + appPid, "reporting-job", "idle in transaction");
            });
            appStatement.execute("COMMIT");
            assertThat(Sql.value(db, "SELECT count(*) FROM pg_index WHERE NOT indisvalid")).isEqualTo(0L);
        }
    }

    private static List<Object> rows(Statement statement, String sql) throws java.sql.SQLException {
        List<Object> values = new ArrayList<>();
        try (java.sql.ResultSet rs = statement.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getObject(1));
            }
        }
        return values;
    }
}
