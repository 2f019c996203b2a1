package dev.tidemark.internal.sql;

import dev.tidemark.ErrorCode;
import dev.tidemark.MigrationInfo;
import dev.tidemark.MigrationState;
import dev.tidemark.TidemarkException;
import dev.tidemark.internal.history.HistoryRow;
import dev.tidemark.internal.history.HistoryTable;
import dev.tidemark.internal.history.Reconciliation.Reconciled;
import dev.tidemark.internal.source.LocalMigration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resuming interrupted migrations: which failed rows count as interrupted, which of them a deploy goes on with
 * (and the refusal of the others, Prisma's P3009), whether the statement that was running can be checked, and the
 * checks themselves before a resumed run goes on.
 */
public final class Resumption {

    private static final Logger log = LoggerFactory.getLogger("dev.tidemark");

    private Resumption() {
    }

    /**
     * How an interrupted migration goes on: an autocommit one resumes its row after {@code row}'s recorded steps; a
     * transactional one that was rolled back after a failure of the connection or the moment runs again.
     *
     * @param row        the failed row
     * @param statements the migration's statements, as the file splits now
     * @param plan       its plan
     * @param runAgain   true: mark the row rolled back and apply the migration again; false: resume the row
     */
    public record Pending(HistoryRow row, List<SqlStatement> statements, MigrationPlan plan, boolean runAgain) {
    }

    /**
     * The failed migrations this deploy goes on with instead of refusing (Prisma's P3009): those interrupted by a
     * kill, a terminated backend, a lost connection, a lock timeout or a cancellation, never those whose file
     * failed. An unfinished row cannot belong to a running deployer: its writer held the migration lock, which this
     * deploy holds now. An autocommit migration whose interrupted statement's outcome cannot be checked is refused
     * here, before anything runs, with what to check and do.
     */
    public static Map<String, Pending> pending(HistoryTable history, List<Reconciled> local, List<HistoryRow> rows,
            int serverMajorVersion) {
        Map<String, Pending> result = new HashMap<>();
        for (Reconciled reconciled : local) {
            if (reconciled.info().state() != MigrationState.FAILED) {
                continue;
            }
            LocalMigration migration = reconciled.migration();
            List<HistoryRow> mine = rows.stream().filter(r -> r.migrationName().equals(migration.name())).toList();
            List<HistoryRow> failed = mine.stream().filter(HistoryRow::isFailed).toList();
            if (failed.size() != 1 || mine.stream().anyMatch(HistoryRow::isApplied)) {
                continue;
            }
            HistoryRow row = failed.get(0);
            if (!interrupted(row.logs())) {
                continue;
            }
            List<SqlStatement> statements = MigrationPlan.statements(migration);
            MigrationPlan plan = MigrationPlan.of(migration, statements, serverMajorVersion);
            if (plan.transactional()) {
                if (rolledBack(row.logs())) {
                    result.put(migration.name(), new Pending(row, statements, plan, true));
                }
                continue;
            }
            if (!migration.matches(row.checksum())) {
                throw new TidemarkException(ErrorCode.FAILED_MIGRATION_PRESENT, "Migration " + migration.name()
                        + " was interrupted " + interruptedStatement(migration, statements, row.appliedStepsCount())
                        + " of the file as it is now, but " + migration.file()
                        + " has changed since that run (recorded checksum " + row.checksum() + ", file checksum "
                        + migration.checksum() + "), so Tidemark cannot tell which of its statements are applied."
                        + " Restore the file as it was and deploy again to resume it; or compare the database with"
                        + " the file, complete or undo the migration by hand, and run 'tidemark resolve --applied "
                        + migration.name() + "' or 'tidemark resolve --rolled-back " + migration.name() + "'.");
            }
            String refusal = refusal(history, migration, plan, row.id(), row.appliedStepsCount());
            if (refusal != null) {
                throw new TidemarkException(ErrorCode.FAILED_MIGRATION_PRESENT, refusal);
            }
            result.put(migration.name(), new Pending(row, statements, plan, false));
        }
        return result;
    }

    /**
     * Refuses a deploy while a failed migration is recorded that it does not go on with ({@code resumed}), saying how
     * to resolve it.
     *
     * @param target            the database and schema, for the message
     * @param resumeInterrupted whether resuming is on, for the advice
     */
    public static void refuseFailed(List<MigrationInfo> infos, Set<String> resumed, List<Reconciled> local,
            int serverMajorVersion, String target, boolean resumeInterrupted) {
        for (MigrationInfo info : infos) {
            if (info.state() == MigrationState.FAILED && !resumed.contains(info.name())) {
                String interruption = interruption(info, local, serverMajorVersion, resumeInterrupted);
                throw new TidemarkException(ErrorCode.FAILED_MIGRATION_PRESENT, "Found a failed migration in "
                        + target + ", so no new migration is applied: " + info.name() + " started at "
                        + info.startedAt() + " and failed" + (info.logs() == null || info.logs().isBlank() ? ""
                                : " (" + firstLineOf(info.logs()) + ")")
                        + "." + interruption
                        + " If you fixed the migration or undid its partial changes, run 'tidemark resolve"
                        + " --rolled-back " + info.name() + "' and deploy again; if you completed its changes by hand,"
                        + " run 'tidemark resolve --applied " + info.name() + "'.");
            }
        }
    }

    /**
     * For a refused autocommit migration that was interrupted rather than failed: where it stopped, and that the
     * statement there may have completed.
     */
    private static String interruption(MigrationInfo info, List<Reconciled> local, int serverMajorVersion,
            boolean resumeInterrupted) {
        if (!interrupted(info.logs())) {
            return "";
        }
        for (Reconciled reconciled : local) {
            LocalMigration migration = reconciled.migration();
            if (migration.name().equals(info.name())) {
                List<SqlStatement> statements = MigrationPlan.statements(migration);
                if (MigrationPlan.of(migration, statements, serverMajorVersion).transactional()) {
                    return "";
                }
                return " It runs without a transaction and was interrupted " + interruptedStatement(migration,
                        statements, info.appliedStepsCount()) + ": the statements before it are applied and"
                        + " that one may have completed, so check its effect before resolving"
                        + (resumeInterrupted ? "." : "; resuming such a migration is turned off"
                                + " (resumeInterrupted false), which would check it and go on.");
            }
        }
        return "";
    }

    /** The first line of a text, stripped. */
    public static String firstLineOf(String text) {
        String stripped = text.strip();
        int newline = stripped.indexOf('\n');
        return newline < 0 ? stripped : stripped.substring(0, newline);
    }

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
     * The statements whose effect can be looked up are checked even where they ran in a transaction with their
     * count (ALTER TYPE ... ADD VALUE on PostgreSQL 12+), so that a row left by a run that committed them separately
     * (an older Tidemark, Prisma) resumes too.
     */
    static Resume resumeKind(SqlStatement s, int serverMajorVersion) {
        if (InvalidIndexCleanup.buildsIndexConcurrently(s)) {
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
        if (!MigrationPlan.needsAutocommit(s, serverMajorVersion) || s.startsWith("VACUUM") || s.startsWith("CLUSTER")
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
    public static String refusal(HistoryTable history, LocalMigration migration, MigrationPlan plan, String rowId,
            int appliedSteps) {
        int version = plan.serverMajorVersion();
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
                        + migration.file() + ":" + s.line() + " ('" + Messages.firstLine(s.sql())
                        + "'), which commits on"
                        + " its own, and Tidemark cannot tell whether it completed; statements 1 to " + at
                        + " are applied. Check whether that statement's effect is in the database, and if it is not"
                        + " (or only partly), run the statement yourself; then record it as done with "
                        + progressUpdate(history, rowId, at + 1) + " and deploy again: Tidemark resumes at statement "
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
    private static String progressUpdate(HistoryTable history, String rowId, int steps) {
        return "UPDATE " + history.qualifiedName() + " SET applied_steps_count = " + steps + " WHERE id = '"
                + rowId + "'";
    }

    /** A short description of the statement an interrupted migration stopped at, for refusals and logs. */
    public static String interruptedStatement(LocalMigration migration, List<SqlStatement> statements,
            int appliedSteps) {
        List<SqlStatement> all = statements.stream().filter(s -> !MigrationPlan.isTransactionControl(s)).toList();
        if (appliedSteps >= all.size()) {
            return "after its last statement";
        }
        SqlStatement s = all.get(appliedSteps);
        return "at statement " + (appliedSteps + 1) + " of " + all.size() + ", " + migration.file() + ":" + s.line()
                + " ('" + Messages.firstLine(s.sql()) + "')";
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
        return resumed || (last != null && FailureReport.notTheFilesFault(last));
    }

    /** Whether the logs are those of a transactional migration that Tidemark rolled back after its failure. */
    public static boolean rolledBack(String logs) {
        return logs != null && logs.contains(ROLLED_BACK);
    }

    /**
     * Before resuming at {@code unit} (after {@code done} statements), the one that was running when the migration
     * was interrupted: whether it
     * is already done. An INVALID index left by an interrupted concurrent build is dropped first, so that the
     * build runs again.
     */
    static boolean alreadyDone(Connection connection, HistoryTable history, LocalMigration migration, String rowId,
            List<SqlStatement> unit, int done, int total, int serverVersion) {
        SqlStatement s = unit.get(0);
        Resume kind = unit.size() > 1 ? Resume.RUN : resumeKind(s, serverVersion);
        String where = migration.file() + ":" + s.line();
        try {
            history.note(connection, rowId, "Resumed by Tidemark at statement " + (done + 1) + " of "
                    + total + " (" + where + ").");
            switch (kind) {
                case CREATE_INDEX: {
                    Boolean valid = indexValid(connection, indexName(s));
                    if (Boolean.TRUE.equals(valid)) {
                        log.info("{}: the interrupted statement at {} completed: the index {} exists and is"
                                + " VALID; resuming after it", migration.name(), where, indexName(s));
                        return true;
                    }
                    if (Boolean.FALSE.equals(valid)) {
                        dropIndex(connection, indexName(s));
                        log.warn("{}: dropped the INVALID index {} that the interrupted statement at {} left"
                                + " behind; building it again", migration.name(), indexName(s), where);
                    }
                    return false;
                }
                case DROP_INDEX:
                    if (indexValid(connection, indexName(s)) == null) {
                        log.info("{}: the interrupted statement at {} completed: the index {} is gone; resuming"
                                + " after it", migration.name(), where, indexName(s));
                        return true;
                    }
                    return false;
                case REINDEX:
                    for (String leftover : reindexLeftovers(connection)) {
                        dropIndex(connection, leftover);
                        log.warn("{}: dropped the INVALID index {} that the interrupted REINDEX CONCURRENTLY at {}"
                                + " left behind", migration.name(), leftover, where);
                    }
                    return false;
                case ENUM_VALUE: {
                    String[] value = enumValue(s);
                    if (enumValueExists(connection, value[0], value[1])) {
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
    private static Boolean indexValid(Connection connection, String name) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT i.indisvalid FROM pg_catalog.pg_index i"
                + " WHERE i.indexrelid = to_regclass(?)")) {
            query.setString(1, name);
            try (ResultSet rs = query.executeQuery()) {
                return rs.next() ? rs.getBoolean(1) : null;
            }
        }
    }

    private static void dropIndex(Connection connection, String name) throws SQLException {
        try (Statement jdbc = connection.createStatement()) {
            jdbc.execute("DROP INDEX CONCURRENTLY IF EXISTS " + name);
        }
    }

    /** INVALID indexes named as REINDEX CONCURRENTLY names its transient copies. */
    private static List<String> reindexLeftovers(Connection connection) throws SQLException {
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

    private static boolean enumValueExists(Connection connection, String type, String label) throws SQLException {
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
}
