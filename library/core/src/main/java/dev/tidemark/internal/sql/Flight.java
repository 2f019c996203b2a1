package dev.tidemark.internal.sql;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.text.MessageFormat;
import java.util.List;

/**
 * A transactional migration sent in as few round trips as the protocol allows: its statements, then its history row,
 * the check that the session still holds the migration lock (with the session baseline of
 * {@link SessionState#baseline()}) and the COMMIT, as one JDBC batch. pgjdbc sends a batch as one flight of
 * Parse/Bind/Execute messages closed by one Sync (after an error the server skips the rest up to that Sync, so
 * nothing after a failed statement runs, and neither does the COMMIT). A migration of any length then costs one
 * round trip where statement by statement it costs one per statement plus three.
 *
 * <p>A failed batch says which statement failed only in its message: pgjdbc marks every entry {@code EXECUTE_FAILED}
 * inside a transaction, and its {@link BatchUpdateException} reads "Batch entry <i>index</i> <i>text</i> was
 * aborted: ..." (in Japanese too, the one language it is translated into: the index, a space, then the text). When
 * exactly one statement of the part sent has its index and text there ({@link #named}), that statement and the
 * server's own exception are the failure, exactly as statement by statement would report it, and nothing is run
 * again: a statement that timed out, waited {@code lock_timeout} for a lock, or was cancelled by an operator
 * ({@code pg_cancel_backend}) is not sent a second time, and the statements before it are not redone. Otherwise (the
 * driver's {@code logServerErrorDetail=false} hides the text, or the COMMIT, the history row or the lock check
 * failed) the failure only says "not applied": the caller rolls back and runs the migration again statement by
 * statement, in a fresh transaction, and that run reports the error or retries a lock timeout exactly as a run that
 * was never batched. The lock check fails the batch (a cast error) whenever the lock is not plainly held, so that the
 * statement-by-statement run takes the lock back, warns or stops as it always did.
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
     * How a batch ended: committed ({@link #COMMITTED}), or failed with the server's error and the statement that
     * failed, null when the batch does not say which one did.
     */
    record Outcome(SQLException error, SqlStatement failed) {
        static final Outcome COMMITTED = new Outcome(null, null);

        boolean committed() {
            return error == null;
        }
    }

    /**
     * Sends {@code unit} and then {@code tail} (which must end with the COMMIT) on {@code connection}, in a
     * transaction. On failure the transaction is aborted: the caller rolls it back.
     */
    static Outcome send(Connection connection, String migration, List<SqlStatement> unit, List<String> tail) {
        int partStart = 0; // the statements of the batch in flight: unit[partStart, batchedEnd)
        int batchedEnd = 0;
        SqlStatement alone = null; // a query in flight outside the batch
        try (Statement jdbc = connection.createStatement()) {
            jdbc.setEscapeProcessing(false);
            long chars = 0; // in the batch not sent yet; 0 when it is empty
            for (int i = 0; i < unit.size(); i++) {
                SqlStatement statement = unit.get(i);
                String sql = statement.sql();
                if (isQuery(statement)) {
                    if (chars > 0) {
                        jdbc.executeBatch();
                        chars = 0;
                    }
                    alone = statement;
                    jdbc.execute(sql);
                    alone = null;
                    partStart = i + 1;
                    continue;
                }
                jdbc.addBatch(sql);
                batchedEnd = i + 1;
                chars += sql.length();
                if (chars >= PART_CHARS) {
                    jdbc.executeBatch();
                    chars = 0;
                    partStart = i + 1;
                }
            }
            for (String sql : tail) {
                jdbc.addBatch(sql);
            }
            jdbc.executeBatch();
            return Outcome.COMMITTED;
        } catch (SQLException e) {
            SqlStatement failed = alone != null ? alone : named(e, unit, partStart, batchedEnd);
            // Not the message: it quotes the statement, which may hold a password.
            log.debug("{}: the batch failed (SQLSTATE {}); {}", migration, e.getSQLState(), failed != null
                    ? "it names the statement at line " + failed.line()
                    : "running it statement by statement to locate the error");
            SQLException server = e instanceof BatchUpdateException && e.getNextException() != null
                    ? e.getNextException() : e;
            return new Outcome(server, failed);
        }
    }

    /**
     * The one statement of {@code unit[from, to)} (a part sent as one batch) whose index in the part, a space and text
     * appear in pgjdbc's batch failure message, formatted as pgjdbc formats them; null when none or several do.
     */
    private static SqlStatement named(SQLException e, List<SqlStatement> unit, int from, int to) {
        String message = e instanceof BatchUpdateException ? e.getMessage() : null;
        if (message == null) {
            return null;
        }
        SqlStatement named = null;
        for (int i = from; i < to; i++) {
            SqlStatement statement = unit.get(i);
            if (message.contains(MessageFormat.format("{0} ", i - from) + statement.sql())) {
                if (named != null) {
                    return null;
                }
                named = statement;
            }
        }
        return named;
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
