package dev.tidemark.internal.sql;

import dev.tidemark.ErrorCode;
import dev.tidemark.MigrationFailedException;
import dev.tidemark.TidemarkException;
import dev.tidemark.internal.history.HistoryTable;
import dev.tidemark.internal.lock.AdvisoryLock;
import dev.tidemark.internal.source.LocalMigration;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
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
 *
 * <p>Every statement runs under {@code lock_timeout}; a statement that gives up waiting for a lock (SQLSTATE
 * {@code 55P03}) is rolled back, and its unit (the whole migration, or in autocommit the one statement) is retried
 * with exponential backoff and jitter until the retry budget is spent. While a statement is slow, a watcher on a
 * second connection asks {@code pg_blocking_pids} who blocks it, so each retry can name the blocker.
 */
public final class MigrationRunner {

    private static final Logger log = LoggerFactory.getLogger("dev.tidemark");
    private static final Pattern DIRECTIVE = Pattern.compile(
            "^\\s*--\\s*tidemark:\\s*([A-Za-z_-]*)\\s*(?:=\\s*(\\S*))?.*$");
    private static final Pattern BEGIN_MODES = Pattern.compile(
            "(?is)\\s*(?:BEGIN(?:\\s+(?:WORK|TRANSACTION)\\b)?|START\\s+TRANSACTION)\\b(.*)");
    private static final String LOCK_NOT_AVAILABLE = "55P03";
    private static final long FIRST_BACKOFF_MILLIS = 500;
    private static final long MAX_BACKOFF_MILLIS = 30_000;

    /** How a migration's statements are grouped into transactions. */
    public enum Mode {
        /** One transaction for the whole migration (the default). */
        PER_MIGRATION,
        /** Autocommit, statement by statement (statements between an explicit BEGIN and COMMIT run as one). */
        NONE
    }

    private final HistoryTable history;
    private final Duration lockTimeout;
    private final Duration statementTimeout;
    private final Duration lockRetryBudget;
    private final Supplier<Connection> watcherConnections;
    private boolean resumeInterrupted = true;

    public MigrationRunner(HistoryTable history, Duration lockTimeout, Duration statementTimeout,
            Duration lockRetryBudget) {
        this(history, lockTimeout, statementTimeout, lockRetryBudget, null);
    }

    /** Whether failure advice may promise that the next deploy resumes an interrupted migration; default true. */
    public MigrationRunner resumeInterrupted(boolean resume) {
        this.resumeInterrupted = resume;
        return this;
    }

    /**
     * With {@code watcherConnections}, a statement still waiting after half the lock timeout has its blockers looked
     * up on a second connection taken from there (only then), so lock-timeout retries can name them.
     */
    public MigrationRunner(HistoryTable history, Duration lockTimeout, Duration statementTimeout,
            Duration lockRetryBudget, Supplier<Connection> watcherConnections) {
        this.history = history;
        this.lockTimeout = lockTimeout;
        this.statementTimeout = statementTimeout;
        this.lockRetryBudget = lockRetryBudget;
        this.watcherConnections = watcherConnections;
    }

    /** The statements of a migration, or a clear error naming the file and line for a script the server cannot run. */
    public static List<SqlStatement> statements(LocalMigration migration) {
        try {
            return ScriptSplitter.split(migration.script());
        } catch (ScriptSplitter.ScriptSyntaxException e) {
            throw invalid(migration, e.line(), e.column(), e.getMessage());
        }
    }

    /**
     * The transaction mode: the header directive if there is one, else detected from the statements. Also checks the
     * file's own transaction statements, so that a migration that cannot run is refused before it starts.
     */
    public static Mode mode(LocalMigration migration, List<SqlStatement> statements) {
        return plan(migration, statements, Integer.MAX_VALUE).mode();
    }

    /** A migration's execution plan: its mode and the units that each commit (or fail) as a whole. */
    public record Plan(Mode mode, List<List<SqlStatement>> units, boolean directive) {
        int statementCount() {
            return units.stream().mapToInt(List::size).sum();
        }
    }

    public static Plan plan(LocalMigration migration, List<SqlStatement> statements, int serverMajorVersion) {
        Mode directive = directive(migration, statements);
        Mode mode = directive;
        if (mode == null) {
            mode = Mode.PER_MIGRATION;
            for (SqlStatement statement : statements) {
                if (cannotRunInTransaction(statement, serverMajorVersion)) {
                    mode = Mode.NONE;
                    break;
                }
            }
        }
        for (SqlStatement statement : statements) {
            if (turnsOffStandardStrings(statement)) {
                throw invalid(migration, statement.line(), statement.column(), "standard_conforming_strings = off"
                        + " makes backslashes in '...' strings escapes, and Tidemark splits scripts the way PostgreSQL"
                        + " does by default (on). Remove the setting and write such strings as E'...'");
            }
            if (isRollback(statement)) {
                throw invalid(migration, statement.line(), statement.column(), "the statement '"
                        + firstLine(statement.sql()) + "' would undo the migration's own work. Remove it; a"
                        + " migration that fails is rolled back by Tidemark");
            }
        }
        List<List<SqlStatement>> units = new ArrayList<>();
        if (mode == Mode.PER_MIGRATION) {
            units.add(oneTransaction(migration, statements));
            return new Plan(mode, units, directive != null);
        }
        List<SqlStatement> block = null;
        SqlStatement blockStart = null;
        for (SqlStatement statement : statements) {
            if (isBegin(statement)) {
                if (block != null) {
                    throw invalid(migration, statement.line(), statement.column(), "a transaction is begun while the"
                            + " one begun at line " + blockStart.line() + " is still open. Add COMMIT before it");
                }
                block = new ArrayList<>();
                blockStart = statement;
                SqlStatement modes = transactionModes(statement);
                if (modes != null) {
                    block.add(modes);
                }
            } else if (isTransactionControl(statement)) {
                if (block != null) {
                    if (!block.isEmpty()) {
                        units.add(List.copyOf(block));
                    }
                    block = null;
                }
                // A COMMIT without BEGIN commits nothing in autocommit: nothing to do.
            } else if (block != null) {
                if (cannotRunInTransaction(statement, serverMajorVersion)) {
                    throw invalid(migration, statement.line(), statement.column(), "'" + firstLine(statement.sql())
                            + "' cannot run inside a transaction block, but it is inside the BEGIN ... COMMIT"
                            + " starting at line " + blockStart.line() + ". Move it out of that block");
                }
                block.add(statement);
            } else {
                units.add(List.of(statement));
            }
        }
        if (block != null) {
            throw invalid(migration, blockStart.line(), blockStart.column(), "the transaction begun here is never"
                    + " committed. Add COMMIT where it should end");
        }
        return new Plan(mode, units, directive != null);
    }

