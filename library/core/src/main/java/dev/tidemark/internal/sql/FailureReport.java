package dev.tidemark.internal.sql;

import dev.tidemark.MigrationFailedException;
import dev.tidemark.internal.source.LocalMigration;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * What a failed migration statement is reported as: the history row's {@code logs} (statement, position, the server's
 * error with its detail, hint and context, lock waits and blockers) and the exception's one paragraph, which adds what
 * stays applied and what to do next: fix the file, or deploy again when the file is not at fault.
 */
final class FailureReport {

    static final String LOCK_NOT_AVAILABLE = "55P03";

    /** The settings a report quotes. */
    record Settings(Duration lockTimeout, Duration statementTimeout, Duration lockRetryBudget,
            boolean resumeInterrupted) {
    }

    private final LocalMigration migration;
    private final MigrationPlan plan;
    private final Settings settings;
    private final SqlStatement statement;
    private final int appliedSteps;
    private final boolean atCommit;
    private final SQLException e;
    private final boolean transactional;
    private final int lockTimeouts;
    private final int total;
    private final int number;
    private final int[] where;
    private final String state;
    private final String serverMessage;
    private final String detail;
    private final String hint;
    private final String context;
    private final String location;
    private final boolean lockGaveUp;
    private final String blockers;
    private final boolean autocommit;
    private final SqlStatement ownTimeout;
    private final List<String> notes = new ArrayList<>();

    /**
     * Failures of the connection, the server or the moment rather than of the file: lost connection (08),
     * administrator shutdown or termination (57P01-57P03), lock timeout (55P03), cancellation (57014),
     * serialization failure and deadlock (40001, 40P01). Running the same file again can succeed.
     */
    public static boolean notTheFilesFault(String state) {
        return state == null || state.startsWith("08") || state.equals("57P01") || state.equals("57P02")
                || state.equals("57P03") || state.equals(LOCK_NOT_AVAILABLE) || state.equals("57014")
                || state.equals("40001") || state.equals("40P01");
    }

    /** For errors of Tidemark's own statements: what to do when the cause is a lost or terminated connection. */
    public static String connectionLost(SQLException e) {
        String state = e.getSQLState();
        return state == null || state.startsWith("08") || state.startsWith("57P") ? ". The connection was lost or"
                + " ended by the server; deploy again (an interrupted migration resumes)." : "";
    }


    /** Everything a report says, gathered where the statement failed. */
    FailureReport(LocalMigration migration, MigrationPlan plan, Settings settings, SqlStatement statement,
            int appliedSteps, boolean atCommit, SQLException e, boolean transactional, int lockTimeouts,
            Supplier<String> blockers, List<String> notes, List<String> leftovers) {
        this.migration = migration;
        this.plan = plan;
        this.settings = settings;
        this.statement = statement;
        this.appliedSteps = appliedSteps;
        this.atCommit = atCommit;
        this.e = e;
        this.transactional = transactional;
        this.lockTimeouts = lockTimeouts;
        this.total = plan.statementCount();
        this.number = indexOf(statement) + 1;
        ServerErrorMessage server = e instanceof PSQLException p ? p.getServerErrorMessage() : null;
        this.where = statement.positionInFile(atCommit || server == null ? 0 : server.getPosition());
        this.state = e.getSQLState();
        this.serverMessage = server != null && server.getMessage() != null ? server.getMessage() : e.getMessage();
        this.detail = server == null ? null : server.getDetail();
        this.hint = server == null ? null : server.getHint();
        this.context = server == null ? null : server.getWhere();
        this.location = migration.file() + ":" + where[0] + ":" + where[1];
        this.lockGaveUp = LOCK_NOT_AVAILABLE.equals(state) && lockTimeouts > 0;
        this.blockers = lockGaveUp ? blockers.get() : null;
        this.autocommit = !(transactional && plan.mode() == MigrationPlan.Mode.PER_MIGRATION);
        this.ownTimeout = "57014".equals(state) ? ownTimeout() : null;
        String advice = advice(state, statement);
        if (advice != null) {
            this.notes.add(advice);
        }
        this.notes.addAll(notes);
        for (String leftover : leftovers) {
            this.notes.add("The failed statement left the INVALID index " + leftover + " behind and Tidemark could"
                    + " not drop it within the lock timeout; run DROP INDEX CONCURRENTLY " + leftover + " before"
                    + " deploying again.");
        }
    }

