package dev.tidemark.internal.sql;

import dev.tidemark.ErrorCode;
import dev.tidemark.TidemarkException;
import dev.tidemark.internal.source.LocalMigration;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How one migration runs, decided once, before it starts: its transaction mode, the units that each commit (or fail)
 * as a whole, and why the mode is what it is.
 *
 * <p>By default the whole migration is one unit in one transaction. A migration holding a statement PostgreSQL refuses
 * inside a transaction block ({@code CREATE INDEX CONCURRENTLY}, {@code VACUUM}, ...) runs in autocommit instead:
 * each statement is a unit, and so is each explicit {@code BEGIN ... COMMIT} block. A header line
 * {@code -- tidemark:transaction=none} or {@code =per-migration} overrides the detection. Building the plan also
 * checks the file's own transaction statements, so that a migration that cannot run is refused before it starts.
 *
 * <p>Deploys, the shadow database and the commands that explain migrations all use this one plan.
 *
 * @param mode   how the statements are grouped into transactions
 * @param units  the statements, grouped into what commits together; BEGIN and COMMIT of the file are left out
 * @param reason why the mode is what it is
 * @param serverMajorVersion the PostgreSQL major version the plan was made for
 */
public record MigrationPlan(Mode mode, List<List<SqlStatement>> units, Reason reason,
        int serverMajorVersion) {

    private static final Pattern DIRECTIVE = Pattern.compile(
            "^\\s*--\\s*tidemark:\\s*([A-Za-z_-]*)\\s*(?:=\\s*(\\S*))?.*$");
    private static final Pattern BEGIN_MODES = Pattern.compile(
            "(?is)\\s*(?:BEGIN(?:\\s+(?:WORK|TRANSACTION)\\b)?|START\\s+TRANSACTION)\\b(.*)");

    /** How a migration's statements are grouped into transactions. */
    public enum Mode {
        /** One transaction for the whole migration (the default). */
        PER_MIGRATION,
        /** Autocommit, statement by statement (statements between an explicit BEGIN and COMMIT run as one). */
        NONE
    }

    /** What decided a plan's mode. */
    public enum Cause {
        /** No statement refuses a transaction, and no directive says otherwise. */
        DEFAULT,
        /** The header directive {@code -- tidemark:transaction=...}. */
        DIRECTIVE,
        /** A statement PostgreSQL refuses inside a transaction block. */
        STATEMENT
    }

    /**
     * Why a plan has its mode.
     *
     * @param cause     what decided it
     * @param file      the migration file
     * @param line      the line of the directive or the statement; 0 for {@link Cause#DEFAULT}
     * @param statement the statement that refuses a transaction, for {@link Cause#STATEMENT}; else null
     */
    public record Reason(Cause cause, String file, int line, SqlStatement statement) {

        /** One line for people, naming the file and line. */
        public String describe() {
            return switch (cause) {
                case DEFAULT -> "no statement of " + file + " refuses a transaction";
                case DIRECTIVE -> "the directive at " + file + ":" + line;
                case STATEMENT -> "'" + Messages.firstLine(statement.sql()) + "' at " + file + ":" + line
                        + " cannot run inside a transaction block";
            };
        }
    }

    public MigrationPlan {
        units = units.stream().map(List::copyOf).toList();
    }

    /** The plan of a migration on a server of the given major version (splitting its script first). */
    public static MigrationPlan of(LocalMigration migration, int serverMajorVersion) {
        return of(migration, statements(migration), serverMajorVersion);
    }

    /**
     * {@link #reason()} for a listing already headed by the migration's file (as {@code tidemark plan} prints it):
     * names the line only.
     */
    public String reasonWithinFile() {
        return switch (reason.cause()) {
            case DEFAULT -> "the default: no directive, and no statement refuses a transaction";
            case DIRECTIVE -> "the directive -- tidemark:transaction=" + (transactional() ? "per-migration" : "none")
                    + " at the top of the file";
            case STATEMENT -> "line " + reason.line() + ": '" + Messages.firstLine(reason.statement().sql().strip())
                    + "' cannot run inside a transaction block";
        };
    }

    /** The number of statements the plan runs. */
    public int statementCount() {
        return units.stream().mapToInt(List::size).sum();
    }

    /** Whether the whole migration runs in one transaction. */
    public boolean transactional() {
        return mode == Mode.PER_MIGRATION;
    }

    /** Whether the mode comes from the header directive. */
    public boolean directive() {
        return reason.cause() == Cause.DIRECTIVE;
    }

    /**
     * Whether the migration's history row is written before its first statement, to record its progress: only
     * without a transaction. A transactional migration writes its row inside its own transaction (one commit, so one
     * WAL flush, per migration).
     */
    public boolean rowUpFront() {
        return mode == Mode.NONE;
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
     * The plan of a migration's statements on a server of the given major version (the one statement whose
     * transaction needs depend on it is {@code ALTER TYPE ... ADD VALUE}, refused in a transaction before 12).
     *
     * @throws TidemarkException with {@link ErrorCode#MIGRATIONS_INVALID}, naming file and line, for a script whose
     *                           transaction statements cannot run as written
     */
    public static MigrationPlan of(LocalMigration migration, List<SqlStatement> statements,
            int serverMajorVersion) {
        Directive directive = directive(migration, statements);
        Mode mode;
        Reason reason;
        if (directive != null) {
            mode = directive.mode();
            reason = new Reason(Cause.DIRECTIVE, migration.file(), directive.line(), null);
        } else {
            mode = Mode.PER_MIGRATION;
            reason = new Reason(Cause.DEFAULT, migration.file(), 0, null);
            for (SqlStatement statement : statements) {
                if (cannotRunInTransaction(statement, serverMajorVersion)) {
                    mode = Mode.NONE;
                    reason = new Reason(Cause.STATEMENT, migration.file(), statement.line(), statement);
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
                        + Messages.firstLine(statement.sql()) + "' would undo the migration's own work. Remove it; a"
                        + " migration that fails is rolled back by Tidemark");
            }
        }
        List<List<SqlStatement>> units = new ArrayList<>();
        if (mode == Mode.PER_MIGRATION) {
            units.add(oneTransaction(migration, statements));
            return new MigrationPlan(mode, units, reason, serverMajorVersion);
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
                    throw invalid(migration, statement.line(), statement.column(), "'"
                            + Messages.firstLine(statement.sql())
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
        return new MigrationPlan(mode, units, reason, serverMajorVersion);
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
                throw invalid(migration, s.line(), s.column(), "'" + Messages.firstLine(statement.sql()) + "' sets the"
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
    public static SqlStatement transactionModes(SqlStatement begin) {
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
    private static Directive directive(LocalMigration migration, List<SqlStatement> statements) {
        int firstStatementLine = statements.isEmpty() ? Integer.MAX_VALUE : statements.get(0).line();
        Directive directive = null;
        // Only the lines holding "tidemark:" are read as strings: splitting a 30 MB seed script into lines would
        // copy it whole.
        String script = migration.script();
        int line = 1;
        int lineStart = 0;
        for (int at = script.indexOf("tidemark:"); at >= 0; ) {
            for (int nl = script.indexOf('\n', lineStart); nl >= 0 && nl < at; nl = script.indexOf('\n', lineStart)) {
                line++;
                lineStart = nl + 1;
            }
            int lineEnd = script.indexOf('\n', at);
            lineEnd = lineEnd < 0 ? script.length() : lineEnd;
            String text = script.substring(lineStart, lineEnd).strip();
            at = script.indexOf("tidemark:", lineEnd);
            Matcher m = DIRECTIVE.matcher(text);
            if (!m.matches()) {
                continue;
            }
            if (m.group(1).equalsIgnoreCase("lint-ignore")) {
                continue; // a lint suppression (internal.lint), not a directive
            }
            if (line >= firstStatementLine) {
                throw invalid(migration, line, 1, "the directive '" + text + "' comes after the first"
                        + " statement, where Tidemark does not read directives. Move it to the comment lines at"
                        + " the top of the file");
            }
            String key = m.group(1).toLowerCase(Locale.ROOT);
            String value = m.group(2) == null ? "" : m.group(2).toLowerCase(Locale.ROOT);
            if (!key.equals("transaction")) {
                throw invalid(migration, line, 1, "'" + text + "' is not a directive Tidemark knows."
                        + " The one directive is -- tidemark:transaction=per-migration (the default) or"
                        + " -- tidemark:transaction=none");
            }
            Mode mode = switch (value) {
                case "none" -> Mode.NONE;
                case "per-migration" -> Mode.PER_MIGRATION;
                default -> throw invalid(migration, line, 1, "the directive '" + text + "' has a value"
                        + " Tidemark does not know. Use -- tidemark:transaction=per-migration (the default) or"
                        + " -- tidemark:transaction=none");
            };
            directive = new Directive(mode, line);
        }
        return directive;
    }

    private record Directive(Mode mode, int line) {
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
            // The second word is read once (each question lexes the statement's start again), and an ALTER TABLE is
            // lexed further only if its text mentions DETACH at all: most statements of a migration are ALTER TABLE.
            case "CREATE":
                return switch (s.keyword(1)) {
                    case "UNIQUE" -> s.matchesAt(2, "INDEX", "CONCURRENTLY");
                    case "INDEX" -> s.matchesAt(2, "CONCURRENTLY");
                    case "DATABASE", "TABLESPACE", "SUBSCRIPTION" -> true;
                    default -> false;
                };
            case "DROP":
                return switch (s.keyword(1)) {
                    case "INDEX" -> s.matchesAt(2, "CONCURRENTLY");
                    case "DATABASE", "TABLESPACE", "SUBSCRIPTION" -> true;
                    default -> false;
                };
            case "REINDEX":
                return s.indexOf("CONCURRENTLY", 1) > 0 || s.indexOf("SYSTEM", 1) > 0
                        || s.indexOf("DATABASE", 1) > 0 || s.indexOf("SCHEMA", 1) > 0;
            case "ALTER":
                switch (s.keyword(1)) {
                    case "SYSTEM", "SUBSCRIPTION":
                        return true;
                    case "DATABASE": {
                        int set = s.indexOf("SET", 2);
                        return set > 0 && s.matchesAt(set + 1, "TABLESPACE");
                    }
                    case "TABLE": {
                        int detach = s.mentions("DETACH") ? s.indexOf("DETACH", 2) : -1;
                        return detach > 0 && s.matchesAt(detach + 1, "PARTITION")
                                && (s.indexOf("CONCURRENTLY", detach) > 0 || s.indexOf("FINALIZE", detach) > 0);
                    }
                    case "TYPE": {
                        int add = serverMajorVersion < 12 ? s.indexOf("ADD", 2) : -1;
                        return add > 0 && s.matchesAt(add + 1, "VALUE");
                    }
                    default:
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
    public static boolean isTransactionControl(SqlStatement s) {
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

    /**
     * Single statements that need autocommit: those PostgreSQL refuses in a transaction block, and {@code CALL} and
     * {@code DO}, which may commit themselves. Every other statement of an autocommit migration runs in a
     * transaction together with its progress count, so an interruption leaves no doubt whether it was applied.
     */
    public static boolean needsAutocommit(SqlStatement s, int serverMajorVersion) {
        return cannotRunInTransaction(s, serverMajorVersion) || s.startsWith("CALL") || s.startsWith("DO");
    }

    /** The server's major version; the newest possible when it cannot be read. */
    public static int serverMajorVersion(Connection connection) {
        try {
            return connection.getMetaData().getDatabaseMajorVersion();
        } catch (SQLException e) {
            return Integer.MAX_VALUE;
        }
    }

    static TidemarkException invalid(LocalMigration migration, int line, int column, String problem) {
        return new TidemarkException(ErrorCode.MIGRATIONS_INVALID, migration.file() + ":" + line + ":" + column
                + ": " + problem + ".");
    }
}