    /**
     * The statements of a migration that runs as one transaction. BEGIN and COMMIT written in the file would end that
     * transaction early, so they are left out, but the modes a BEGIN names ({@code BEGIN ISOLATION LEVEL ...},
     * {@code START TRANSACTION READ ONLY}) become the {@code SET TRANSACTION} they mean. An isolation level takes
     * effect only before the transaction's first query (PostgreSQL refuses it later with 25001, under Prisma too),
     * so one that comes after a query is refused here, before anything runs.
     */
    private static List<SqlStatement> oneTransaction(LocalMigration migration, List<SqlStatement> statements) {
        List<SqlStatement> unit = new ArrayList<>();
        SqlStatement firstQuery = null;
        for (SqlStatement statement : statements) {
            SqlStatement s = isBegin(statement) ? transactionModes(statement) : statement;
            if (s == null || isTransactionControl(s)) {
                continue;
            }
            // READ COMMITTED, the usual level, is accepted after a query when it is already the level: that is
            // left to the server, as the other modes are.
            int isolation = s.startsWith("SET", "TRANSACTION") ? s.indexOf("ISOLATION", 2) : -1;
            if (isolation > 0 && firstQuery != null && !s.matchesAt(isolation + 2, "READ", "COMMITTED")) {
                throw invalid(migration, s.line(), s.column(), "'" + firstLine(statement.sql()) + "' sets the"
                        + " isolation level of a transaction that has already run a query (line " + firstQuery.line()
                        + "): the migration runs as one transaction, and PostgreSQL accepts an isolation level only"
                        + " before its first query. Move it to the top of the file, or add"
                        + " -- tidemark:transaction=none at the top so that each BEGIN ... COMMIT block runs as its"
                        + " own transaction, as psql runs them");
            }
            if (firstQuery == null && !s.startsWith("SET") && !s.startsWith("RESET")) {
                firstQuery = s;
            }
            unit.add(s);
        }
        return List.copyOf(unit);
    }

    /**
     * The modes of a {@code BEGIN}/{@code START TRANSACTION} as the equivalent {@code SET TRANSACTION}, at the same
     * place in the file; null when it names none. The transaction is begun by the driver, so only its modes need
     * saying, and {@code SET TRANSACTION} takes exactly the modes {@code BEGIN} does.
     */
    static SqlStatement transactionModes(SqlStatement begin) {
        Matcher m = BEGIN_MODES.matcher(begin.sql());
        if (!m.matches() || m.group(1).isBlank()) {
            return null;
        }
        String sql = "SET TRANSACTION " + m.group(1).strip();
        return new SqlStatement(sql, 0, sql.length(), begin.line(), begin.column());
    }

