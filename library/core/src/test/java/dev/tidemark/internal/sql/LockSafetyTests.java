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
 *
 * <p>The stall is bounded by the server, not by a clock in the test: every reader runs under a
 * {@code statement_timeout} of three lock-timeout periods, and the test counts the reads PostgreSQL cancelled. The
 * measured stalls are printed for information; the timed comparison lives in {@code benchmarks/}.
 */
class LockSafetyTests {

    private static final int READERS = 4;
    private static final Duration LOCK_TIMEOUT = Duration.ofSeconds(1);
    /** A reader waiting this long has been stalled for three lock-timeout periods: the outage. */
    private static final Duration READER_LIMIT = LOCK_TIMEOUT.multipliedBy(3);
    /** The long transaction outlasts the readers' limit, so without lock_timeout readers are cancelled. */
    private static final Duration HOLD = READER_LIMIT.plusSeconds(1);

    @TempDir
    Path folder;

    @Test
    void noReaderIsStalledForThreeLockTimeoutsAndTheMigrationWaitsForTheLongTransaction() throws Exception {
        Result result = run(LOCK_TIMEOUT);
        System.out.printf("lock_timeout %d ms, long transaction %d ms: readers' worst stall %d ms over %d queries%n",
                LOCK_TIMEOUT.toMillis(), HOLD.toMillis(), result.worstStallMillis, result.queries);
        assertThat(result.applied).isTrue();
        assertThat(result.appliedBeforeTheLongTransactionEnded).as("the migration waited for the long transaction")
                .isFalse();
        assertThat(result.readsCancelled).as("reads the server cancelled after " + READER_LIMIT.toMillis() + " ms")
                .isZero();
        assertThat(result.queries).as("readers kept reading while the migration waited").isGreaterThan(READERS);
    }

    @Test
    void withoutALockTimeoutReadersStallForAsLongAsTheLongTransaction() throws Exception {
        // The control experiment: the same scene with lock_timeout disabled is the outage.
        Result result = run(Duration.ZERO);
        System.out.printf("lock_timeout disabled, long transaction %d ms: readers' worst stall %d ms%n",
                HOLD.toMillis(), result.worstStallMillis);
        assertThat(result.applied).isTrue();
        assertThat(result.readsCancelled).as("reads the server cancelled after " + READER_LIMIT.toMillis() + " ms")
                .isPositive();
    }

    record Result(boolean applied, boolean appliedBeforeTheLongTransactionEnded, long readsCancelled,
            long worstStallMillis, long queries) {
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
        AtomicLong cancelled = new AtomicLong();
        try (TestDatabase db = TestDatabase.create(getClass()); Connection holder = db.connect()) {
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE orders (id int PRIMARY KEY);"
                        + " INSERT INTO orders SELECT generate_series(1, 100)");
            }
            List<Future<?>> readers = new ArrayList<>();
            for (int i = 0; i < READERS; i++) {
                readers.add(pool.submit(() -> {
                    try (Connection c = db.connect(); Statement s = c.createStatement()) {
                        s.execute("SET statement_timeout = " + READER_LIMIT.toMillis());
                        while (!stop.get()) {
                            long start = System.nanoTime();
                            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM orders")) {
                                rs.next();
                            } catch (SQLException e) {
                                if (!"57014".equals(e.getSQLState())) {
                                    throw e;
                                }
                                cancelled.incrementAndGet();
                            }
                            worstNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
                            queries.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }

            holder.setAutoCommit(false);
            try (Statement s = holder.createStatement()) {
                s.executeQuery("SELECT count(*) FROM orders").close(); // holds ACCESS SHARE until commit
            }
            worstNanos.set(0); // connection warm-up is not a stall
            Future<Boolean> release = pool.submit(() -> {
                Thread.sleep(HOLD.toMillis());
                boolean appliedAlready = columnExists(db);
                holder.commit();
                return appliedAlready;
            });

            DeployResult deployed = Migrator.builder().url(db.postgresUrl()).location(dir.toString())
                    .lockTimeout(lockTimeout).lockRetryBudget(Duration.ofSeconds(60)).build().deploy();
            boolean appliedBeforeRelease = release.get();
            stop.set(true);
            for (Future<?> reader : readers) {
                reader.get();
            }
            boolean applied = deployed.applied().size() == 1 && columnExists(db);
            return new Result(applied, appliedBeforeRelease, cancelled.get(), worstNanos.get() / 1_000_000,
                    queries.get());
        } finally {
            stop.set(true);
            pool.shutdownNow();
        }
    }

    /** Reads the catalog only, so it does not queue behind the ALTER's lock request. */
    private static boolean columnExists(TestDatabase db) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT count(*) FROM pg_catalog.pg_attribute WHERE attrelid = 'public.orders'::regclass"
                        + " AND attname = 'note' AND NOT attisdropped")) {
            rs.next();
            return rs.getInt(1) == 1;
        }
    }
}