    /** The text for the history row's {@code logs}: what failed, where, the server's words and what stays applied. */
    String logs() {
        StringBuilder logs = new StringBuilder();
        if (atCommit) {
            logs.append("The migration's transaction failed at COMMIT (after its last statement, at ")
                    .append(location).append(").");
        } else {
            logs.append("Statement ").append(number).append(" of ").append(total).append(" at ").append(location)
                    .append(" failed.");
        }
        logs.append("\nSQLSTATE ").append(state).append(": ").append(serverMessage);
        Messages.appendLine(logs, "DETAIL: ", detail);
        Messages.appendLine(logs, "HINT: ", hint);
        Messages.appendLine(logs, "CONTEXT: ", context);
        if (lockGaveUp) {
            logs.append("\nGave up after ").append(lockTimeouts).append(" lock timeout(s) of ")
                    .append(settings.lockTimeout().toMillis()).append(" ms within the lock retry budget of ")
                    .append(Messages.seconds(settings.lockRetryBudget())).append(". Blocked by ")
                    .append(blockers == null ? "a session Tidemark could not identify" : blockers).append('.');
        }
        logs.append("\nStatement:\n").append(Messages.excerpt(statement.sql(), 12));
        logs.append(transactional && plan.mode() == MigrationPlan.Mode.PER_MIGRATION
                ? "\nThe migration's transaction was rolled back: none of its statements are applied."
                : "\nThe migration ran without a transaction: " + appliedSteps + " of its " + total
                        + " statement(s) were applied before the failure and stay applied.");
        notes.forEach(note -> logs.append('\n').append(note));
        return logs.toString();
    }

    /** "{@code opening}NAME failed at FILE:LINE:COLUMN with SQLSTATE ...: message. Statement: ...", for both messages. */
    private StringBuilder failedAt(String opening) {
        return new StringBuilder(opening).append(migration.name()).append(" failed at ")
                .append(location).append(atCommit ? " (at COMMIT)" : "").append(" with SQLSTATE ").append(state)
                .append(": ").append(serverMessage).append(detail == null ? "" : " (" + detail + ")")
                .append(". Statement: ").append(Messages.excerpt(statement.sql(), 3).replaceAll("\\s*\\n\\s*", " "));
    }

    /** The sentence of a migration that gave up on a lock, up to its blocker; the caller ends it. */
    private StringBuilder appendLockGaveUp(StringBuilder message) {
        return message.append(" It waited for a lock ").append(lockTimeouts).append(" time(s), ")
                .append(settings.lockTimeout().toMillis())
                .append(" ms each (lock_timeout), and the lock retry budget of ")
                .append(Messages.seconds(settings.lockRetryBudget())).append(" is spent; blocked by ")
                .append(blockers == null ? "a session Tidemark could not identify" : blockers);
    }

    /** The exception for the caller: what failed, what it left, and what to do; {@code recorded}: in the history. */
    MigrationFailedException exception(boolean recorded) {
        StringBuilder message = failedAt("Migration ");
        if (lockGaveUp) {
            appendLockGaveUp(message).append(". End or wait out that session, or raise the lock retry budget.");
        }
        if (!autocommit) {
            message.append(" The migration was rolled back, so the database is as it was before it; ").append(
                    recorded ? "the failure is recorded in the history table."
                            : "Tidemark could not record the failure in the history table (see the log), so"
                                    + " the migration is not recorded at all.");
        } else {
            message.append(" This migration runs without a transaction, so ").append(appliedSteps)
                    .append(" of its ").append(total).append(" statement(s) before the failing one are applied; ")
                    .append(recorded ? "the failure and that count are recorded in the history table."
                            : "Tidemark could not record the failure in the history table (see the log), which"
                                    + " shows the migration as started and unfinished, with the count of"
                                    + " statements it last recorded.");
        }
        notes.forEach(note -> message.append(' ').append(note));
        if (timeoutOfEither()) {
            message.append(" If the migration's statement_timeout was in force, fix ").append(migration.file())
                    .append(", then ");
            appendAfterFix(message, recorded);
            message.append(" If Tidemark's was, raise it; nothing in the file then needs fixing: ");
            appendRetry(message, recorded);
        } else if (notTheFilesFault()) {
            message.append(" Nothing in ").append(migration.file()).append(" needs fixing: ");
            appendRetry(message, recorded);
        } else {
            message.append(" Fix ").append(migration.file()).append(", then ");
            appendAfterFix(message, recorded);
        }
        return exception(message.toString());
    }

