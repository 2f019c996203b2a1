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
}
