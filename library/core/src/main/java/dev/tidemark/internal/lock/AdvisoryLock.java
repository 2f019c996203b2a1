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
 * The session-level advisory lock that serialises deployers. The key is Prisma Migrate's, so Prisma and Tidemark
 * exclude each other too. Being session-level, the lock is released by the server if the connection dies.
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
    public static void acquire(Connection connection, Duration wait) {
        try (Statement statement = connection.createStatement()) {
            if (tryLock(statement)) {
                return;
            }
            String holder = holder(statement);
            if (wait.isZero() || wait.isNegative()) {
                throw timeout(Duration.ZERO, holder, null);
            }
            log.info("Waiting up to {} ms for the migration lock, held by {}", wait.toMillis(), holder);
            long deadline = System.nanoTime() + wait.toNanos();
            long pause = FIRST_POLL_MILLIS;
            while (true) {
                long remaining = (deadline - System.nanoTime()) / 1_000_000;
                if (remaining <= 0) {
                    throw timeout(wait, holder(statement), null);
                }
                sleep(Math.min(remaining, pause / 2 + ThreadLocalRandom.current().nextLong(pause / 2 + 1)), wait);
                if (tryLock(statement)) {
                    return;
                }
                pause = Math.min(pause * 2, MAX_POLL_MILLIS);
            }
        } catch (SQLException e) {
            throw new TidemarkException(ErrorCode.DATABASE_ERROR, "Could not take the migration lock"
                    + " (pg_try_advisory_lock(" + KEY + ")): " + e.getMessage().strip().replaceAll("\\.+$", "")
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

    public static void release(Connection connection) {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_advisory_unlock(" + KEY + ")");
        } catch (SQLException e) {
            // The server releases a session lock when the session ends; say so rather than fail a finished deploy.
            log.warn("Could not release the migration lock ({}); it is released when the connection closes",
                    e.getMessage());
        }
    }

    private static boolean tryLock(Statement statement) throws SQLException {
        try (ResultSet rs = statement.executeQuery("SELECT pg_try_advisory_lock(" + KEY + ")")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    /**
     * A SELECT-list expression: {@code 'held'} if this session holds the lock, else {@code 'retaken'} if it could
     * take it back at once, else {@code 'lost'} (another session holds it). For the check after each migration,
     * since a migration can release the lock ({@code pg_advisory_unlock_all()}) and let another deployer in.
     */
    public static final String HELD_OR_RETAKEN = "CASE WHEN EXISTS (SELECT 1 FROM pg_catalog.pg_locks"
            + " WHERE locktype = 'advisory' AND pid = pg_catalog.pg_backend_pid() AND classid = 0 AND objid = " + KEY
            + " AND objsubid = 1 AND granted) THEN 'held' WHEN pg_catalog.pg_try_advisory_lock(" + KEY + ")"
            + " THEN 'retaken' ELSE 'lost' END";

    /** Who holds the lock, for the operator: pid, application, client address, state and since when. */
    public static String holder(Statement statement) throws SQLException {
        String sql = "SELECT a.pid, a.application_name, a.client_addr, a.usename, a.state,"
                + " date_trunc('second', now() - a.backend_start)::text, left(a.query, 200)"
                + " FROM pg_catalog.pg_locks l JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid"
                + " WHERE l.locktype = 'advisory' AND l.granted AND l.classid = 0 AND l.objid = " + KEY
                + " AND l.objsubid = 1 AND l.database = (SELECT oid FROM pg_catalog.pg_database"
                + " WHERE datname = current_database())";
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

    private static LockTimeoutException timeout(Duration waited, String holder, Throwable cause) {
        return new LockTimeoutException("Another deployer held the migration lock (advisory lock " + KEY
                + ") for longer than the lock wait of " + waited.toMillis() + " ms; it is held by " + holder + ". If"
                + " a deploy is still running elsewhere, let it finish and retry; if that session is stuck, end it"
                + " with SELECT pg_terminate_backend(pid); or raise the lock wait.", waited, holder, cause);
    }
}
