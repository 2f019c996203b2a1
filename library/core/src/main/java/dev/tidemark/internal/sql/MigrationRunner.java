package dev.tidemark.internal.sql;

import dev.tidemark.ErrorCode;
import dev.tidemark.MigrationFailedException;
import dev.tidemark.TidemarkException;
import dev.tidemark.internal.history.HistoryTable;
import dev.tidemark.internal.source.LocalMigration;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs one migration, statement by statement, and keeps its history row in step.
 *
 * <p>By default the whole migration runs in one transaction that also marks the history row finished, so a
 * migration is applied and recorded, or neither. A migration holding a statement that PostgreSQL refuses inside a
 * transaction block ({@code CREATE INDEX CONCURRENTLY}, {@code VACUUM}, ...) runs in autocommit instead, recording
 * its progress in {@code applied_steps_count} after each statement. A header line
 * {@code -- tidemark:transaction=none} or {@code =per-migration} overrides the detection.
 */
public final class MigrationRunner {

    private static final Logger log = LoggerFactory.getLogger("dev.tidemark");
    private static final Pattern DIRECTIVE = Pattern.compile(
            "^\\s*--\\s*tidemark:transaction\\s*=\\s*([A-Za-z_-]+)\\s*$", Pattern.MULTILINE);
    private static final String LOCK_NOT_AVAILABLE = "55P03";

    /** How a migration's statements are grouped into transactions. */
    public enum Mode {
        /** One transaction for the whole migration (the default). */
        PER_MIGRATION,
        /** Autocommit, statement by statement. */
        NONE
    }

    private final HistoryTable history;
    private final Duration lockTimeout;
    private final Duration statementTimeout;
    private final Duration lockRetryBudget;

    public MigrationRunner(HistoryTable history, Duration lockTimeout, Duration statementTimeout,
            Duration lockRetryBudget) {
        this.history = history;
        this.lockTimeout = lockTimeout;
        this.statementTimeout = statementTimeout;
        this.lockRetryBudget = lockRetryBudget;
    }

    /** The statements of a migration, or a clear error naming the file and line for a script the server cannot run. */
    public static List<SqlStatement> statements(LocalMigration migration) {
        try {
            return ScriptSplitter.split(migration.script());
        } catch (ScriptSplitter.ScriptSyntaxException e) {
            throw new TidemarkException(ErrorCode.MIGRATIONS_INVALID, migration.file() + ": " + e.getMessage()
                    + ".", e);
        }
    }

    /** The transaction mode: the header directive if there is one, else detected from the statements. */
    public static Mode mode(LocalMigration migration, List<SqlStatement> statements) {
        Matcher directive = DIRECTIVE.matcher(migration.script());
        if (directive.find()) {
            String value = directive.group(1).toLowerCase(Locale.ROOT);
            return switch (value) {
                case "none" -> Mode.NONE;
                case "per-migration", "per_migration" -> Mode.PER_MIGRATION;
                default -> throw new TidemarkException(ErrorCode.MIGRATIONS_INVALID, migration.file()
                        + " has the directive 'tidemark:transaction=" + directive.group(1) + "', which Tidemark does"
                        + " not know. Use tidemark:transaction=per-migration (the default) or"
                        + " tidemark:transaction=none.");
            };
        }
        for (SqlStatement statement : statements) {
            if (cannotRunInTransaction(statement)) {
                return Mode.NONE;
            }
        }
        return Mode.PER_MIGRATION;
    }

    /** Statements PostgreSQL refuses inside a transaction block. */
    static boolean cannotRunInTransaction(SqlStatement statement) {
        List<String> w = statement.leadingWords(8);
        if (w.isEmpty()) {
            return false;
        }
        String first = w.get(0);
        String second = w.size() > 1 ? w.get(1) : "";
        return switch (first) {
            case "VACUUM" -> true;
            case "CREATE" -> second.equals("DATABASE") || second.equals("TABLESPACE")
                    || (w.contains("INDEX") && w.contains("CONCURRENTLY"))
                    || (second.equals("SUBSCRIPTION") && !statement.sql().toLowerCase(Locale.ROOT)
                            .matches("(?s).*connect\\s*=\\s*false.*"));
            case "DROP" -> second.equals("DATABASE") || second.equals("TABLESPACE") || second.equals("SUBSCRIPTION")
                    || (second.equals("INDEX") && w.contains("CONCURRENTLY"));
            case "REINDEX" -> w.contains("CONCURRENTLY") || second.equals("SYSTEM") || second.equals("DATABASE");
            case "ALTER" -> second.equals("SYSTEM") || (second.equals("DATABASE") && w.contains("TABLESPACE"))
                    || (second.equals("TABLE") && statement.leadingWords(12).contains("DETACH")
                            && statement.leadingWords(12).contains("CONCURRENTLY"));
            default -> false;
        };
    }

