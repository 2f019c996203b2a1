package dev.tidemark.internal.seed;

import dev.tidemark.ErrorCode;
import dev.tidemark.TidemarkException;
import dev.tidemark.internal.history.HistoryTable;
import dev.tidemark.internal.sql.ScriptSplitter;
import dev.tidemark.internal.sql.SqlStatement;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Runs a script (a seed file, a push) in one transaction with {@code search_path} set to the target schema for that
 * transaction only: all of it or, on the first failing statement, nothing.
 */
public final class OneTransaction {

    private OneTransaction() {
    }

    /**
     * Runs {@code script}; returns the number of statements.
     *
     * @param what   the file or script, for messages
     * @param code   the error code of a failure
     * @param advice what to do after a failure, appended to the message
     */
    public static int run(Connection connection, String schema, String what, String script, ErrorCode code,
            String advice) {
        List<SqlStatement> statements;
        try {
            statements = ScriptSplitter.split(script);
        } catch (ScriptSplitter.ScriptSyntaxException e) {
            throw new TidemarkException(code, what + " line " + e.line() + ", column " + e.column() + ": "
                    + e.getMessage() + ". Nothing was run. " + advice, e);
        }
        for (SqlStatement statement : statements) {
            if (statement.startsWith("BEGIN") || statement.startsWith("COMMIT") || statement.startsWith("ROLLBACK")
                    || statement.startsWith("START", "TRANSACTION") || statement.startsWith("END")) {
                throw new TidemarkException(code, what + " line " + statement.line() + " controls the transaction"
                        + " (" + statement.keyword(0) + "), but the whole file already runs in one transaction."
                        + " Nothing was run. Remove the line and run it again.");
            }
        }
        SqlStatement current = null;
        try {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try (PreparedStatement path = connection.prepareStatement("SELECT set_config('search_path', ?, true)");
                    Statement s = connection.createStatement()) {
                path.setString(1, HistoryTable.quote(schema));
                path.execute();
                for (SqlStatement statement : statements) {
                    current = statement;
                    s.execute(statement.sql());
                }
                connection.commit();
                return statements.size();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new TidemarkException(code, what + (current == null ? "" : " line " + current.line())
                    + " failed: " + e.getMessage() + " (SQLSTATE " + e.getSQLState() + "). It runs in one"
                    + " transaction, so nothing of it was applied. " + advice, e);
        }
    }
}
