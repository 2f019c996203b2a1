package dev.tidemark;

import dev.tidemark.testdb.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The two-key lock: Prisma's key 72707369 shared plus an exclusive key per schema. Prisma (an exclusive holder of
 * 72707369) and Tidemark still exclude each other, while two schemas of one database deploy at once.
 */
class SchemaLockTests {

    @TempDir
    Path dir;

    /**
     * A migration that runs until a table named {@code marker} exists, for at most 30 s (then it fails). It reads
     * pg_class, not to_regclass: the catalog cache would not see the table appear during the loop.
     */
    private static String waitFor(String marker) {
        return "DO $$ BEGIN FOR i IN 1..600 LOOP IF EXISTS (SELECT 1 FROM pg_catalog.pg_class"
                + " WHERE relname = '" + marker + "') THEN RETURN;"
                + " END IF; PERFORM pg_sleep(0.05); END LOOP; RAISE EXCEPTION 'marker " + marker + " never came';"
                + " END $$;\nCREATE TABLE done (id int);";
    }

    private static boolean running(TestDatabase db, String text) {
        return ((Number) Sql.value(db, "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE"
                + " '%" + text + "%' AND pid <> pg_backend_pid()")).intValue() > 0;
    }

    private static void awaitRunning(TestDatabase db, String text) throws InterruptedException {
        for (int i = 0; i < 600 && !running(db, text); i++) {
            Thread.sleep(50);
        }
        assertThat(running(db, text)).as("a migration waiting for " + text + " is running").isTrue();
    }

    /** The number of advisory locks, once it drops to {@code expected} or after 5 s. */
    private static long advisoryLocksSettlingAt(TestDatabase db, long expected) throws InterruptedException {
        long count = -1;
        for (int i = 0; i < 100; i++) {
            count = (Long) Sql.value(db, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
                    + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())");
            if (count == expected) {
                break;
            }
            Thread.sleep(50);
        }
        return count;
    }

    @Test
    void twoSchemasOfOneDatabaseDeployAtOnce() throws Exception {
        MigrationsFolder slow = MigrationsFolder.in(dir.resolve("slow")).add("20240101000000_init",
                waitFor("release_a"));
        MigrationsFolder quick = MigrationsFolder.in(dir.resolve("quick")).add("20240101000000_init",
                "CREATE TABLE done (id int);");
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (TestDatabase db = TestDatabase.create(getClass())) {
            Future<DeployResult> a = pool.submit(() -> slow.migrator(db.postgresUrl()).schema("tenant_a").build()
                    .deploy());
            awaitRunning(db, "release_a");

            // Tenant b, in the same database, takes its lock at once (no wait allowed) while tenant a deploys.
            DeployResult b = quick.migrator(db.postgresUrl()).schema("tenant_b").lockWait(Duration.ZERO).build()
                    .deploy();
            assertThat(b.applied()).hasSize(1);
            assertThat(a).isNotDone();
            // A second deployer of tenant a, though, is kept out by the schema's key.
            assertThatThrownBy(() -> slow.migrator(db.postgresUrl()).schema("tenant_a").lockWait(Duration.ZERO)
                    .build().deploy()).isInstanceOfSatisfying(LockTimeoutException.class,
                            e -> assertThat(e.getMessage()).contains("schema tenant_a"));

            Sql.execute(db, "CREATE TABLE public.release_a (id int)");
            assertThat(a.get(30, TimeUnit.SECONDS).applied()).hasSize(1);
            assertThat(Sql.tableExists(db, "tenant_a.done")).isTrue();
            assertThat(Sql.tableExists(db, "tenant_b.done")).isTrue();
            assertThat(advisoryLocksSettlingAt(db, 0)).isEqualTo(0L);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aPrismaStyleExclusiveHolderKeepsTidemarkOut() throws Exception {
        MigrationsFolder folder = MigrationsFolder.in(dir).add("20240101000000_init", "CREATE TABLE a (id int);");
        try (TestDatabase db = TestDatabase.create(getClass()); Connection prisma = db.connect();
                Statement statement = prisma.createStatement()) {
            statement.execute("SET application_name = 'prisma-migrate'");
            statement.execute("SELECT pg_advisory_lock(72707369)");
            for (String schema : new String[] {"public", "tenant_a"}) {
                assertThatThrownBy(() -> folder.migrator(db.postgresUrl()).schema(schema)
                        .lockWait(Duration.ofMillis(200)).build().deploy())
                        .isInstanceOfSatisfying(LockTimeoutException.class,
                                e -> assertThat(e.holder()).contains("prisma-migrate"));
            }
            // The failed attempts hold nothing: not the shared key, not the schema's key (their closed sessions' backends
            // may take a moment to exit).
            assertThat(advisoryLocksSettlingAt(db, 1)).isEqualTo(1L);
            statement.execute("SELECT pg_advisory_unlock(72707369)");
            assertThat(folder.migrator(db.postgresUrl()).schema("tenant_a").build().deploy().applied()).hasSize(1);
        }
    }

    @Test
    void aPrismaStyleExclusiveWaiterWaitsForTidemark() throws Exception {
        MigrationsFolder folder = MigrationsFolder.in(dir).add("20240101000000_init", waitFor("release_a"));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (TestDatabase db = TestDatabase.create(getClass()); Connection prisma = db.connect();
                Statement statement = prisma.createStatement()) {
            Future<DeployResult> tidemark = pool.submit(() -> folder.migrator(db.postgresUrl()).schema("tenant_a")
                    .build().deploy());
            awaitRunning(db, "release_a");
            statement.execute("SET application_name = 'prisma-migrate'");
            Future<Boolean> waiter = pool.submit(() -> statement.execute("SELECT pg_advisory_lock(72707369)"));
            for (int i = 0; i < 200 && ((Number) Sql.value(db, "SELECT count(*) FROM pg_locks WHERE locktype ="
                    + " 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database"
                    + " WHERE datname = current_database())")).intValue() == 0; i++) {
                Thread.sleep(25);
            }
            assertThat(Sql.value(db, "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid)"
                    + " WHERE l.locktype = 'advisory' AND NOT l.granted AND l.objid = 72707369"
                    + " AND a.application_name = 'prisma-migrate'")).isEqualTo(1L);
            assertThat(waiter).isNotDone();

            Sql.execute(db, "CREATE TABLE public.release_a (id int)");
            assertThat(tidemark.get(30, TimeUnit.SECONDS).applied()).hasSize(1);
            waiter.get(30, TimeUnit.SECONDS);
            try (ResultSet rs = statement.executeQuery("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
                    + " AND pid = pg_backend_pid() AND granted AND mode = 'ExclusiveLock'")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
            statement.execute("SELECT pg_advisory_unlock(72707369)");
        } finally {
            pool.shutdownNow();
        }
    }
}