    static boolean isTransactionControl(SqlStatement statement) {
        List<String> w = statement.leadingWords(2);
        if (w.isEmpty()) {
            return false;
        }
        return switch (w.get(0)) {
            case "BEGIN", "COMMIT", "END" -> true;
            case "START" -> w.size() > 1 && w.get(1).equals("TRANSACTION");
            default -> false;
        };
    }

    /**
     * Applies one migration; returns the number of statements run. A migration run without a transaction comes with
     * its history row {@code rowId} already inserted; a transactional one ({@code rowId} null) inserts its finished
     * row in its own transaction, so that it is applied and recorded with one commit, or neither.
     * On failure the row's {@code logs} say what failed, and the exception says what to do.
     */
    public int apply(Connection connection, LocalMigration migration, List<SqlStatement> statements, Mode mode,
            String rowId) {
        return mode == Mode.NONE
                ? applyStatementByStatement(connection, migration, statements, rowId)
                : applyInTransaction(connection, migration, statements, rowId);
    }

    private int applyInTransaction(Connection connection, LocalMigration migration, List<SqlStatement> statements,
            String rowId) {
        // BEGIN/COMMIT written in the file would end Tidemark's own transaction early; the migration already runs in
        // exactly one transaction, so they are skipped.
        List<SqlStatement> body = new ArrayList<>(statements.size());
        for (SqlStatement statement : statements) {
            if (isTransactionControl(statement)) {
                log.debug("{}: skipping '{}' at line {}: the migration already runs in one transaction",
                        migration.name(), statement.sql(), statement.line());
            } else {
                body.add(statement);
            }
        }
        long deadline = System.nanoTime() + lockRetryBudget.toNanos();
        long backoffMillis = 100;
        for (int attempt = 1; ; attempt++) {
            int done = 0;
            try {
                connection.setAutoCommit(false);
                try (Statement jdbc = connection.createStatement()) {
                    jdbc.setEscapeProcessing(false);
                    setTimeouts(jdbc, true);
                    for (SqlStatement statement : body) {
                        jdbc.execute(statement.sql());
                        done++;
                    }
                }
                history.recordApplied(connection, migration.name(), migration.checksum(), body.size());
                connection.commit();
                return body.size();
            } catch (SQLException e) {
                rollback(connection);
                boolean lockTimeout = LOCK_NOT_AVAILABLE.equals(e.getSQLState()) && done < body.size();
                long remaining = deadline - System.nanoTime();
                if (lockTimeout && remaining > 0) {
                    long sleep = Math.min(remaining / 1_000_000 + 1,
                            backoffMillis / 2 + ThreadLocalRandom.current().nextLong(backoffMillis / 2 + 1));
                    log.warn("{}: statement at line {} gave up waiting for a lock after {} ms (attempt {}); rolled"
                            + " back, retrying in {} ms so that other queries are not queued behind it",
                            migration.name(), body.get(done).line(), lockTimeout().toMillis(), attempt, sleep);
                    sleepQuietly(sleep);
                    backoffMillis = Math.min(backoffMillis * 2, 30_000);
                    continue;
                }
                autoCommit(connection);
                throw failed(connection, migration, body, done, e, null, true);
            } catch (RuntimeException e) {
                rollback(connection);
                throw e;
            } finally {
                autoCommit(connection);
            }
        }
    }

    private int applyStatementByStatement(Connection connection, LocalMigration migration,
            List<SqlStatement> statements, String rowId) {
        int done = 0;
        try (Statement jdbc = connection.createStatement()) {
            jdbc.setEscapeProcessing(false);
            setTimeouts(jdbc, false);
            try {
                for (SqlStatement statement : statements) {
                    jdbc.execute(statement.sql());
                    done++;
                    if (done < statements.size()) {
                        history.progress(connection, rowId, done);
                    }
                }
                history.finish(connection, rowId, done);
                return done;
            } finally {
                jdbc.execute("RESET lock_timeout; RESET statement_timeout");
            }
        } catch (SQLException e) {
            throw failed(connection, migration, statements, done, e, rowId, false);
        }
    }