    /** A unit whose transaction is read-only: its history row cannot be written inside it. */
    static boolean readOnly(List<SqlStatement> unit) {
        for (SqlStatement s : unit) {
            if (s.startsWith("SET", "TRANSACTION")) {
                int read = s.indexOf("READ", 2);
                if (read > 0 && s.matchesAt(read + 1, "ONLY")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The {@code -- tidemark:transaction=...} directive of the file's header (its comment lines before any SQL). */
    private static Mode directive(LocalMigration migration, List<SqlStatement> statements) {
        int firstStatementLine = statements.isEmpty() ? Integer.MAX_VALUE : statements.get(0).line();
        Mode mode = null;
        String[] lines = migration.script().split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher m = DIRECTIVE.matcher(lines[i].strip());
            if (!m.matches()) {
                continue;
            }
            int line = i + 1;
            if (m.group(1).equalsIgnoreCase("lint-ignore")) {
                continue; // a lint suppression (internal.lint), not a directive
            }
            if (line >= firstStatementLine) {
                throw invalid(migration, line, 1, "the directive '" + lines[i].strip() + "' comes after the first"
                        + " statement, where Tidemark does not read directives. Move it to the comment lines at"
                        + " the top of the file");
            }
            String key = m.group(1).toLowerCase(Locale.ROOT);
            String value = m.group(2) == null ? "" : m.group(2).toLowerCase(Locale.ROOT);
            if (!key.equals("transaction")) {
                throw invalid(migration, line, 1, "'" + lines[i].strip() + "' is not a directive Tidemark knows."
                        + " The one directive is -- tidemark:transaction=per-migration (the default) or"
                        + " -- tidemark:transaction=none");
            }
            mode = switch (value) {
                case "none" -> Mode.NONE;
                case "per-migration" -> Mode.PER_MIGRATION;
                default -> throw invalid(migration, line, 1, "the directive '" + lines[i].strip() + "' has a value"
                        + " Tidemark does not know. Use -- tidemark:transaction=per-migration (the default) or"
                        + " -- tidemark:transaction=none");
            };
        }
        return mode;
    }

    /**
     * Statements PostgreSQL refuses inside a transaction block (the callers of PreventInTransactionBlock), so that a
     * migration holding one must run in autocommit.
     */
    public static boolean cannotRunInTransaction(SqlStatement s, int serverMajorVersion) {
        switch (s.keyword(0)) {
            case "VACUUM":
                return true;
            case "CLUSTER":
                // Only the database-wide form, without a table.
                return s.tokens().stream().noneMatch(t -> !t.equals("(") && !t.equals(")") && !t.equals(",")
                        && !t.equalsIgnoreCase("CLUSTER") && !t.equalsIgnoreCase("VERBOSE"));
            case "CREATE": {
                int at = s.startsWith("CREATE", "UNIQUE") ? 2 : 1;
                return s.matchesAt(at, "INDEX", "CONCURRENTLY") || s.matchesAt(1, "DATABASE")
                        || s.matchesAt(1, "TABLESPACE") || s.matchesAt(1, "SUBSCRIPTION");
            }
            case "DROP":
                return s.matchesAt(1, "INDEX", "CONCURRENTLY") || s.matchesAt(1, "DATABASE")
                        || s.matchesAt(1, "TABLESPACE") || s.matchesAt(1, "SUBSCRIPTION");
            case "REINDEX":
                return s.indexOf("CONCURRENTLY", 1) > 0 || s.indexOf("SYSTEM", 1) > 0
                        || s.indexOf("DATABASE", 1) > 0 || s.indexOf("SCHEMA", 1) > 0;
            case "ALTER": {
                if (s.matchesAt(1, "SYSTEM") || s.matchesAt(1, "SUBSCRIPTION")) {
                    return true;
                }
                if (s.matchesAt(1, "DATABASE")) {
                    int set = s.indexOf("SET", 2);
                    return set > 0 && s.matchesAt(set + 1, "TABLESPACE");
                }
                if (s.matchesAt(1, "TABLE")) {
                    int detach = s.indexOf("DETACH", 2);
                    return detach > 0 && s.matchesAt(detach + 1, "PARTITION")
                            && (s.indexOf("CONCURRENTLY", detach) > 0 || s.indexOf("FINALIZE", detach) > 0);
                }
                if (s.matchesAt(1, "TYPE") && serverMajorVersion < 12) {
                    int add = s.indexOf("ADD", 2);
                    return add > 0 && s.matchesAt(add + 1, "VALUE");
                }
                return false;
            }
            case "COMMIT":
            case "ROLLBACK":
                return s.matchesAt(1, "PREPARED");
            case "DISCARD":
                return s.matchesAt(1, "ALL");
            default:
                return false;
        }
    }

    /** {@code BEGIN}, {@code START TRANSACTION}, {@code COMMIT}, {@code END} (but not {@code COMMIT PREPARED}). */
    static boolean isTransactionControl(SqlStatement s) {
        return isBegin(s) || ((s.startsWith("COMMIT") || s.startsWith("END")) && !s.matchesAt(1, "PREPARED"));
    }

    private static boolean isBegin(SqlStatement s) {
        return s.startsWith("BEGIN") || s.startsWith("START", "TRANSACTION");
    }

    private static boolean turnsOffStandardStrings(SqlStatement s) {
        int at = s.startsWith("SET", "SESSION") || s.startsWith("SET", "LOCAL") ? 2 : 1;
        if (!s.startsWith("SET") || !s.matchesAt(at, "STANDARD_CONFORMING_STRINGS")) {
            return false;
        }
        String value = s.keyword(at + 2).replace("'", "");
        return value.equals("OFF") || value.equals("FALSE") || s.sql().toLowerCase(Locale.ROOT).matches(
                "(?s).*(=|\\bto)\\s*'(off|false|0|no)'.*");
    }

    private static boolean isRollback(SqlStatement s) {
        return (s.startsWith("ROLLBACK") || s.startsWith("ABORT")) && !s.matchesAt(1, "TO")
                && !s.matchesAt(1, "PREPARED") && !s.matchesAt(2, "TO");
    }

    /** The index a {@code CREATE [UNIQUE] INDEX CONCURRENTLY [IF NOT EXISTS] name ON} statement names, or null. */
    static String concurrentIndexName(SqlStatement s) {
        int at = s.startsWith("CREATE", "UNIQUE") ? 2 : 1;
        if (!s.startsWith("CREATE") || !s.matchesAt(at, "INDEX", "CONCURRENTLY")) {
            return null;
        }
        at += 2;
        if (s.matchesAt(at, "IF", "NOT", "EXISTS")) {
            at += 3;
        }
        String name = s.keyword(at);
        if (name.isEmpty() || name.equals("ON") || s.keyword(at + 1).equals(".")) {
            return null;
        }
        String token = s.tokens().get(at);
        return token.startsWith("\"") ? token.substring(1, token.length() - 1).replace("\"\"", "\"")
                : token.toLowerCase(Locale.ROOT);
    }

    /** {@code CREATE INDEX CONCURRENTLY} or {@code REINDEX ... CONCURRENTLY}: may leave an INVALID index behind. */
    static boolean buildsIndexConcurrently(SqlStatement s) {
        int at = s.startsWith("CREATE", "UNIQUE") ? 2 : 1;
        return (s.startsWith("CREATE") && s.matchesAt(at, "INDEX", "CONCURRENTLY"))
                || (s.startsWith("REINDEX") && s.indexOf("CONCURRENTLY", 1) > 0);
    }

    /**
     * Applies one migration; returns the number of statements run. On failure the migration's history row says what
     * failed ({@code logs}), and the exception says what to do.
     *
     * <p>A migration run in one transaction ({@code rowId} null) inserts its finished history row as the last
     * statement of that transaction, so that it is applied and recorded with one commit (one WAL flush), or neither;
     * a failure is recorded after the rollback. A migration run without a transaction needs its row before its first
     * statement, to record its progress: {@code rowId}, or inserted here when the caller passed null.
     */
    public int apply(Connection connection, SessionState session, LocalMigration migration,
            List<SqlStatement> statements, Mode mode, String rowId) {
        int serverMajorVersion = serverMajorVersion(connection);
        Plan plan = plan(migration, statements, serverMajorVersion);
        if (plan.mode() != mode) {
            // Only ALTER TYPE ... ADD VALUE before PostgreSQL 12 makes the server's version matter.
            log.info("{}: runs without a transaction: PostgreSQL {} cannot run ALTER TYPE ... ADD VALUE in one",
                    migration.name(), serverMajorVersion);
        }
        try (Run run = new Run(connection, session, migration, plan, rowId)) {
            run.serverVersion = serverMajorVersion;
            return run.execute();
        }
    }

    /**
     * Prepares a command's connection for migrations (see {@link SessionState}): one round trip, before the first
     * migration of a deploy.
     */
    public SessionState prepareSession(Connection connection, String schema) {
        return SessionState.establish(connection, schema, lockTimeout, statementTimeout);
    }

    /**
     * Resumes an autocommit migration whose history row {@code rowId} is unfinished with {@code appliedSteps}
     * statements recorded as done: checks the effect of the statement that was interrupted (see
     * {@link #resumeRefusal}), then runs the rest and finishes that row. Returns the number of statements run now.
     */
    public int resume(Connection connection, SessionState session, LocalMigration migration,
            List<SqlStatement> statements, String rowId, int appliedSteps) {
        int serverMajorVersion = serverMajorVersion(connection);
        Plan plan = plan(migration, statements, serverMajorVersion);
        try (Run run = new Run(connection, session, migration, plan, rowId)) {
            run.serverVersion = serverMajorVersion;
            run.resumeFrom = appliedSteps;
            return run.execute();
        }
    }

    /**
     * Runs a migration's down script ({@code down}: the migration's name, the down file and its text) with the same
     * planning, {@code lock_timeout}, retries and statement-level errors as {@link #apply}, then marks the history
     * row {@code appliedRowId} rolled back: inside the script's transaction when it runs in one, else after its last
     * statement. A failure writes nothing to the history, so the migration stays applied; the exception says so.
     * Returns the number of statements run.
     */
    public int rollBack(Connection connection, SessionState session, LocalMigration down,
            List<SqlStatement> statements, String appliedRowId) {
        int serverMajorVersion = serverMajorVersion(connection);
        Plan plan = plan(down, statements, serverMajorVersion);
        try (Run run = new Run(connection, session, down, plan, null, appliedRowId)) {
            run.serverVersion = serverMajorVersion;
            return run.execute();
        }
    }

    // ---- resuming interrupted autocommit migrations

    /** What resuming does with the statement that was running when a migration was interrupted. */
    enum Resume {
        /** It ran in a transaction with its progress count (or re-running it is harmless): run it. */
        RUN,
        /** {@code CREATE INDEX CONCURRENTLY}: done if the index is VALID, rebuilt if INVALID, run if absent. */
        CREATE_INDEX,
        /** {@code DROP INDEX CONCURRENTLY}: done if the index is gone, run again otherwise. */
        DROP_INDEX,
        /** {@code REINDEX ... CONCURRENTLY}: drop the INVALID {@code _ccnew}/{@code _ccold} leftovers, run again. */
        REINDEX,
        /** {@code ALTER TYPE ... ADD VALUE} in autocommit: done if the value exists, run otherwise. */
        ENUM_VALUE,
        /** Anything else that commits on its own: whether it completed cannot be known. */
        UNKNOWN
    }

    /**
     * Single statements that need autocommit: those PostgreSQL refuses in a transaction block, and {@code CALL} and
     * {@code DO}, which may commit themselves. Every other statement of an autocommit migration runs in a
     * transaction together with its progress count, so an interruption leaves no doubt whether it was applied.
     */
    public static boolean needsAutocommit(SqlStatement s, int serverMajorVersion) {
        return cannotRunInTransaction(s, serverMajorVersion) || s.startsWith("CALL") || s.startsWith("DO");
    }

    /**
     * The statements whose effect can be looked up are checked even where they ran in a transaction with their
     * count (ALTER TYPE ... ADD VALUE on PostgreSQL 12+), so that a row left by a run that committed them separately
     * (an older Tidemark, Prisma) resumes too.
     */
    static Resume resumeKind(SqlStatement s, int serverMajorVersion) {
        if (buildsIndexConcurrently(s)) {
            if (s.startsWith("REINDEX")) {
                return Resume.REINDEX;
            }
            return indexName(s) != null ? Resume.CREATE_INDEX : Resume.UNKNOWN;
        }
        if (s.startsWith("DROP", "INDEX", "CONCURRENTLY")) {
            return indexName(s) != null ? Resume.DROP_INDEX : Resume.UNKNOWN;
        }
        if (s.startsWith("ALTER", "TYPE") && enumValue(s) != null) {
            return Resume.ENUM_VALUE;
        }
        if (!needsAutocommit(s, serverMajorVersion) || s.startsWith("VACUUM") || s.startsWith("CLUSTER")
                || s.startsWith("REINDEX") || s.startsWith("DISCARD")) {
            return Resume.RUN;
        }
        return Resume.UNKNOWN;
    }

    /**
     * The (possibly schema-qualified) index a {@code CREATE INDEX CONCURRENTLY} or {@code DROP INDEX CONCURRENTLY}
     * names, as written (for {@code to_regclass}), or null when there is none.
     */
    static String indexName(SqlStatement s) {
        int at;
        if (s.startsWith("DROP")) {
            at = 3;
            if (s.matchesAt(at, "IF", "EXISTS")) {
                at += 2;
            }
        } else {
            at = (s.startsWith("CREATE", "UNIQUE") ? 2 : 1) + 2;
            if (s.matchesAt(at, "IF", "NOT", "EXISTS")) {
                at += 3;
            }
        }
        return qualifiedName(s, at);
    }

    /** {@code name} or {@code schema.name} starting at token {@code at}, as written; null if there is none. */
    private static String qualifiedName(SqlStatement s, int at) {
        String first = s.keyword(at);
        if (first.isEmpty() || first.equals("ON") || !isIdentifier(s.tokens().get(at))) {
            return null;
        }
        if (s.keyword(at + 1).equals(".")) {
            return at + 2 < s.tokens().size() && isIdentifier(s.tokens().get(at + 2))
                    ? s.tokens().get(at) + "." + s.tokens().get(at + 2) : null;
        }
        return s.tokens().get(at);
    }

    private static boolean isIdentifier(String token) {
        char c = token.charAt(0);
        return c == '"' || c == '_' || Character.isLetter(c);
    }

    /** The type and the label of {@code ALTER TYPE name ADD VALUE [IF NOT EXISTS] 'label' ...}, or null. */
    static String[] enumValue(SqlStatement s) {
        String type = qualifiedName(s, 2);
        int add = s.indexOf("ADD", 2);
        if (type == null || add < 0 || !s.matchesAt(add + 1, "VALUE")) {
            return null;
        }
        // The tokens keep a string only as ', so the label is read from the text after ADD VALUE.
        Matcher m = Pattern.compile("(?is)\\bADD\\s+VALUE\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?'((?:[^']|'')*)'")
                .matcher(s.sql());
        return m.find() ? new String[] {type, m.group(1).replace("''", "'")} : null;
    }

    /**
     * Null when an autocommit migration interrupted after {@code appliedSteps} statements can be resumed; otherwise
     * the refusal: which statement was interrupted, what to check, and how to go on.
     */
    public String resumeRefusal(Connection connection, LocalMigration migration, List<SqlStatement> statements,
            String rowId, int appliedSteps) {
        int version = serverMajorVersion(connection);
        Plan plan = plan(migration, statements, version);
        int total = plan.statementCount();
        int at = 0;
        for (List<SqlStatement> unit : plan.units()) {
            if (at == appliedSteps) {
                SqlStatement s = unit.get(0);
                if (unit.size() > 1 || resumeKind(s, version) != Resume.UNKNOWN) {
                    return null;
                }
                return "Migration " + migration.name() + " was interrupted (its deployer was killed or lost its"
                        + " connection) while running statement " + (at + 1) + " of " + total + " at "
                        + migration.file() + ":" + s.line() + " ('" + firstLine(s.sql()) + "'), which commits on"
                        + " its own, and Tidemark cannot tell whether it completed; statements 1 to " + at
                        + " are applied. Check whether that statement's effect is in the database, and if it is not"
                        + " (or only partly), run the statement yourself; then record it as done with "
                        + progressUpdate(rowId, at + 1) + " and deploy again: Tidemark resumes at statement "
                        + (at + 2) + ". To start the migration over instead, undo statements 1 to " + at
                        + " and run 'tidemark resolve --rolled-back " + migration.name() + "'.";
            }
            at += unit.size();
            if (at > appliedSteps) {
                break;
            }
        }
        if (appliedSteps == total) {
            return null;
        }
        return "Migration " + migration.name() + " is recorded with " + appliedSteps + " of its " + total
                + " statement(s) applied, which does not fall between its statements as " + migration.file()
                + " splits them now, so Tidemark cannot tell where to resume. Compare the database with the file;"
                + " complete or undo the migration by hand, then run 'tidemark resolve --applied "
                + migration.name() + "' or 'tidemark resolve --rolled-back " + migration.name() + "'.";
    }

    /** The SQL that records the interrupted statement of a migration's row as done. */
    private String progressUpdate(String rowId, int steps) {
        return "UPDATE " + history.qualifiedName() + " SET applied_steps_count = " + steps + " WHERE id = '"
                + rowId + "'";
    }

    /** A short description of the statement an interrupted migration stopped at, for refusals and logs. */
    public static String interruptedStatement(LocalMigration migration, List<SqlStatement> statements,
            int appliedSteps) {
        List<SqlStatement> all = statements.stream().filter(s -> !isTransactionControl(s)).toList();
        if (appliedSteps >= all.size()) {
            return "after its last statement";
        }
        SqlStatement s = all.get(appliedSteps);
        return "at statement " + (appliedSteps + 1) + " of " + all.size() + ", " + migration.file() + ":" + s.line()
                + " ('" + firstLine(s.sql()) + "')";
    }

    /**
     * Failures of the connection, the server or the moment rather than of the file: lost connection (08),
     * administrator shutdown or termination (57P01-57P03), lock timeout (55P03), cancellation (57014),
     * serialization failure and deadlock (40001, 40P01). Running the same file again can succeed.
     */
    static boolean notTheFilesFault(String state) {
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

    private static final Pattern RECORDED_STATE = Pattern.compile("^SQLSTATE ([0-9A-Z]{5}): ");
    private static final String RESUMED = "Resumed by Tidemark at statement ";
    private static final String ROLLED_BACK = "The migration's transaction was rolled back: none of its statements"
            + " are applied.";

    /**
     * Whether a failed row's {@code logs} say it was interrupted rather than failed for a reason in its file: no logs
     * (the deployer died before it could write them), or a failure Tidemark recorded with an SQLSTATE of the
     * connection or the moment, or a resume of Tidemark's that recorded nothing after it. Prisma's own logs never
     * qualify.
     */
    public static boolean interrupted(String logs) {
        if (logs == null) {
            return true;
        }
        String last = null;
        boolean resumed = false;
        for (String line : logs.split("\n")) {
            Matcher m = RECORDED_STATE.matcher(line);
            if (m.find()) {
                last = m.group(1);
                resumed = false;
            } else if (line.startsWith(RESUMED)) {
                resumed = true;
                last = null;
            }
        }
        return resumed || (last != null && notTheFilesFault(last));
    }

    /** Whether the logs are those of a transactional migration that Tidemark rolled back after its failure. */
    public static boolean rolledBack(String logs) {
        return logs != null && logs.contains(ROLLED_BACK);
    }

    /** The state of one migration's run: its units, progress, retry budget and lock watcher. */
    private final class Run implements AutoCloseable {
        final Connection connection;
        final SessionState session;
        final LocalMigration migration;
        final Plan plan;
        final String rowId;
        /** For a rollback: the applied migration's history row, which a successful down script marks rolled back. */
        final String rollingBack;
        final int total;
        final LockWatcher watcher;
        int committed;
        /** When resuming: the statements recorded as done by the interrupted run. */
        int resumeFrom = -1;
        /** The server's major version, for the few statements whose transaction needs depend on it. */
        int serverVersion = Integer.MAX_VALUE;
        long retryDeadline;
        long backoffMillis = FIRST_BACKOFF_MILLIS;
        int lockTimeouts;
        final List<String> notes = new ArrayList<>();
        /** INVALID indexes our failed statement left, whose drop also timed out: dropped before the retry. */
        final List<String> leftovers = new ArrayList<>();

        Run(Connection connection, SessionState session, LocalMigration migration, Plan plan, String rowId) {
            this(connection, session, migration, plan, rowId, null);
        }

        Run(Connection connection, SessionState session, LocalMigration migration, Plan plan, String rowId,
                String rollingBack) {
            this.connection = connection;
            this.session = session;
            this.migration = migration;
            this.plan = plan;
            this.rollingBack = rollingBack;
            this.rowId = rowId != null || plan.mode() == Mode.PER_MIGRATION || rollingBack != null ? rowId
                    : history.start(connection, migration.name(), migration.checksum());
            this.total = plan.statementCount();
            this.watcher = lockTimeout.isZero() || watcherConnections == null ? LockWatcher.DISABLED
                    : new LockWatcher(watcherConnections, lockTimeout);
            watcher.watchPid(session.pid());
        }

        int execute() {
            if (plan.mode() == Mode.PER_MIGRATION) {
                runUnit(plan.units().get(0), true);
            } else {
                int start = Math.max(resumeFrom, 0);
                for (List<SqlStatement> unit : plan.units()) {
                    if (committed < start) {
                        committed += unit.size();
                        continue;
                    }
                    if (resumeFrom >= 0) {
                        boolean done = checkInterrupted(unit);
                        resumeFrom = -1;
                        if (done) {
                            committed += unit.size();
                            history.progress(connection, rowId, committed);
                            continue;
                        }
                    }
                    runUnit(unit, false);
                }
                boolean lockKept = endOfMigration();
                if (rollingBack != null) {
                    history.rollBack(connection, rollingBack, migration.file());
                } else {
                    history.finish(connection, rowId, committed);
                }
                if (!lockKept) {
                    throw lockLost(false);
                }
                return committed - start;
            }
            return committed;
        }

        /**
         * Before resuming at {@code unit}, the one that was running when the migration was interrupted: whether it
         * is already done. An INVALID index left by an interrupted concurrent build is dropped first, so that the
         * build runs again.
         */
        private boolean checkInterrupted(List<SqlStatement> unit) {
            SqlStatement s = unit.get(0);
            Resume kind = unit.size() > 1 ? Resume.RUN : resumeKind(s, serverVersion);
            String where = migration.file() + ":" + s.line();
            try {
                history.note(connection, rowId, "Resumed by Tidemark at statement " + (committed + 1) + " of "
                        + total + " (" + where + ").");
                switch (kind) {
                    case CREATE_INDEX: {
                        Boolean valid = indexValid(indexName(s));
                        if (Boolean.TRUE.equals(valid)) {
                            log.info("{}: the interrupted statement at {} completed: the index {} exists and is"
                                    + " VALID; resuming after it", migration.name(), where, indexName(s));
                            return true;
                        }
                        if (Boolean.FALSE.equals(valid)) {
                            dropIndex(indexName(s));
                            log.warn("{}: dropped the INVALID index {} that the interrupted statement at {} left"
                                    + " behind; building it again", migration.name(), indexName(s), where);
                        }
                        return false;
                    }
                    case DROP_INDEX:
                        if (indexValid(indexName(s)) == null) {
                            log.info("{}: the interrupted statement at {} completed: the index {} is gone; resuming"
                                    + " after it", migration.name(), where, indexName(s));
                            return true;
                        }
                        return false;
                    case REINDEX:
                        for (String leftover : reindexLeftovers()) {
                            dropIndex(leftover);
                            log.warn("{}: dropped the INVALID index {} that the interrupted REINDEX CONCURRENTLY at {}"
                                    + " left behind", migration.name(), leftover, where);
                        }
                        return false;
                    case ENUM_VALUE: {
                        String[] value = enumValue(s);
                        if (enumValueExists(value[0], value[1])) {
                            log.info("{}: the interrupted statement at {} completed: {} has the value '{}'; resuming"
                                    + " after it", migration.name(), where, value[0], value[1]);
                            return true;
                        }
                        return false;
                    }
                    default:
                        // RUN: it ran in a transaction with its progress count, or running it again is harmless.
                        // UNKNOWN was refused before the deploy began.
                        return false;
                }
            } catch (SQLException e) {
                throw new TidemarkException(ErrorCode.DATABASE_ERROR, "Could not check what the interrupted"
                        + " statement at " + where + " of " + migration.name() + " did: " + e.getMessage()
                        + " (SQLSTATE " + e.getSQLState() + "). Deploy again to retry the check.", e);
            }
        }

        /** Whether the index exists and is VALID; null when it does not exist. */
        private Boolean indexValid(String name) throws SQLException {
            try (PreparedStatement query = connection.prepareStatement("SELECT i.indisvalid FROM pg_catalog.pg_index i"
                    + " WHERE i.indexrelid = to_regclass(?)")) {
                query.setString(1, name);
                try (ResultSet rs = query.executeQuery()) {
                    return rs.next() ? rs.getBoolean(1) : null;
                }
            }
        }

        private void dropIndex(String name) throws SQLException {
            try (Statement jdbc = connection.createStatement()) {
                jdbc.execute("DROP INDEX CONCURRENTLY IF EXISTS " + name);
            }
        }

        /** INVALID indexes named as REINDEX CONCURRENTLY names its transient copies. */
        private List<String> reindexLeftovers() throws SQLException {
            List<String> names = new ArrayList<>();
            try (Statement jdbc = connection.createStatement();
                    ResultSet rs = jdbc.executeQuery("SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname)"
                            + " FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid"
                            + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                            + " WHERE NOT i.indisvalid AND c.relname ~ '_cc(new|old)[0-9]*$'")) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
            return names;
        }

        private boolean enumValueExists(String type, String label) throws SQLException {
            try (PreparedStatement query = connection.prepareStatement("SELECT EXISTS (SELECT 1 FROM"
                    + " pg_catalog.pg_enum WHERE enumtypid = to_regtype(?) AND enumlabel = ?)")) {
                query.setString(1, type);
                query.setString(2, label);
                try (ResultSet rs = query.executeQuery()) {
                    rs.next();
                    return rs.getBoolean(1);
                }
            }
        }

        /**
         * After the migration's last statement (inside its transaction, if it has one): checks that the session still
         * holds the migration lock, taking it back if the migration released it and nobody else took it, and
         * re-establishes the session's baseline for the next migration, in one round trip. A session-level
         * {@code set_config} inside the transaction commits with it; if the transaction rolls back, the values from
         * before it (the same baseline) come back. Returns false when another session took the lock.
         */
        private boolean endOfMigration() {
            try (Statement jdbc = connection.createStatement();
                    ResultSet rs = jdbc.executeQuery("SELECT " + AdvisoryLock.heldOrRetaken(session.schema()) + ", "
                            + session.baseline())) {
                rs.next();
                String lock = rs.getString(1);
                if (lock.equals("retaken")) {
                    log.warn("{}: the migration released the migration lock (advisory lock {}); Tidemark took it"
                            + " back before anyone else did. Remove the pg_advisory_unlock call from {}",
                            migration.name(), AdvisoryLock.KEY, migration.file());
                }
                return !lock.equals("lost");
            } catch (SQLException e) {
                throw new TidemarkException(ErrorCode.DATABASE_ERROR, "Could not check that the migration lock is"
                        + " still held after " + migration.name() + ": " + e.getMessage() + ". Deploy again; the"
                        + " history table says what was applied.", e);
            }
        }

        private TidemarkException lockLost(boolean rolledBack) {
            String holder;
            try (Statement jdbc = connection.createStatement()) {
                holder = AdvisoryLock.holder(jdbc, session.schema());
            } catch (SQLException e) {
                holder = "another session";
            }
            return new TidemarkException(ErrorCode.LOCK_LOST, "Migration " + migration.name() + " released the"
                    + " migration lock (advisory lock " + AdvisoryLock.KEY + ", for example with pg_advisory_unlock or"
                    + " pg_advisory_unlock_all) and another session took it before Tidemark could take it back: "
                    + holder + ". " + (rollingBack != null ? (rolledBack ? "The down script's transaction was"
                            + " rolled back, so the migration stays applied" : "The down script ran without a"
                            + " transaction, so its statements stay applied and the migration is recorded as rolled"
                            + " back") : rolledBack ? "The migration was rolled back and is not recorded"
                            : "The migration ran without a transaction, so its statements stay applied and it is"
                                    + " recorded as applied")
                    + "; Tidemark ran nothing after it, since another deployer may be applying the same"
                    + " migrations now. Remove the unlock call from " + migration.file() + " (the lock must be"
                    + " released by Tidemark only), then " + (rollingBack != null ? "run the rollback" : "deploy")
                    + " again once the other deployer is done.");
        }

        /**
         * Runs one unit: in a transaction (the whole migration, or an explicit BEGIN ... COMMIT block), or a single
         * statement in autocommit. Retries it after lock timeouts while the budget lasts.
         */
        private void runUnit(List<SqlStatement> unit, boolean wholeMigration) {
            // Several statements (an explicit BEGIN ... COMMIT block) or the whole migration run in a transaction;
            // so does a single statement that can, so that it commits with its progress count and an interrupted
            // run leaves no doubt whether it was applied.
            boolean transaction = wholeMigration || unit.size() > 1 || !needsAutocommit(unit.get(0), serverVersion);
            for (int attempt = 1; ; attempt++) {
                int done = 0;
                Map<Long, String> invalidBefore = null;
                try {
                    if (transaction) {
                        connection.setAutoCommit(false);
                    }
                    dropLeftovers();
                    try (Statement jdbc = connection.createStatement()) {
                        jdbc.setEscapeProcessing(false);
                        for (SqlStatement statement : unit) {
                            if (!transaction && buildsIndexConcurrently(statement)) {
                                invalidBefore = invalidIndexes();
                            }
                            watcher.start();
                            try {
                                jdbc.execute(statement.sql());
                            } finally {
                                watcher.stop();
                            }
                            if (invalidBefore != null) {
                                refuseInvalidIndexKept(statement, invalidBefore);
                            }
                            done++;
                        }
                    }
                    if (wholeMigration && !endOfMigration()) {
                        rollback();
                        throw lockLost(true);
                    }
                    // A read-only transaction cannot write the history row; having changed nothing, it needs no
                    // atomicity with it, so the row is written right after its commit.
                    boolean rowAfterCommit = transaction && readOnly(unit);
                    if (!rowAfterCommit) {
                        recordProgress(wholeMigration, done);
                    }
                    if (transaction) {
                        connection.commit();
                        connection.setAutoCommit(true);
                    }
                    if (rowAfterCommit) {
                        recordProgress(wholeMigration, done);
                    }
                    committed += done;
                    return;
                } catch (SQLException e) {
                    if (transaction) {
                        rollback();
                    }
                    if (unit.isEmpty()) {
                        throw new TidemarkException(ErrorCode.DATABASE_ERROR, "Could not commit " + migration.name()
                                + ": " + e.getMessage(), e);
                    }
                    SqlStatement failed = unit.get(Math.min(done, unit.size() - 1));
                    if (invalidBefore != null) {
                        dropInvalidIndexesLeftBy(failed, invalidBefore);
                    }
                    if (LOCK_NOT_AVAILABLE.equals(e.getSQLState()) && done < unit.size() && retry(failed, attempt,
                            transaction)) {
                        continue;
                    }
                    throw failure(failed, committed + (transaction ? 0 : done), done == unit.size(), e, transaction);
                } catch (RuntimeException e) {
                    if (transaction) {
                        rollback();
                    }
                    throw e;
                }
            }
        }

        private void recordProgress(boolean wholeMigration, int done) {
            if (rollingBack != null) {
                if (wholeMigration) {
                    history.rollBack(connection, rollingBack, migration.file());
                }
                return;
            }
            if (wholeMigration && rowId == null) {
                history.recordApplied(connection, migration.name(), migration.checksum(), done);
            } else if (wholeMigration) {
                history.finish(connection, rowId, done);
            } else {
                history.progress(connection, rowId, committed + done);
            }
        }

        /** After a lock timeout: waits and returns true if the budget allows another attempt. */
        private boolean retry(SqlStatement statement, int attempt, boolean transaction) {
            lockTimeouts++;
            long now = System.nanoTime();
            if (retryDeadline == 0) {
                retryDeadline = now + lockRetryBudget.toNanos();
            }
            long remainingMillis = (retryDeadline - now) / 1_000_000;
            String blockers = watcher.blockers();
            if (remainingMillis <= 0) {
                return false;
            }
            long sleep = Math.min(remainingMillis,
                    backoffMillis / 2 + ThreadLocalRandom.current().nextLong(backoffMillis / 2 + 1));
            backoffMillis = Math.min(backoffMillis * 2, MAX_BACKOFF_MILLIS);
            log.warn("{}: the statement at {}:{} waited {} ms (lock_timeout) for a lock and gave up, so that other"
                    + " queries do not queue behind it; blocked by {}. {}; retrying in {} ms (attempt {}, {} s of the"
                    + " lock retry budget left)", migration.name(), migration.file(), statement.line(),
                    lockTimeout.toMillis(), blockers == null ? "a session Tidemark could not identify" : blockers,
                    transaction ? "Rolled back" : "Nothing was changed", sleep, attempt + 1,
                    Math.max(0, remainingMillis - sleep) / 1000);
            try {
                Thread.sleep(sleep);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                boolean recorded = recordFailure(committed, "Interrupted while waiting to retry the statement at "
                        + migration.file() + ":" + statement.line() + " after a lock timeout. " + (transaction
                                ? "It was rolled back." : committed + " statement(s) before it were applied."));
                throw new TidemarkException(ErrorCode.MIGRATION_FAILED, "Interrupted while waiting to retry "
                        + migration.name() + " after a lock timeout; " + (recorded
                                ? "the interruption is recorded in the history table. Resolve it with 'tidemark"
                                        + " resolve --rolled-back " + migration.name() + "' and deploy again."
                                : "Tidemark could not record it in the history table (see the log). Deploy again."),
                        e);
            }
            return true;
        }

        private void rollback() {
            try {
                connection.rollback();
                connection.setAutoCommit(true);
            } catch (SQLException ignored) {
                // the original failure is what matters; a broken connection is reported by the next call
            }
        }

        // ---- invalid indexes left by failed concurrent builds

        /** Invalid indexes in the database now, by oid, with their qualified names. */
        private Map<Long, String> invalidIndexes() throws SQLException {
            Map<Long, String> invalid = new LinkedHashMap<>();
            try (Statement jdbc = connection.createStatement();
                    ResultSet rs = jdbc.executeQuery("SELECT i.indexrelid::int8, quote_ident(n.nspname) || '.' ||"
                            + " quote_ident(c.relname), c.relname FROM pg_catalog.pg_index i"
                            + " JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid"
                            + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE NOT i.indisvalid")) {
                while (rs.next()) {
                    invalid.put(rs.getLong(1), rs.getString(2) + "\u0000" + rs.getString(3));
                }
            }
            return invalid;
        }

        /**
         * A {@code CREATE INDEX CONCURRENTLY IF NOT EXISTS} that skipped an index left INVALID by an earlier failed
         * build would "succeed" without an index; that is reported as a failure instead.
         */
        private void refuseInvalidIndexKept(SqlStatement statement, Map<Long, String> invalidBefore)
                throws SQLException {
            String name = concurrentIndexName(statement);
            if (name == null) {
                return;
            }
            Long target = indexNamed(name);
            String entry = target == null ? null : invalidIndexes().get(target);
            if (entry != null && entry.equals(invalidBefore.get(target))) {
                throw new SQLException("the index " + entry.split("\u0000")[0] + " already exists but is INVALID (left"
                        + " by an earlier failed concurrent build), so IF NOT EXISTS skipped building it", "55000");
            }
        }

        /**
         * The oid of the index an unqualified {@code CREATE INDEX CONCURRENTLY} names, resolved through the session's
         * search_path as the statement was; null if there is none. Same-named indexes of other schemas (another
         * tenant's build in progress, INVALID until it finishes) are not it.
         */
        private Long indexNamed(String name) throws SQLException {
            try (PreparedStatement query = connection.prepareStatement("SELECT to_regclass(quote_ident(?))::oid::int8")) {
                query.setString(1, name);
                try (ResultSet rs = query.executeQuery()) {
                    rs.next();
                    long oid = rs.getLong(1);
                    return rs.wasNull() ? null : oid;
                }
            }
        }

        /** Drops the INVALID indexes a failed {@code CONCURRENTLY} statement left behind, so a retry can succeed. */
        private void dropInvalidIndexesLeftBy(SqlStatement statement, Map<Long, String> invalidBefore) {
            try {
                Map<Long, String> now = invalidIndexes();
                String name = concurrentIndexName(statement);
                Long target = name == null ? null : indexNamed(name);
                for (Map.Entry<Long, String> entry : now.entrySet()) {
                    String[] parts = entry.getValue().split("\u0000");
                    if (invalidBefore.containsKey(entry.getKey())) {
                        if (entry.getKey().equals(target)) {
                            notes.add("The INVALID index " + parts[0] + " existed before this migration (left by an"
                                    + " earlier failed build); Tidemark did not create it, so it did not drop it. Run"
                                    + " DROP INDEX CONCURRENTLY " + parts[0] + " before deploying again.");
                        }
                        continue;
                    }
                    if (buildInProgressElsewhere(entry.getKey())) {
                        notes.add("The INVALID index " + parts[0] + " appeared while the statement ran, but another"
                                + " session is using its table, so Tidemark left it alone; if it is a leftover of"
                                + " this statement, run DROP INDEX CONCURRENTLY " + parts[0] + ".");
                        continue;
                    }
                    try (Statement jdbc = connection.createStatement()) {
                        jdbc.execute("DROP INDEX CONCURRENTLY IF EXISTS " + parts[0]);
                        log.warn("{}: dropped the INVALID index {} that the failed statement at {}:{} left behind",
                                migration.name(), parts[0], migration.file(), statement.line());
                        notes.add("The failed statement left the INVALID index " + parts[0] + " behind; Tidemark"
                                + " dropped it, so the migration can run again.");
                    } catch (SQLException e) {
                        if (LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
                            // Dropping waits for the same transactions the build waited for: try again before the
                            // retry, under the same lock timeout and backoff.
                            leftovers.add(parts[0]);
                            continue;
                        }
                        notes.add("The failed statement left the INVALID index " + parts[0] + " behind and"
                                + " Tidemark could not drop it (" + e.getMessage() + "); run DROP INDEX"
                                + " CONCURRENTLY " + parts[0] + " before deploying again.");
                    }
                }
            } catch (SQLException e) {
                notes.add("Tidemark could not check for INVALID indexes left behind (" + e.getMessage() + "); look"
                        + " for them with SELECT indexrelid::regclass FROM pg_index WHERE NOT indisvalid.");
            }
        }

        /** Drops the INVALID indexes an earlier attempt left; a lock timeout here counts as the attempt's. */
        private void dropLeftovers() throws SQLException {
            while (!leftovers.isEmpty()) {
                String index = leftovers.get(0);
                watcher.start();
                try (Statement jdbc = connection.createStatement()) {
                    jdbc.execute("DROP INDEX CONCURRENTLY IF EXISTS " + index);
                } finally {
                    watcher.stop();
                }
                leftovers.remove(0);
                log.warn("{}: dropped the INVALID index {} that an earlier attempt left behind", migration.name(),
                        index);
            }
        }

        /** Another session holds SHARE UPDATE EXCLUSIVE on the index or its table, as a concurrent build does. */
        private boolean buildInProgressElsewhere(long indexOid) throws SQLException {
            try (PreparedStatement query = connection.prepareStatement("SELECT EXISTS (SELECT 1 FROM"
                    + " pg_catalog.pg_locks l JOIN pg_catalog.pg_index i ON l.relation IN (i.indexrelid, i.indrelid)"
                    + " WHERE i.indexrelid = ?::oid AND l.pid <> pg_backend_pid()"
                    + " AND l.mode = 'ShareUpdateExclusiveLock')")) {
                query.setLong(1, indexOid);
                try (ResultSet rs = query.executeQuery()) {
                    rs.next();
                    return rs.getBoolean(1);
                }
            }
        }

        // ---- failures

        private MigrationFailedException failure(SqlStatement statement, int appliedSteps, boolean atCommit,
                SQLException e, boolean transactional) {
            ServerErrorMessage server = e instanceof PSQLException p ? p.getServerErrorMessage() : null;
            int[] where = statement.positionInFile(atCommit || server == null ? 0 : server.getPosition());
            String state = e.getSQLState();
            String serverMessage = server != null && server.getMessage() != null ? server.getMessage()
                    : e.getMessage();
            String detail = server == null ? null : server.getDetail();
            String hint = server == null ? null : server.getHint();
            String context = server == null ? null : server.getWhere();
            String location = migration.file() + ":" + where[0] + ":" + where[1];
            int number = indexOf(statement) + 1;
            boolean lockGaveUp = LOCK_NOT_AVAILABLE.equals(state) && lockTimeouts > 0;
            String blockers = lockGaveUp ? watcher.blockers() : null;
            String advice = advice(state, statement);
            if (advice != null) {
                notes.add(0, advice);
            }
            for (String leftover : leftovers) {
                notes.add("The failed statement left the INVALID index " + leftover + " behind and Tidemark could not"
                        + " drop it within the lock timeout; run DROP INDEX CONCURRENTLY " + leftover + " before"
                        + " deploying again.");
            }

            StringBuilder logs = new StringBuilder();
            if (atCommit) {
                logs.append("The migration's transaction failed at COMMIT (after its last statement, at ")
                        .append(location).append(").");
            } else {
                logs.append("Statement ").append(number).append(" of ").append(total).append(" at ").append(location)
                        .append(" failed.");
            }
            logs.append("\nSQLSTATE ").append(state).append(": ").append(serverMessage);
            appendLine(logs, "DETAIL: ", detail);
            appendLine(logs, "HINT: ", hint);
            appendLine(logs, "CONTEXT: ", context);
            if (lockGaveUp) {
                logs.append("\nGave up after ").append(lockTimeouts).append(" lock timeout(s) of ")
                        .append(lockTimeout.toMillis()).append(" ms within the lock retry budget of ")
                        .append(seconds(lockRetryBudget)).append(". Blocked by ")
                        .append(blockers == null ? "a session Tidemark could not identify" : blockers).append('.');
            }
            logs.append("\nStatement:\n").append(excerpt(statement.sql(), 12));
            logs.append(transactional && plan.mode() == Mode.PER_MIGRATION
                    ? "\nThe migration's transaction was rolled back: none of its statements are applied."
                    : "\nThe migration ran without a transaction: " + appliedSteps + " of its " + total
                            + " statement(s) were applied before the failure and stay applied.");
            notes.forEach(note -> logs.append('\n').append(note));
            boolean autocommit = !(transactional && plan.mode() == Mode.PER_MIGRATION);
            if (rollingBack != null) {
                return rollbackFailure(location, atCommit, state, serverMessage, detail, statement, appliedSteps,
                        autocommit, lockGaveUp, blockers, where, e);
            }
            boolean recorded = recordFailure(appliedSteps, logs.toString());

            StringBuilder message = new StringBuilder("Migration ").append(migration.name()).append(" failed at ")
                    .append(location).append(atCommit ? " (at COMMIT)" : "").append(" with SQLSTATE ").append(state)
                    .append(": ").append(serverMessage).append(detail == null ? "" : " (" + detail + ")")
                    .append(". Statement: ").append(excerpt(statement.sql(), 3).replaceAll("\\s*\\n\\s*", " "));
            if (lockGaveUp) {
                message.append(" It waited for a lock ").append(lockTimeouts).append(" time(s), ")
                        .append(lockTimeout.toMillis()).append(" ms each (lock_timeout), and the lock retry budget of ")
                        .append(seconds(lockRetryBudget)).append(" is spent; blocked by ")
                        .append(blockers == null ? "a session Tidemark could not identify" : blockers)
                        .append(". End or wait out that session, or raise lockRetryBudget.");
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
            if (notTheFilesFault(state)) {
                message.append(" Nothing in ").append(migration.file()).append(" needs fixing: ");
                if (autocommit && resumeInterrupted) {
                    message.append("deploy again. The next deploy resumes this migration where it stopped, after"
                            + " checking whether the interrupted statement completed (where that cannot be known,"
                            + " it says what to check).");
                } else if (autocommit) {
                    message.append("as resuming is turned off (resumeInterrupted false), complete its remaining"
                            + " statements by hand and run 'tidemark resolve --applied ").append(migration.name())
                            .append("', or undo the ").append(appliedSteps).append(" applied statement(s) and run"
                                    + " 'tidemark resolve --rolled-back ").append(migration.name())
                            .append("', then deploy again.");
                } else if (recorded && !resumeInterrupted) {
                    message.append("run 'tidemark resolve --rolled-back ").append(migration.name())
                            .append("' and deploy again.");
                } else {
                    message.append("deploy again; ").append(recorded ? "the next deploy runs a migration rolled back"
                            + " after such a failure again." : "it applies this migration again.");
                }
            } else {
                message.append(" Fix ").append(migration.file()).append(", then ");
                if (recorded || autocommit) {
                    message.append("run 'tidemark resolve --rolled-back ").append(migration.name())
                            .append("' and deploy again; if you completed the change by hand instead, run"
                                    + " 'tidemark resolve --applied ").append(migration.name()).append("'.");
                } else {
                    message.append("deploy again.");
                }
            }
            return new MigrationFailedException(message.toString(), migration.name(), migration.file(), where[0],
                    where[1], state, serverMessage, e);
        }


        /** A down script's failure: nothing is recorded, and the migration stays applied. */
        private MigrationFailedException rollbackFailure(String location, boolean atCommit, String state,
                String serverMessage, String detail, SqlStatement statement, int appliedSteps, boolean autocommit,
                boolean lockGaveUp, String blockers, int[] where, SQLException e) {
            StringBuilder message = new StringBuilder("Rolling back ").append(migration.name()).append(" failed at ")
                    .append(location).append(atCommit ? " (at COMMIT)" : "").append(" with SQLSTATE ").append(state)
                    .append(": ").append(serverMessage).append(detail == null ? "" : " (" + detail + ")")
                    .append(". Statement: ").append(excerpt(statement.sql(), 3).replaceAll("\\s*\\n\\s*", " "));
            if (lockGaveUp) {
                message.append(" It waited for a lock ").append(lockTimeouts).append(" time(s), ")
                        .append(lockTimeout.toMillis()).append(" ms each (lock_timeout), and the lock retry budget of ")
                        .append(seconds(lockRetryBudget)).append(" is spent; blocked by ")
                        .append(blockers == null ? "a session Tidemark could not identify" : blockers).append('.');
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
            message.append(notTheFilesFault(state) ? " Nothing in " + migration.file() + " needs fixing: run the"
                    + " rollback again." : " Fix " + migration.file() + ", then run the rollback again.");
            return new MigrationFailedException(message.toString(), migration.name(), migration.file(), where[0],
                    where[1], state, serverMessage, e);
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
                return plan.directive() && plan.mode() == Mode.PER_MIGRATION
                        ? "The directive -- tidemark:transaction=per-migration forces a transaction on a statement"
                                + " that refuses one: remove the directive."
                        : "This statement refuses to run in a transaction: add -- tidemark:transaction=none at the"
                                + " top of the file.";
            }
            if ("57014".equals(state) && !statementTimeout.isZero()) {
                return "statement_timeout (" + seconds(statementTimeout) + ") may have cancelled it: raise"
                        + " statementTimeout if the statement needs longer.";
            }
            return null;
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

        /** Records the failure in the history table; false (and logged) when that failed too. */
        private boolean recordFailure(int steps, String logs) {
            if (rollingBack != null) {
                // A failed down script changes nothing in the history: its migration stays applied.
                return false;
            }
            try {
                if (rowId == null) {
                    // The transaction that would have recorded the migration was rolled back: record the failure
                    // in a row of its own, in autocommit, as Prisma leaves a failed migration.
                    if (!connection.getAutoCommit()) {
                        connection.rollback();
                        connection.setAutoCommit(true);
                    }
                    history.recordFailed(connection, migration.name(), migration.checksum(), logs);
                } else {
                    history.fail(connection, rowId, steps, logs);
                }
                return true;
            } catch (SQLException | TidemarkException e) {
                log.error("Could not record the failure of {} in the history table: {}", migration.name(),
                        e.getMessage());
                return false;
            }
        }

        @Override
        public void close() {
            watcher.close();
            try {
                if (!connection.getAutoCommit()) {
                    connection.rollback();
                    connection.setAutoCommit(true);
                }
            } catch (SQLException e) {
                log.debug("Could not roll back after {}: {}", migration.name(), e.getMessage());
            }
        }
    }

    private static int serverMajorVersion(Connection connection) {
        try {
            return connection.getMetaData().getDatabaseMajorVersion();
        } catch (SQLException e) {
            return Integer.MAX_VALUE;
        }
    }

    private static TidemarkException invalid(LocalMigration migration, int line, int column, String problem) {
        return new TidemarkException(ErrorCode.MIGRATIONS_INVALID, migration.file() + ":" + line + ":" + column
                + ": " + problem + ".");
    }

    /** A duration for messages: {@code 1.5 s}, {@code 300 s}. */
    static String seconds(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    private static void appendLine(StringBuilder out, String label, String value) {
        if (value != null && !value.isBlank()) {
            out.append('\n').append(label).append(value);
        }
    }

    static String firstLine(String sql) {
        int newline = sql.indexOf('\n');
        String first = newline < 0 ? sql : sql.substring(0, newline) + " ...";
        return first.length() > 100 ? first.substring(0, 97) + "..." : first;
    }

    static String excerpt(String sql, int maxLines) {
        String[] lines = sql.split("\n", -1);
        if (lines.length <= maxLines) {
            return sql;
        }
        return String.join("\n", Arrays.copyOf(lines, maxLines)) + "\n... (" + (lines.length - maxLines)
                + " more lines)";
    }
}
