package dev.tidemark.internal.jdbc;

import dev.tidemark.ErrorCode;
import dev.tidemark.TidemarkException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The one connection of a command: autocommit on while it runs, and at the end the caller's settings put back (its
 * autocommit mode, and whatever {@link #restoreOnClose} was given, such as the search_path and timeouts that
 * migrations changed) before the connection is closed or returned to its pool.
 */
public final class Session implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger("dev.tidemark");

    /** Puts back what a command changed on the connection. */
    @FunctionalInterface
    public interface Restore {
        void restore(Connection connection) throws SQLException;
    }

    private final Connection connection;
    private final boolean autoCommit;
    /** Whether {@link #close()} closes the connection, or leaves it to its owner (a fleet worker). */
    private final boolean owned;
    private Restore restore;

    private Session(Connection connection, boolean owned) {
        this.connection = connection;
        this.owned = owned;
        try {
            this.autoCommit = connection.getAutoCommit();
            if (!autoCommit) {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            close();
            throw new TidemarkException(ErrorCode.DATABASE_ERROR, "Could not prepare the connection: "
                    + e.getMessage(), e);
        }
    }

    /** Opens a connection from {@code connections} and sets it to autocommit. */
    public static Session open(ConnectionSource connections) {
        return new Session(connections.open(), true);
    }

    /** A session on a connection someone else owns and closes; {@link #close()} only puts its settings back. */
    public static Session borrowed(Connection connection) {
        return new Session(connection, false);
    }

    public Connection connection() {
        return connection;
    }

    /** What to put back before the connection is closed; set once, before the first migration changes anything. */
    public void restoreOnClose(Restore restore) {
        this.restore = restore;
    }

    /** Whether {@code connection} is closed, or cannot even say (then it is as good as closed). */
    public static boolean isClosed(Connection connection) {
        try {
            return connection.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }

    /** Whether {@link #restoreOnClose} was given, i.e. migrations may have changed the session's settings. */
    public boolean prepared() {
        return restore != null;
    }

    @Override
    public void close() {
        try {
            if (restore != null && !connection.isClosed()) {
                restore.restore(connection);
            }
            if (!autoCommit && !connection.isClosed()) {
                connection.setAutoCommit(false);
            }
        } catch (SQLException e) {
            log.debug("Could not restore the connection's settings: {}", e.getMessage());
        } finally {
            try {
                if (owned) {
                    connection.close();
                }
            } catch (SQLException e) {
                log.debug("Could not close the connection: {}", e.getMessage());
            }
        }
    }
}