    /** What to do when the file is not at fault: deploy again, or what stands in the way of that. */
    private void appendRetry(StringBuilder message, boolean recorded) {
        if (autocommit && settings.resumeInterrupted()) {
            message.append("deploy again. The next deploy resumes this migration where it stopped, after"
                    + " checking whether the interrupted statement completed (where that cannot be known,"
                    + " it says what to check).");
        } else if (autocommit) {
            message.append("as resuming is turned off (resumeInterrupted false), complete its remaining"
                    + " statements by hand and run 'tidemark resolve --applied ").append(migration.name())
                    .append("', or undo the ").append(appliedSteps).append(" applied statement(s) and run"
                            + " 'tidemark resolve --rolled-back ").append(migration.name())
                    .append("', then deploy again.");
        } else if (recorded && !settings.resumeInterrupted()) {
            message.append("run 'tidemark resolve --rolled-back ").append(migration.name())
                    .append("' and deploy again.");
        } else {
            message.append("deploy again; ").append(recorded ? "the next deploy runs a migration rolled back"
                    + " after such a failure again." : "it applies this migration again.");
        }
    }

    /** What to do once the file is fixed. */
    private void appendAfterFix(StringBuilder message, boolean recorded) {
        if (recorded || autocommit) {
            message.append("run 'tidemark resolve --rolled-back ").append(migration.name())
                    .append("' and deploy again; if you completed the change by hand instead, run"
                            + " 'tidemark resolve --applied ").append(migration.name()).append("'.");
        } else {
            message.append("deploy again.");
        }
    }

    /**
     * The exception for a failed down script (a rollback): nothing is recorded in the history, so the migration stays
     * applied; the message says what the script left applied.
     */
    MigrationFailedException rollbackException() {
        StringBuilder message = failedAt("Rolling back ");
        if (lockGaveUp) {
            appendLockGaveUp(message).append('.');
        }
        if (autocommit) {
            message.append(" The down script runs without a transaction, so ").append(appliedSteps)
                    .append(" of its ").append(total).append(" statement(s) before the failing one are applied"
                            + " and stay applied, while ").append(migration.name()).append(" is still recorded as"
                            + " applied: undo those statements or complete the rollback by hand.");
        } else {
            message.append(" The down script's transaction was rolled back: ").append(migration.name())
                    .append(" stays applied, exactly as it was, and is still recorded as applied.");
        }
        notes.forEach(note -> message.append(' ').append(note));
        message.append(timeoutOfEither() ? " Raise the statement_timeout in force, the script's or Tidemark's,"
                + " then run the rollback again." : notTheFilesFault() ? " Nothing in " + migration.file()
                + " needs fixing: run the rollback again." : " Fix " + migration.file() + ", then run the rollback"
                + " again.");
        return exception(message.toString());
    }

    private MigrationFailedException exception(String message) {
        return MigrationFailedException.builder().message(message).migration(migration.name()).file(migration.file())
                .position(where[0], where[1]).sqlState(state).serverMessage(serverMessage).cause(e).build();
    }

    /** What to do about the errors a migration author can fix in the file or the settings. */
    private String advice(String state, SqlStatement statement) {
        if ("55P04".equals(state)) {
            return "A value added with ALTER TYPE ... ADD VALUE cannot be used in the transaction that added it:"
                    + " use it in a later migration, or add -- tidemark:transaction=none to this one.";
        }
        if ("25001".equals(state) && statement.startsWith("SET", "TRANSACTION")) {
            return "SET TRANSACTION must come before any other statement of its transaction: put it first in"
                    + " its BEGIN ... COMMIT block, or first in the file, where the migration's transaction"
                    + " begins.";
        }
        if ("25001".equals(state)) {
            return plan.directive() && plan.mode() == MigrationPlan.Mode.PER_MIGRATION
                    ? "The directive -- tidemark:transaction=per-migration forces a transaction on a statement"
                            + " that refuses one: remove the directive."
                    : "This statement refuses to run in a transaction: add -- tidemark:transaction=none at the"
                            + " top of the file.";
        }
        if ("57014".equals(state)) {
            return cancelled();
        }
        return null;
    }

