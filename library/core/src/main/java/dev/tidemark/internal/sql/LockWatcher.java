package dev.tidemark.internal.sql;

import dev.tidemark.Redaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Finds out who blocks a slow migration statement, so that a lock-timeout retry can name the blocker.
 *
 * <p>Each statement (or each batch of a transactional migration) arms a timer; one that finishes within half the
 * lock timeout (nearly all of them) only costs that: the timers of every watcher share one daemon thread, which only
 * hands a due look over. One still running then gets a thread and a second connection of its own (both made once per
 * migration, on first need, so that a look stuck waiting for a connection from a full pool delays nobody else) that
 * asks {@code pg_blocking_pids} for the migration's backend every quarter of the lock timeout until the statement
 * ends. The last non-empty answer is kept: a lock timeout can only happen while someone blocks, so that answer names
 * them.
 */
final class LockWatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger("dev.tidemark");
    private static final String BLOCKERS = "SELECT a.pid, a.usename, a.application_name, a.state,"
            + " extract(epoch FROM now() - a.xact_start)::int8, a.query FROM pg_catalog.pg_stat_activity a"
            + " WHERE a.pid = ANY (pg_catalog.pg_blocking_pids(?)) ORDER BY a.xact_start";

    /** A watcher that never looks: for lock_timeout 0 (nothing times out) or when no second connection is allowed. */
    static final LockWatcher DISABLED = new LockWatcher(null, Duration.ZERO);

    private final Supplier<Connection> connections;
    private final long firstLookMillis;
    private final long periodMillis;
    private ScheduledFuture<?> pending;
    private volatile int pid;
    private volatile String blockers;
    /** Where this watcher's looks run, made on the first look; its connection is used on that thread only. */
    private ExecutorService looker;
    private final AtomicBoolean looking = new AtomicBoolean();
    private Connection connection;
    private volatile boolean unavailable;

    LockWatcher(Supplier<Connection> connections, Duration lockTimeout) {
        this.connections = connections;
        this.firstLookMillis = Math.max(lockTimeout.toMillis() / 2, 1);
        this.periodMillis = Math.max(lockTimeout.toMillis() / 4, 50);
    }

    void watchPid(int pid) {
        this.pid = pid;
    }

    /** Arms the timer for the statement about to run, forgetting what was seen for the previous one. */
    void start() {
        if (connections == null) {
            return;
        }
        blockers = null;
        pending = Timers.SHARED.scheduleWithFixedDelay(this::lookSoon, firstLookMillis, periodMillis,
                TimeUnit.MILLISECONDS);
    }

    /** Disarms the timer when the statement ends. What was seen stays readable through {@link #blockers()}. */
    void stop() {
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
    }

    /** The sessions that blocked the last statement, described for a log line; null if none was seen. */
    String blockers() {
        return blockers;
    }

    /** On the shared timer thread: starts a look on this watcher's own thread, unless one is still running. */
    private synchronized void lookSoon() {
        if (unavailable || !looking.compareAndSet(false, true)) {
            return;
        }
        if (looker == null) {
            looker = Executors.newSingleThreadExecutor(runnable -> daemon(runnable, "tidemark-lock-watcher"));
        }
        looker.execute(() -> {
            try {
                look();
            } finally {
                looking.set(false);
            }
        });
    }

    private void look() {
        if (unavailable) {
            return;
        }
        try {
            if (connection == null) {
                Connection opened = connections.get();
                if (backendPid(opened) == pid) {
                    // A DataSource that hands out one shared connection (Spring's SingleConnectionDataSource): it is
                    // the migration's own, busy and not ours to close.
                    unavailable = true;
                    return;
                }
                connection = opened;
                connection.setAutoCommit(true);
            }
            try (PreparedStatement query = connection.prepareStatement(BLOCKERS)) {
                query.setInt(1, pid);
                List<String> found = new ArrayList<>();
                try (ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        found.add(describe(rs));
                    }
                }
                if (!found.isEmpty()) {
                    blockers = String.join("; ", found);
                }
            }
        } catch (SQLException | RuntimeException e) {
            unavailable = true;
            log.debug("Cannot look up the sessions blocking the migration: {}", e.getMessage());
        }
    }

    private static int backendPid(Connection connection) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT pg_backend_pid()");
                ResultSet rs = query.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static String describe(ResultSet rs) throws SQLException {
        StringBuilder out = new StringBuilder("pid ").append(rs.getInt(1));
        String user = rs.getString(2);
        String application = rs.getString(3);
        if (user != null) {
            out.append(" (user ").append(user);
            if (application != null && !application.isEmpty()) {
                out.append(", application '").append(application).append('\'');
            }
            out.append(')');
        }
        String state = rs.getString(4);
        if (state != null) {
            out.append(", ").append(state);
        }
        long seconds = rs.getLong(5);
        if (!rs.wasNull()) {
            out.append(", in a transaction for ").append(seconds).append(" s");
        }
        String query = rs.getString(6);
        if (query != null && !query.isBlank()) {
            // Another session's text may hold secrets (ALTER ROLE ... PASSWORD '...'): never show its literals.
            String oneLine = Redaction.maskLiterals(query.strip()).replaceAll("\\s+", " ");
            out.append(", ").append("active".equals(state) ? "running" : "last query").append(": ")
                    .append(oneLine.length() > 200 ? oneLine.substring(0, 197) + "..." : oneLine);
        }
        return out.toString();
    }

    /**
     * Stops watching and closes the second connection on the watcher's own thread, waiting a moment for it; a look
     * still stuck waiting for a connection (a full pool) is interrupted rather than delaying the deploy.
     */
    @Override
    public void close() {
        if (connections == null) {
            return;
        }
        stop();
        ExecutorService own;
        synchronized (this) {
            own = looker;
            unavailable = true; // a look the shared timer hands over now finds nothing to do
        }
        if (own == null) {
            return;
        }
        own.execute(this::closeConnection);
        own.shutdown();
        try {
            if (!own.awaitTermination(1, TimeUnit.SECONDS)) {
                own.shutdownNow();
            }
        } catch (InterruptedException e) {
            own.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }

    /**
     * The one timer thread all watchers share: it only hands due looks over, so it is never busy. It ends after a few
     * idle seconds, so that nothing of Tidemark stays running (and holding its class loader) after a deploy.
     */
    private static final class Timers {
        static final ScheduledThreadPoolExecutor SHARED = new ScheduledThreadPoolExecutor(1,
                runnable -> daemon(runnable, "tidemark-lock-timer"));

        static {
            SHARED.setRemoveOnCancelPolicy(true);
            SHARED.setKeepAliveTime(5, TimeUnit.SECONDS);
            SHARED.allowCoreThreadTimeOut(true);
        }
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                log.debug("Could not close the lock watcher's connection: {}", e.getMessage());
            }
            connection = null;
        }
    }
}