    private void setTimeouts(Statement jdbc, boolean local) throws SQLException {
        jdbc.execute("SELECT set_config('lock_timeout', '" + lockTimeout.toMillis() + "', " + local + "),"
                + " set_config('statement_timeout', '" + statementTimeout.toMillis() + "', " + local + ")");
    }

    private Duration lockTimeout() {
        return lockTimeout;
    }

    private MigrationFailedException failed(Connection connection, LocalMigration migration,
            List<SqlStatement> statements, int done, SQLException e, String rowId, boolean transactional) {
        SqlStatement statement = statements.get(Math.min(done, statements.size() - 1));
        ServerErrorMessage server = e instanceof PSQLException p ? p.getServerErrorMessage() : null;
        int position = server == null ? 0 : server.getPosition();
        int[] where = statement.positionInFile(position);
        String state = e.getSQLState();
        String serverMessage = server != null && server.getMessage() != null ? server.getMessage() : e.getMessage();
        String detail = server == null ? null : server.getDetail();
        String hint = server == null ? null : server.getHint();
        String location = migration.file() + ":" + where[0] + ":" + where[1];

        StringBuilder logs = new StringBuilder()
                .append("Statement ").append(done + 1).append(" of ").append(statements.size()).append(" at ")
                .append(location).append(" failed.\nSQLSTATE ").append(state).append(": ").append(serverMessage);
        if (detail != null) {
            logs.append("\nDETAIL: ").append(detail);
        }
        if (hint != null) {
            logs.append("\nHINT: ").append(hint);
        }
        logs.append("\nStatement:\n").append(excerpt(statement.sql(), 12));
        logs.append(transactional
                ? "\nThe migration's transaction was rolled back: none of its statements are applied."
                : "\nThe migration ran without a transaction: " + done + " statement(s) before this one were"
                        + " applied and stay applied.");
        recordFailure(connection, migration, rowId, transactional ? 0 : done, logs.toString());

        String message = "Migration " + migration.name() + " failed at " + location + " with SQLSTATE " + state
                + ": " + serverMessage + (detail == null ? "" : " (" + detail + ")") + ". Statement: "
                + excerpt(statement.sql(), 3).replaceAll("\\s*\\n\\s*", " ") + " "
                + (transactional
                        ? "The migration was rolled back, so the database is as it was before it; the failure is"
                                + " recorded in the history table."
                        : "This migration cannot run in a transaction, so the " + done + " statement(s) before the"
                                + " failing one are applied; the failure and that count are recorded in the history"
                                + " table.")
                + " Fix " + migration.file() + ", then run 'tidemark resolve --rolled-back " + migration.name()
                + "' and deploy again; if you completed the change by hand instead, run 'tidemark resolve --applied "
                + migration.name() + "'.";
        return new MigrationFailedException(message, migration.name(), migration.file(), where[0], where[1], state,
                serverMessage, e);
    }

    private void recordFailure(Connection connection, LocalMigration migration, String rowId, int steps,
            String logs) {
        try {
            if (rowId == null) {
                history.recordFailed(connection, migration.name(), migration.checksum(), logs);
            } else {
                history.fail(connection, rowId, steps, logs);
            }
        } catch (TidemarkException e) {
            log.error("Could not record the failure in the history table: {}", e.getMessage());
        }
    }

    static String excerpt(String sql, int maxLines) {
        String[] lines = sql.split("\n", -1);
        if (lines.length <= maxLines) {
            return sql;
        }
        return String.join("\n", java.util.Arrays.copyOf(lines, maxLines)) + "\n... (" + (lines.length - maxLines)
                + " more lines)";
    }

    private static void rollback(Connection connection) {
        try {
            if (!connection.getAutoCommit()) {
                connection.rollback();
            }
        } catch (SQLException ignored) {
            // the original failure is what matters; a broken connection is reported by the next call
        }
    }

    private static void autoCommit(Connection connection) {
        try {
            connection.setAutoCommit(true);
        } catch (SQLException ignored) {
            // as above
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TidemarkException(ErrorCode.MIGRATION_FAILED, "Interrupted while waiting to retry a migration.",
                    e);
        }
    }
}
