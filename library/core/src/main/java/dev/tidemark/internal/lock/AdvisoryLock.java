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

/**
 * The session-level advisory lock that serialises deployers. The key is Prisma Migrate's, so Prisma and Tidemark
 * exclude each other too. Being session-level, the lock is released by the server if the connection dies.
 */
public final class AdvisoryLock {

    /** Prisma Migrate's advisory lock key. */
    public static final long KEY = 72707369L;

    private static final Logger log = LoggerFactory.getLogger("dev.tidemark");

    private AdvisoryLock() {
    }

    /**
     * Takes the lock, waiting up to {@code wait}. Uncontended, this is one round trip; contended, the wait is a
     * server-side blocking lock bounded by {@code lock_timeout}, so it is granted the moment the holder releases it.
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
            statement.execute("SET lock_timeout = " + Math.max(1, wait.toMillis()));
            try {
                statement.execute("SELECT pg_advisory_lock(" + KEY + ")");
            } catch (SQLException e) {
                if ("55P03".equals(e.getSQLState())) {
                    throw timeout(wait, holder(statement), e);
                }
                throw e;
            } finally {
                statement.execute("RESET lock_timeout");
            }
        } catch (SQLException e) {
            throw new TidemarkException(ErrorCode.DATABASE_ERROR, "Could not take the migration lock"
                    + " (pg_advisory_lock(" + KEY + ")): " + e.getMessage().strip().replaceAll("\\.+$", "") + ".", e);
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

    /** Who holds the lock, for the operator: pid, application, client address, state and since when. */
    static String holder(Statement statement) throws SQLException {
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
                + " with SELECT pg_terminate_backend(pid); or raise the lock wait (CLI --lock-wait, builder"
                + " lockWait).", waited, holder, cause);
    }
}