    /**
     * Who cancelled the statement, as far as the server's message and the file say (the server's English text; a
     * server with other {@code lc_messages} gets the advice that covers both causes).
     */
    private String cancelled() {
        String limit = settings.statementTimeout().isZero() ? null
                : "statement_timeout (" + Messages.seconds(settings.statementTimeout()) + ")";
        String at = ownTimeout == null ? "" : migration.file() + ":" + ownTimeout.line();
        if (timedOutByOwn()) {
            return (!ownSet() ? "Tidemark sets no statement timeout, so the statement_timeout in force was"
                    + " set by the migration itself" : "The statement_timeout in force is the one the migration sets"
                    + " at " + at + (limit == null ? "" : ", not Tidemark's " + limit))
                    + ": raise it there if the statement needs longer.";
        }
        if (timeoutOfEither()) {
            return "Tidemark's " + limit + " cancelled it, unless the statement at " + at + " changed the"
                    + " statement_timeout: raise the one in force if the statement needs longer.";
        }
        if (timedOut()) {
            return limit + " cancelled it: raise the statement timeout if the statement needs longer.";
        }
        if (said(" due to user request")) {
            return "It was cancelled on request (pg_cancel_backend, or a client's cancel), not by a timeout.";
        }
        return limit == null ? null : limit + " or a cancel request (pg_cancel_backend) cancelled it: raise the"
                + " statement timeout if the statement needs longer.";
    }

    /** The server cancelled the statement for a statement timeout (its English message says so). */
    private boolean timedOut() {
        return "57014".equals(state) && said(" due to statement timeout");
    }

    /**
     * A statement timeout the migration set: Tidemark's own is zero, or the migration replaced it with a {@code SET}
     * or {@code RESET} in force at the failing statement.
     */
    private boolean timedOutByOwn() {
        return timedOut() && (settings.statementTimeout().isZero() || ownSet());
    }

    private boolean ownSet() {
        return ownTimeout != null && (ownTimeout.startsWith("SET") || ownTimeout.startsWith("RESET"));
    }

    /** A statement timeout where an earlier statement may have changed Tidemark's (a set_config, a DO block). */
    private boolean timeoutOfEither() {
        return timedOut() && !timedOutByOwn() && ownTimeout != null;
    }

    /** The server's message (PostgreSQL's English) ends with {@code words}. */
    private boolean said(String words) {
        return serverMessage != null && serverMessage.endsWith(words);
    }

    /** Running the same file again can succeed: the failure is the moment's, not the file's. */
    private boolean notTheFilesFault() {
        return notTheFilesFault(state) && !timedOutByOwn() && !timeoutOfEither();
    }

    /**
     * The last statement up to the failing one that changes statement_timeout for it, or null: a {@code SET} or
     * {@code RESET} of it anywhere before (a {@code SET LOCAL} only within the failing statement's transaction), or a
     * statement that mentions it otherwise (set_config, a DO block), which may.
     */
    private SqlStatement ownTimeout() {
        SqlStatement found = null;
        for (List<SqlStatement> unit : plan.units()) {
            boolean failingUnit = unit.contains(statement);
            for (SqlStatement s : unit) {
                if (changesStatementTimeout(s, failingUnit)) {
                    found = s;
                }
                if (s == statement) {
                    return found;
                }
            }
        }
        return found;
    }

    private static boolean changesStatementTimeout(SqlStatement s, boolean inFailingTransaction) {
        if (s.startsWith("SET") || s.startsWith("RESET")) {
            boolean local = s.matchesAt(1, "LOCAL");
            int name = local || s.matchesAt(1, "SESSION") ? 2 : 1;
            return (s.matchesAt(name, "STATEMENT_TIMEOUT") || s.startsWith("RESET", "ALL"))
                    && (!local || inFailingTransaction);
        }
        return s.mentions("STATEMENT_TIMEOUT");
    }

    private int indexOf(SqlStatement statement) {
        int i = 0;
        for (List<SqlStatement> unit : plan.units()) {
            for (SqlStatement s : unit) {
                if (s == statement) {
                    return i;
                }
                i++;
            }
        }
        return i;
    }
}
