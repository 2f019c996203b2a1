package dev.tidemark.internal.fleet;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One connection per fleet worker thread, kept between the targets that worker runs on the same database (same URL
 * and credentials), so that an up-to-date target costs its lock, history read and unlock, not a new backend. Only
 * for work that changes no session state and qualifies every name (the check of a no-op deploy); a target with
 * migrations to apply runs on a connection of its own, which starts in its schema.
 */
public final class WorkerConnections implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger("dev.tidemark");

    private record Held(Object key, Connection connection) {
    }

    private final Map<Thread, Held> held = new ConcurrentHashMap<>();

    /**
     * This thread's connection for {@code key} (equal keys: same database and credentials), opened with
     * {@code open} when the thread holds none, or one to another database (which is closed).
     */
    public Connection get(Object key, Supplier<Connection> open) {
        Held current = held.get(Thread.currentThread());
        if (current != null && current.key().equals(key)) {
            return current.connection();
        }
        discard();
        Connection connection = open.get();
        held.put(Thread.currentThread(), new Held(key, connection));
        return connection;
    }

    /** Closes this thread's connection: after a failure that may have left it unusable, or before other work. */
    public void discard() {
        Held current = held.remove(Thread.currentThread());
        if (current != null) {
            close(current.connection());
        }
    }

    /** Closes every worker's connection; called when the run is over and no worker uses them any more. */
    @Override
    public void close() {
        held.values().forEach(h -> close(h.connection()));
        held.clear();
    }

    private static void close(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            log.debug("Could not close a fleet worker's connection: {}", e.getMessage());
        }
    }
}
