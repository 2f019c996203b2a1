package dev.tidemark.internal.sql;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * A transactional migration sent in as few round trips as the protocol allows: its statements, then its history row,
 * the check that the session still holds the migration lock (with the session baseline of
 * {@link SessionState#baseline()}) and the COMMIT, as one JDBC batch. pgjdbc sends a batch as one flight of
 * Parse/Bind/Execute messages closed by one Sync (after an error the server skips the rest up to that Sync, so
 * nothing after a failed statement runs, and neither does the COMMIT). A migration of any length then costs one
 * round trip where statement by statement it costs one per statement plus three.
 *
 * <p>A failed batch does not say with certainty which statement failed: inside a transaction pgjdbc marks every entry
 * {@code EXECUTE_FAILED}, and only its message, translated into the JVM's language, names the entry. So a failure of
 * any kind only says "not applied": the caller rolls back and runs the migration again statement by statement, in a
 * fresh transaction, and that run reports the error (statement, line, column, SQLSTATE, message) or retries a lock
 * timeout exactly as a run that was never batched. The lock check fails the batch (a cast error) whenever the lock is
 * not plainly held, so that the statement-by-statement run takes the lock back, warns or stops as it always did.
 *
 * <p>Two things are not batched. A query ({@code SELECT}, {@code WITH}, {@code VALUES}, {@code TABLE}) runs alone, as
 * statement by statement: pgjdbc executes each batch entry with a row limit of 1, and a query stops at its first row
 * ({@code SELECT nextval('s') FROM generate_series(1, 5)} would advance the sequence once). And the batch goes out in
 * parts of about {@link #PART_CHARS} characters of SQL: pgjdbc keeps a copy of each entry's text until the batch is
 * sent, so a 30 MB seed script would otherwise be held twice more.
 */
final class Flight {

    private static final Logger log = LoggerFactory.getLogger("dev.tidemark");
    /** Characters of SQL per part of a batch; past it the part is sent (one more round trip per megabyte). */
    static final int PART_CHARS = 1 << 20;

    private Flight() {
    }

    /**
     * Sends {@code unit} and then {@code tail} (which must end with the COMMIT) on {@code connection}, in a
     * transaction. True when all ran and committed; false when something failed and the transaction is aborted (the
     * caller rolls it back and runs the unit statement by statement to say what failed).
     */
    static boolean send(Connection connection, String migration, List<SqlStatement> unit, List<String> tail) {
        try (Statement jdbc = connection.createStatement()) {
            jdbc.setEscapeProcessing(false);
            long chars = 0; // in the batch not sent yet; 0 when it is empty
            for (SqlStatement statement : unit) {
                String sql = statement.sql();
                if (isQuery(statement)) {
                    if (chars > 0) {
                        jdbc.executeBatch();
                        chars = 0;
                    }
                    jdbc.execute(sql);
                    continue;
                }
                jdbc.addBatch(sql);
                chars += sql.length();
                if (chars >= PART_CHARS) {
                    jdbc.executeBatch();
                    chars = 0;
                }
            }
            for (String sql : tail) {
                jdbc.addBatch(sql);
            }
            jdbc.executeBatch();
            return true;
        } catch (SQLException e) {
            log.debug("{}: the batch failed ({}, SQLSTATE {}); running it statement by statement to locate the"
                    + " error", migration, e.getMessage(), e.getSQLState());
            return false;
        }
    }

    /** A plain query, which a batch would stop at its first row. */
    static boolean isQuery(SqlStatement s) {
        return switch (s.keyword(0)) {
            case "SELECT", "WITH", "VALUES", "TABLE", "(" -> true;
            default -> false;
        };
    }

    /**
     * A SELECT that re-establishes {@code baseline} and fails (SQLSTATE 22P02) unless {@code held} is true: the
     * failure's text is evaluated at run time only, so the planner cannot raise it early.
     */
    static String lockCheck(String held, String baseline) {
        return "SELECT (CASE WHEN " + held + " THEN '0' ELSE 'migration lock not plainly held by backend ' ||"
                + " pg_catalog.pg_backend_pid() END)::int, " + baseline;
    }
}
