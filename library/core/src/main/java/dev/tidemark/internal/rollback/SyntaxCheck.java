package dev.tidemark.internal.rollback;

import dev.tidemark.ErrorCode;
import dev.tidemark.TidemarkException;
import dev.tidemark.internal.source.LocalMigration;
import dev.tidemark.internal.sql.SqlStatement;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;

/**
 * Has the server parse down scripts without running them, so that a syntax error in any of them stops a rollback
 * before the first one runs.
 *
 * <p>PostgreSQL has no "parse only" command for DDL, but PL/pgSQL checks the syntax of every SQL statement of a block
 * when it compiles it ({@code check_function_bodies}). So each script's statements are placed after a
 * {@code RETURN} in a {@code DO} block: compiled, never executed. All scripts are checked in one transaction that
 * is rolled back. Statements that PL/pgSQL reads differently from plain SQL (its own statements, {@code INTO}
 * targets, transaction control) are left to the run itself.
 */
final class SyntaxCheck {

    private static final Logger log = LoggerFactory.getLogger("dev.tidemark");
    private static final String TAG = "$tidemark_syntax_check$";
    private static final String PREFIX = "DO " + TAG + "BEGIN RETURN;\n";
    private static final Set<String> CHECKED = Set.of("ALTER", "CREATE", "DROP", "COMMENT", "GRANT", "REVOKE",
            "INSERT", "UPDATE", "DELETE", "TRUNCATE", "SELECT", "WITH", "LOCK", "REINDEX", "ANALYZE", "REFRESH",
            "SECURITY");

    private SyntaxCheck() {
    }

    /**
     * Throws {@link ErrorCode#MIGRATIONS_INVALID} naming the file, line and column of the first syntax error in the
     * down scripts; checks nothing (and logs why at debug level) when the server cannot do the check.
     */
    static void check(Connection connection, List<LocalMigration> downs, List<List<SqlStatement>> statements) {
        try {
            connection.setAutoCommit(false);
            try (Statement jdbc = connection.createStatement()) {
                jdbc.setEscapeProcessing(false);
                jdbc.execute("SET LOCAL check_function_bodies = on");
                for (int i = 0; i < downs.size(); i++) {
                    checkOne(jdbc, downs.get(i), statements.get(i));
                }
            } finally {
                connection.rollback();
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            String state = e.getSQLState();
            if (state == null || state.startsWith("08") || state.startsWith("57P")) {
                throw new TidemarkException(ErrorCode.DATABASE_ERROR, "Could not check the down scripts' syntax: "
                        + e.getMessage() + ". The connection was lost or ended by the server; nothing was rolled"
                        + " back: run the rollback again.", e);
            }
            log.debug("The server could not check the down scripts' syntax ({}); their errors surface when they run",
                    e.getMessage());
        }
    }

    private static void checkOne(Statement jdbc, LocalMigration down, List<SqlStatement> statements)
            throws SQLException {
        StringBuilder block = new StringBuilder(PREFIX);
        List<SqlStatement> checked = new java.util.ArrayList<>();
        List<Integer> starts = new java.util.ArrayList<>();
        for (SqlStatement statement : statements) {
            if (!checkable(statement)) {
                continue;
            }
            checked.add(statement);
            starts.add(block.codePointCount(0, block.length()));
            block.append(statement.sql()).append("\n;\n");
        }
        if (checked.isEmpty()) {
            return;
        }
        block.append("END").append(TAG);
        try {
            jdbc.execute(block.toString());
        } catch (SQLException e) {
            if (!"42601".equals(e.getSQLState())) {
                throw e;
            }
            ServerErrorMessage server = e instanceof PSQLException p ? p.getServerErrorMessage() : null;
            int position = server == null ? 0 : server.getPosition();
            int at = 0;
            for (int i = 0; i < starts.size(); i++) {
                if (position - 1 >= starts.get(i)) {
                    at = i;
                }
            }
            SqlStatement statement = checked.get(at);
            int[] where = statement.positionInFile(position <= 0 ? 0 : position - starts.get(at));
            String message = server != null && server.getMessage() != null ? server.getMessage() : e.getMessage();
            throw new TidemarkException(ErrorCode.MIGRATIONS_INVALID, down.file() + ":" + where[0] + ":" + where[1]
                    + ": " + message + " (SQLSTATE 42601), in the rollback script of " + down.name() + ". Nothing was"
                    + " rolled back: every down script is checked before the first one runs. Fix the statement and"
                    + " run the rollback again.", e);
        }
    }

    private static boolean checkable(SqlStatement statement) {
        String first = statement.keyword(0);
        if (!CHECKED.contains(first) || statement.sql().contains(TAG)) {
            return false;
        }
        return first.equals("INSERT") || statement.indexOf("INTO", 1) < 0;
    }
}
