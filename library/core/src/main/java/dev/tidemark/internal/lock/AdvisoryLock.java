package dev.tidemark.internal.lock;

import dev.tidemark.ErrorCode;
import dev.tidemark.LockTimeoutException;
import dev.tidemark.Redaction;
import dev.tidemark.TidemarkException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The session-level advisory locks that serialise deployers of one schema. Two keys, taken together in one query:
 * Prisma Migrate's key 72707369 in <em>shared</em> mode, and the exclusive key {@code (72707369, hashtext(schema))}
 * (the two-int key space, so it never meets Prisma's single bigint key). Prisma's {@code pg_advisory_lock(72707369)}
 * is exclusive, so Prisma waits for every Tidemark deployer and every Tidemark deployer waits for Prisma; two
 * Tidemark deployers of the same schema exclude each other through the schema key; deployers of different schemas
 * of one database run at once (a hash collision only makes two schemas take turns). Being session-level, the locks
 * are released by the server if the connection dies.
 */
public final class AdvisoryLock {

    /** Prisma Migrate's advisory lock key. */
    public static final long KEY = 72707369L;

    private static final Logger log = LoggerFactory.getLogger("dev.tidemark");
    /** Polling bounds while another deployer holds the lock: short idle gaps, so the lock is taken soon after. */
    private static final long FIRST_POLL_MILLIS = 100;
    private static final long MAX_POLL_MILLIS = 250;

    private AdvisoryLock() {
    }

    /**
     * Takes the lock, waiting up to {@code wait}. Uncontended, this is one round trip. Contended, it polls with
     * {@code pg_try_advisory_lock} every 50 to 250 ms (growing, with jitter), the session idle in between: a waiter
     * must not sit inside a running statement, whose snapshot a {@code CREATE INDEX CONCURRENTLY} of the lock holder
     * would wait for (a deadlock, 40P01, which the server resolves by failing the build).
     */
    public static void acquire(Connection connection, String schema, Duration wait) {
        acquire(connection, schema, wait, (waited, retries, acquired, holder) -> { });
    }

    /** What a contended lock wait reports when it ends: for the listeners' {@code LockWaited} event. */
    @FunctionalInterface
    public interface WaitReport {
        void waited(Duration waited, int retries, boolean acquired, String holder);
    }

    /** {@link #acquire(Connection, String, Duration)}, telling {@code report} about a wait once it ends. */
    public static void acquire(Connection connection, String schema, Duration wait, WaitReport report) {
        try (Statement statement = connection.createStatement()) {
            if (tryLock(statement, schema)) {
                return;
            }
            String holder = holder(statement, schema);
            long begin = System.nanoTime();
            if (wait.isZero() || wait.isNegative()) {
                report.waited(Duration.ZERO, 0, false, holder);
                throw timeout(schema, Duration.ZERO, holder, null);
            }
            log.info("Waiting up to {} ms for the migration lock, held by {}", wait.toMillis(), holder);
            long deadline = begin + wait.toNanos();
            long pause = FIRST_POLL_MILLIS;
            for (int retries = 1; ; retries++) {
                long remaining = (deadline - System.nanoTime()) / 1_000_000;
                if (remaining <= 0) {
                    String last = holder(statement, schema);
                    report.waited(Duration.ofNanos(System.nanoTime() - begin), retries - 1, false, last);
                    throw timeout(schema, wait, last, null);
                }
                sleep(Math.min(remaining, pause / 2 + ThreadLocalRandom.current().nextLong(pause / 2 + 1)), wait);
                if (tryLock(statement, schema)) {
                    report.waited(Duration.ofNanos(System.nanoTime() - begin), retries, true, holder);
                    return;
                }
                pause = Math.min(pause * 2, MAX_POLL_MILLIS);
            }
        } catch (SQLException e) {
            throw new TidemarkException(ErrorCode.DATABASE_ERROR, "Could not take the migration lock"
                    + " (pg_try_advisory_lock_shared(" + KEY + ") and the key of schema " + schema + "): " + e.getMessage().strip().replaceAll("\\.+$", "")
                    + ".", e);
        }
    }

    private static void sleep(long millis, Duration wait) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TidemarkException(ErrorCode.LOCK_TIMEOUT, "Interrupted while waiting up to " + wait.toMillis()
                    + " ms for the migration lock (advisory lock " + KEY + "); nothing was applied. Deploy again.",
                    e);
        }
    }

    public static void release(Connection connection, String schema) {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_catalog.pg_advisory_unlock_shared(" + KEY + "),"
                    + " pg_catalog.pg_advisory_unlock(" + KEY + ", " + hash(schema) + ")");
        } catch (SQLException e) {
            // The server releases a session lock when the session ends; say so rather than fail a finished deploy.
            log.warn("Could not release the migration lock ({}); it is released when the connection closes",
                    e.getMessage());
        }
    }

    /**
     * Both keys in one round trip. Both are tried (a SELECT list is evaluated in full); if only one was granted, it is
     * given back at once (a second round trip, only under contention), so a waiter holds nothing while it waits.
     */
    private static boolean tryLock(Statement statement, String schema) throws SQLException {
        boolean shared;
        boolean own;
        try (ResultSet rs = statement.executeQuery("SELECT pg_catalog.pg_try_advisory_lock_shared(" + KEY + "),"
                + " pg_catalog.pg_try_advisory_lock(" + KEY + ", " + hash(schema) + ")")) {
            rs.next();
            shared = rs.getBoolean(1);
            own = rs.getBoolean(2);
        }
        if (shared && own) {
            return true;
        }
        if (shared || own) {
            statement.execute("SELECT " + (shared ? "pg_catalog.pg_advisory_unlock_shared(" + KEY + ")"
                    : "pg_catalog.pg_advisory_unlock(" + KEY + ", " + hash(schema) + ")"));
        }
        return false;
    }

    /** The schema's key, computed by the server: {@code hashtext('schema')}. */
    static String hash(String schema) {
        return "pg_catalog.hashtext('" + schema.replace("'", "''") + "')";
    }

    /** The rows of {@code pg_locks} for advisory locks this session holds. */
    private static final String MINE = "locktype = 'advisory' AND pid = pg_catalog.pg_backend_pid() AND granted";

    /** A {@code pg_locks} condition: the row of Prisma's key, which every Tidemark deployer holds shared. */
    private static String sharedKey() {
        return "classid = 0 AND objid = " + KEY + " AND objsubid = 1 AND mode = 'ShareLock'";
    }

    /** A {@code pg_locks} condition: the row of the schema's own key, held exclusively. */
    private static String ownKey(String schema) {
        return "classid = " + KEY + " AND objid = " + hash(schema) + "::oid AND objsubid = 2"
                + " AND mode = 'ExclusiveLock'";
    }

    /** A condition: this session holds the lock whose {@code pg_locks} row matches {@code key}. */
    private static String holds(String key) {
        return "EXISTS (SELECT 1 FROM pg_catalog.pg_locks WHERE " + MINE + " AND " + key + ")";
    }

    /**
     * A boolean SQL expression: whether this session holds both locks of {@code schema} at session level, for the
     * check after every batched migration. It does not read {@code pg_locks}: planning that view and copying the
     * server's whole lock table cost 0.1 to 0.2 ms a migration, and more on a busy server, whose every session needs
     * the lock table's partitions. Each key instead is taken at transaction level (at once when this session holds it,
     * false when another session does), its session-level hold released (true only if there was one) and taken back,
     * which the transaction-level hold makes immediate and keeps anyone else from taking in between; the
     * transaction-level holds end with the transaction. CASE evaluates in order and stops at the first false, so a key
     * not held at session level is never taken: the expression is false and the session's locks are as they were
     * (the server warns "you don't own a lock"), for {@link #heldOrRetaken} to sort out.
     */
    public static String held(String schema) {
        String own = KEY + ", " + hash(schema);
        return "(CASE WHEN NOT pg_catalog.pg_try_advisory_xact_lock_shared(" + KEY + ") THEN false"
                + " WHEN NOT pg_catalog.pg_advisory_unlock_shared(" + KEY + ") THEN false"
                + " WHEN NOT pg_catalog.pg_try_advisory_lock_shared(" + KEY + ") THEN false"
                + " WHEN NOT pg_catalog.pg_try_advisory_xact_lock(" + own + ") THEN false"
                + " WHEN NOT pg_catalog.pg_advisory_unlock(" + own + ") THEN false"
                + " ELSE pg_catalog.pg_try_advisory_lock(" + own + ") END)";
    }

    /**
     * A SELECT-list expression: {@code 'held'} if this session holds both locks of {@code schema}, else
     * {@code 'retaken'} if it could take them back at once, else {@code 'lost'} (another session holds one). For the
     * check after each migration, since a migration can release the locks ({@code pg_advisory_unlock_all()}) and let
     * another deployer in. Any key already held is not taken a second time.
     */
    public static String heldOrRetaken(String schema) {
        String shared = holds(sharedKey());
        String own = holds(ownKey(schema));
        return "CASE WHEN " + shared + " AND " + own + " THEN 'held'"
                + " WHEN (" + shared + " OR pg_catalog.pg_try_advisory_lock_shared(" + KEY + "))"
                + " AND (" + own + " OR pg_catalog.pg_try_advisory_lock(" + KEY + ", " + hash(schema) + "))"
                + " THEN 'retaken' ELSE 'lost' END";
    }

    /**
     * Who keeps this deployer out, for the operator: pid, application, client address, state and since when. That is
     * a session holding Prisma's key exclusively (Prisma Migrate, or an older Tidemark), or another Tidemark deployer
     * holding the schema's key.
     */
    public static String holder(Statement statement, String schema) throws SQLException {
        String sql = "SELECT a.pid, a.application_name, a.client_addr, a.usename, a.state,"
                + " date_trunc('second', now() - a.backend_start)::text, left(a.query, 200)"
                + " FROM pg_catalog.pg_locks l JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid"
                + " WHERE l.locktype = 'advisory' AND l.granted AND l.pid <> pg_catalog.pg_backend_pid()"
                + " AND ((l.classid = 0 AND l.objid = " + KEY + " AND l.objsubid = 1 AND l.mode = 'ExclusiveLock')"
                + " OR (l.classid = " + KEY + " AND l.objid = " + hash(schema) + "::oid AND l.objsubid = 2))"
                + " AND l.database = (SELECT oid FROM pg_catalog.pg_database"
                + " WHERE datname = current_database()) ORDER BY l.objsubid LIMIT 1";
        try (ResultSet rs = statement.executeQuery(sql)) {
            if (!rs.next()) {
                return "another session (not visible to this user)";
            }
            // Another session's text may hold secrets (ALTER ROLE ... PASSWORD '...'): never show its literals.
            String query = rs.getString(7) == null ? "" : Redaction.maskLiterals(rs.getString(7).strip());
            return "pid " + rs.getInt(1) + " (application '" + rs.getString(2) + "', user " + rs.getString(4)
                    + (rs.getString(3) == null ? "" : ", client " + rs.getString(3)) + ", connected for "
                    + rs.getString(6) + ", " + rs.getString(5) + (query.isBlank()
                    ? "" : ", last query: " + query.replaceAll("\\s+", " ")) + ")";
        }
    }

    private static LockTimeoutException timeout(String schema, Duration waited, String holder, Throwable cause) {
        return LockTimeoutException.builder().message("Another deployer held the migration lock of schema " + schema
                + " (Prisma's advisory lock " + KEY + ", or Tidemark's key for the schema) for longer than the lock wait of " + waited.toMillis() + " ms; it is held by " + holder + ". If"
                + " a deploy is still running elsewhere, let it finish and retry; if that session is stuck, end it"
                + " with SELECT pg_terminate_backend(pid); or raise the lock wait.").waited(waited).holder(holder)
                .cause(cause).build();
    }
}
