package dev.tidemark.internal.sql;

import dev.tidemark.ErrorCode;
import dev.tidemark.TidemarkException;
import dev.tidemark.internal.history.HistoryTable;
import dev.tidemark.internal.lock.AdvisoryLock;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * The session state every migration starts from: search_path = the target schema only, Tidemark's lock_timeout and
 * statement_timeout, and the role the session had before the deploy. A migration may change any of them ({@code SET
 * search_path}, {@code RESET ALL}, {@code SET ROLE}); the next one must not inherit that.
 *
 * <p>Establishing it costs one round trip per deploy, which also reads what the caller had, to be restored when the
 * command ends (a pooled DataSource connection goes back as it came). Re-establishing it after each migration costs
 * nothing extra: {@link #baseline()} is folded into the query that checks the migration lock after the migration.
 */
public final class SessionState {

    private final String schema;
    private final int pid;
    private final String baseline;
    /** The lock check after each batched migration: built once, as every migration sends the same text. */
    private final String lockCheck;
    private final String[] callers;

    private SessionState(String schema, int pid, String baseline, String[] callers) {
        this.schema = schema;
        this.pid = pid;
        this.baseline = baseline;
        this.lockCheck = Flight.lockCheck(AdvisoryLock.held(schema), baseline);
        this.callers = callers;
    }

    /** Reads the caller's settings and sets the migrations' baseline, in one round trip. */
    static SessionState establish(Connection connection, String schema, Duration lockTimeout,
            Duration statementTimeout) {
        String settings = "set_config('search_path', " + literal(HistoryTable.quote(schema)) + ", false),"
                + " set_config('lock_timeout', '" + lockTimeout.toMillis() + "', false),"
                + " set_config('statement_timeout', '" + statementTimeout.toMillis() + "', false)";
        // The target list is evaluated left to right: the caller's values are read before they are replaced. The
        // caller's role is also the migrations' role: a migration's SET ROLE must not outlive it.
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT pg_backend_pid(), current_setting('search_path'),"
                        + " current_setting('lock_timeout'), current_setting('statement_timeout'),"
                        + " current_setting('role'), " + settings)) {
            rs.next();
            String role = rs.getString(5);
            return new SessionState(schema, rs.getInt(1), settings + ", set_config('role', " + literal(role) + ", false)",
                    new String[] {rs.getString(2), rs.getString(3), rs.getString(4), role});
        } catch (SQLException e) {
            throw new TidemarkException(ErrorCode.DATABASE_ERROR, "Could not prepare the session for migrations"
                    + " (search_path " + schema + ", lock_timeout, statement_timeout): " + e.getMessage()
                    + FailureReport.connectionLost(e), e);
        }
    }

    /** The target schema, whose migration lock the session holds. */
    String schema() {
        return schema;
    }

    /** The backend's process id, for the lock watcher. */
    int pid() {
        return pid;
    }

    /** The {@code set_config(...)} calls that re-establish the baseline, for a SELECT list. */
    String baseline() {
        return baseline;
    }

    /** The query ending each batched migration: {@link Flight#lockCheck} of the lock and {@link #baseline()}. */
    String lockCheck() {
        return lockCheck;
    }

    /** Gives the connection back the settings the caller had, in one round trip. */
    public void restore(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT set_config('search_path', ?, false),"
                + " set_config('lock_timeout', ?, false), set_config('statement_timeout', ?, false),"
                + " set_config('role', ?, false)")) {
            for (int i = 0; i < callers.length; i++) {
                statement.setString(i + 1, callers[i]);
            }
            statement.execute();
        }
    }

    private static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
