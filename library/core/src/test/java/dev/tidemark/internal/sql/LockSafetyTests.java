package dev.tidemark.internal.sql;

import dev.tidemark.DeployResult;
import dev.tidemark.Migrator;
import dev.tidemark.testdb.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The outage lock_timeout prevents: a long transaction holds a lock on a table, a migration's ALTER TABLE queues for
 * its exclusive lock, and every reader of the table queues behind the ALTER. With Tidemark's lock_timeout the ALTER
 * gives up after the timeout and retries later, so readers stall at most about that long; the migration still
 * succeeds once the long transaction ends.
 */
class LockSafetyTests {

    private static final int READERS = 4;
    private static final Duration HOLD = Duration.ofSeconds(4);

    @TempDir
    Path folder;

    @Test
    void readersAreNeverStalledLongerThanTheLockTimeoutAndTheMigrationSucceeds() throws Exception {
        Duration lockTimeout = Duration.ofSeconds(1);
        Result result = run(lockTimeout);
        System.out.printf("lock_timeout %d ms, long transaction %d ms: readers' worst stall %d ms over %d queries;"
                + " migration applied after %d ms%n", lockTimeout.toMillis(), HOLD.toMillis(), result.worstStallMillis,
                result.queries, result.deployMillis);
        assertThat(result.applied).isTrue();
        assertThat(result.deployMillis).as("the migration waited for the long transaction")
                .isGreaterThanOrEqualTo(HOLD.toMillis() - 500);
        assertThat(result.worstStallMillis).as("readers' worst stall")
                .isLessThanOrEqualTo(lockTimeout.toMillis() + 1000);
    }

    @Test
    void withoutALockTimeoutReadersStallForAsLongAsTheLongTransaction() throws Exception {
        // The control experiment: the same scene with lock_timeout disabled is the outage.
        Result result = run(Duration.ZERO);
        System.out.printf("lock_timeout disabled, long transaction %d ms: readers' worst stall %d ms%n",
                HOLD.toMillis(), result.worstStallMillis);
        assertThat(result.applied).isTrue();
        assertThat(result.worstStallMillis).isGreaterThanOrEqualTo(HOLD.toMillis() - 1500);
    }

    record Result(boolean applied, long worstStallMillis, long queries, long deployMillis) {
    }

    private Result run(Duration lockTimeout) throws Exception {
        Path dir = folder.resolve("t" + lockTimeout.toMillis());
        Files.createDirectories(dir.resolve("20240101000000_add_note"));
        Files.writeString(dir.resolve("migration_lock.toml"), "provider = \"postgresql\"\n");
        Files.writeString(dir.resolve("20240101000000_add_note/migration.sql"),
                "ALTER TABLE orders ADD COLUMN note text;\n");
        ExecutorService pool = Executors.newFixedThreadPool(READERS + 1);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong worstNanos = new AtomicLong();
        AtomicLong queries = new AtomicLong();
        try (TestDatabase db = TestDatabase.create(getClass()); Connection holder = db.connect()) {
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE orders (id int PRIMARY KEY);"
                        + " INSERT INTO orders SELECT generate_series(1, 100)");
            }
            List<Future<?>> readers = new ArrayList<>();
            for (int i = 0; i < READERS; i++) {
                readers.add(pool.submit(() -> {
                    try (Connection c = db.connect(); Statement s = c.createStatement()) {
                        while (!stop.get()) {
                            long start = System.nanoTime();
                            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM orders")) {
                                rs.next();
                            }
                            worstNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
                            queries.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            Thread.sleep(300);
            worstNanos.set(0); // connection warm-up is not a stall

            holder.setAutoCommit(false);
            try (Statement s = holder.createStatement()) {
                s.executeQuery("SELECT count(*) FROM orders").close(); // holds ACCESS SHARE until commit
            }
            Future<?> release = pool.submit(() -> {
                Thread.sleep(HOLD.toMillis());
                holder.commit();
                return null;
            });

            long start = System.nanoTime();
            DeployResult deployed = Migrator.builder().url(db.postgresUrl()).location(dir.toString())
                    .lockTimeout(lockTimeout).lockRetryBudget(Duration.ofSeconds(60)).build().deploy();
            long deployMillis = (System.nanoTime() - start) / 1_000_000;
            release.get();
            Thread.sleep(200);
            stop.set(true);
            for (Future<?> reader : readers) {
                reader.get();
            }
            boolean applied = deployed.applied().size() == 1 && columnExists(db);
            return new Result(applied, worstNanos.get() / 1_000_000, queries.get(), deployMillis);
        } finally {
            stop.set(true);
            pool.shutdownNow();
        }
    }

    private static boolean columnExists(TestDatabase db) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT count(*) FROM information_schema.columns WHERE table_name = 'orders'"
                        + " AND column_name = 'note'")) {
            rs.next();
            return rs.getInt(1) == 1;
        }
    }
}
