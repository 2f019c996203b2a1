package dev.tidemark.internal.lint;

import dev.tidemark.LintFinding;
import dev.tidemark.LintReport;
import dev.tidemark.LintRule;
import dev.tidemark.internal.source.LocalMigration;
import dev.tidemark.internal.sql.MigrationPlan;
import dev.tidemark.internal.sql.SqlStatement;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Static analysis of migrations: each statement is classified from its tokens (lexically, not by a full parser) and
 * checked against the rules, with the state that the earlier migrations (and, when given, the target's catalog)
 * built. Migrations are fed in deploy order; {@link #learn} reads one for its state only, {@link #lint} also reports.
 */
public final class LintEngine {

    private static final Set<String> VOLATILE = Set.of("random", "gen_random_uuid", "uuid_generate_v1",
            "uuid_generate_v1mc", "uuid_generate_v4", "clock_timestamp", "timeofday", "nextval", "txid_current",
            "gen_random_bytes", "uuidv4", "uuidv7", "random_normal");
    private static final Set<String> COLUMN_CONSTRAINT_START = Set.of("CONSTRAINT", "NOT", "NULL", "DEFAULT",
            "PRIMARY", "UNIQUE", "REFERENCES", "CHECK", "GENERATED", "COLLATE", "USING");

    /** The first keywords {@link #statement} acts on; any other statement is skipped unlexed. */
    private static final Set<String> CHECKED = Set.of("CREATE", "ALTER", "DROP", "UPDATE", "DELETE", "VACUUM",
            "CLUSTER", "SET", "REINDEX");

    private final Set<String> enabled;
    private final int pgVersion;
    private final SchemaState state = new SchemaState();
    private final List<LintFinding> findings = new ArrayList<>();
    private final List<String> linted = new ArrayList<>();
    private int statements;
    private int suppressed;

    /** Per migration. */
    private LocalMigration migration;
    private boolean report;
    private boolean transactional;
    private Suppressions suppressions;
    private SqlStatement statement;
    private final Set<String> createdHere = new HashSet<>();
    private final Set<String> ddlHere = new HashSet<>();
    private final Map<String, List<String>> renamedAwayEnums = new HashMap<>();

    /**
     * @param enabled   the ids of the rules to run
     * @param pgVersion the PostgreSQL major version to assume
     */
    public LintEngine(Set<String> enabled, int pgVersion) {
        this.enabled = Set.copyOf(enabled);
        this.pgVersion = pgVersion;
    }

    /** The ids of the rules on by default, plus {@code enable}, minus {@code disable}. */
    public static Set<String> rules(Set<String> enable, Set<String> disable) {
        Set<String> ids = new HashSet<>();
        for (LintRule rule : Rules.all()) {
            if (rule.onByDefault()) {
                ids.add(rule.id());
            }
        }
        ids.addAll(enable);
        ids.removeAll(disable);
        return ids;
    }

    /** A table that exists in the target, with its estimated row count ({@code pg_class.reltuples}, -1 unknown). */
    public void catalogTable(String name, double rows) {
        SchemaState.Table table = new SchemaState.Table(name);
        table.rows = rows;
        state.tables.put(name, table);
    }

    /** A column of a catalog table, with its type as {@code format_type} prints it. */
    public void catalogColumn(String table, String column, String type) {
        List<Token> tokens = Lexer.tokens(type);
        state.tables.computeIfAbsent(table, SchemaState.Table::new).columns.put(column,
                SqlType.parse(tokens, 0, tokens.size()));
    }

    /** An enum of the target, with its values in order. */
    public void catalogEnum(String name, List<String> values) {
        state.enums.put(name, List.copyOf(values));
    }

    /** Reads an applied (or earlier) migration for the state it builds, reporting nothing. */
    public void learn(LocalMigration m) {
        createdHere.clear();
        run(m, false);
    }

    /** Lints a migration and adds what it builds to the state. */
    public void lint(LocalMigration m) {
        createdHere.clear();
        run(m, true);
    }

    /**
     * Lints migrations that one deploy applies in a row, adding what they build to the state. A table that one of them
     * creates counts as new in the later ones too, as in the migration that created it: no running instance can be
     * using a table this deploy brings (it knows nothing of it yet), so the rules about the locks and users of an
     * existing table have nothing to say about it. A fresh database's first deploy of a long history then warns about
     * nothing that concerns it.
     */
    public void lintDeploy(List<LocalMigration> pending) {
        createdHere.clear();
        for (LocalMigration m : pending) {
            run(m, true);
        }
    }

    public LintReport report() {
        return new LintReport(findings, linted, statements, suppressed, pgVersion);
    }

    /** The tables in {@code createdHere} count as new; the callers say from which migration on. */
    private void run(LocalMigration m, boolean reportIt) {
        List<SqlStatement> split = MigrationPlan.statements(m);
        this.migration = m;
        this.report = reportIt;
        ddlHere.clear();
        renamedAwayEnums.clear();
        if (reportIt) {
            transactional = MigrationPlan.of(m, split, Integer.MAX_VALUE).transactional();
            suppressions = Suppressions.parse(m, split);
            linted.add(m.name());
            statements += split.size();
        }
        // Two passes, each statement's tokens dropped after use: a 30 MB script must lint (at deploy) under a small
        // heap. The first pass finds the tables this transaction alters, which rules on earlier statements need.
        if (reportIt && transactional) {
            for (SqlStatement s : split) {
                if (!s.startsWith("ALTER", "TABLE")) {
                    continue;
                }
                // ALTER TABLE IF EXISTS ONLY a.b.c: the table's name is within the first 10 tokens.
                List<Token> tokens = Lexer.tokens(s.sql(), 10);
                int at = skipAlterTableLead(tokens);
                if (at < tokens.size()) {
                    ddlHere.add(tokens.get(qualifiedEnd(tokens, at) - 1).name());
                }
            }
        }
        for (SqlStatement s : split) {
            // Only statements some rule or the state is about are lexed whole: a seed script's INSERTs are not.
            if (CHECKED.contains(s.keyword(0))) {
                statement = s;
                statement(Lexer.tokens(s.sql()));
            }
        }
        if (reportIt && enabled.contains(Rules.MISSING_DOWN) && !hasDown(m)) {
            if (suppressions.suppressed(Rules.MISSING_DOWN, 0)) {
                suppressed++;
            } else {
                LintRule r = Rules.get(Rules.MISSING_DOWN);
                findings.add(new LintFinding(Rules.MISSING_DOWN, r.severity(), m.name(), m.file(), 1, 1,
                        "Migration " + m.name() + " has no down.sql beside " + m.file() + ", so it cannot be rolled"
                                + " back.", r.safeForm()));
            }
        }
    }

    /**
     * Whether a migration has a down script, or is not a migration directory's {@code migration.sql} (a loose
     * {@code .sql} file has no place for one). The scan's down script counts, and so does a {@code down.sql} beside a
     * file linted on its own.
     */
    private static boolean hasDown(LocalMigration m) {
        if (m.downScript().isPresent()) {
            return true;
        }
        String file = m.file().replace('\\', '/');
        if (!file.endsWith("/migration.sql")) {
            return true;
        }
        String down = file.substring(0, file.length() - "migration.sql".length()) + "down.sql";
        try {
            return java.nio.file.Files.isRegularFile(java.nio.file.Path.of(down));
        } catch (java.nio.file.InvalidPathException e) {
            return false;
        }
    }

    private void statement(List<Token> t) {
        if (t.isEmpty()) {
            return;
        }
        String first = t.get(0).upper();
        if (report && (first.equals("CREATE") || first.equals("ALTER"))) {
            identifiers(t);
        }
        switch (first) {
            case "CREATE" -> create(t);
            case "ALTER" -> {
                if (word(t, 1, "TABLE")) {
                    alterTable(t);
                } else if (word(t, 1, "TYPE")) {
                    alterType(t);
                } else if (word(t, 1, "INDEX")) {
                    alterIndex(t);
                }
            }
            case "DROP" -> drop(t);
            case "UPDATE" -> dml(t, 1, "UPDATE");
            case "DELETE" -> {
                if (word(t, 1, "FROM")) {
                    dml(t, 2, "DELETE");
                }
            }
            case "VACUUM" -> {
                for (Token token : t) {
                    if (token.is("FULL")) {
                        emit(Rules.VACUUM_FULL, t.get(0), "VACUUM FULL rewrites " + (t.size() > 2 ? "the table"
                                : "every table") + " under an ACCESS EXCLUSIVE lock.");
                        break;
                    }
                }
            }
            case "CLUSTER" -> emit(Rules.VACUUM_FULL, t.get(0), "CLUSTER rewrites the table under an ACCESS EXCLUSIVE"
                    + " lock.");
            case "SET" -> set(t);
            case "REINDEX" -> {
                if (has(t, "CONCURRENTLY") && transactional) {
                    emit(Rules.CONCURRENTLY_IN_TRANSACTION, t.get(0), "REINDEX CONCURRENTLY cannot run in the"
                            + " transaction the directive -- tidemark:transaction=per-migration forces.");
                }
            }
            default -> {
            }
        }
    }

    // ---------------------------------------------------------------- CREATE

    private void create(List<Token> t) {
        int i = 1;
        if (word(t, i, "OR") && word(t, i + 1, "REPLACE")) {
            i += 2;
        }
        while (word(t, i, "TEMP") || word(t, i, "TEMPORARY") || word(t, i, "UNLOGGED") || word(t, i, "GLOBAL")
                || word(t, i, "LOCAL")) {
            i++;
        }
        if (word(t, i, "TABLE")) {
            createTable(t, i + 1);
        } else if (word(t, i, "INDEX") || (word(t, i, "UNIQUE") && word(t, i + 1, "INDEX"))) {
            createIndex(t, word(t, i, "UNIQUE") ? i + 2 : i + 1);
        } else if (word(t, i, "TYPE")) {
            int end = qualifiedEnd(t, i + 1);
            if (end <= i + 1) {
                return;
            }
            String name = t.get(end - 1).name();
            if (word(t, end, "AS") && word(t, end + 1, "ENUM")) {
                List<String> values = new ArrayList<>();
                for (int j = end + 2; j < t.size(); j++) {
                    if (t.get(j).kind() == Token.Kind.STRING) {
                        values.add(t.get(j).text());
                    }
                }
                state.enums.put(name, values);
            }
        }
    }

    private void createTable(List<Token> t, int i) {
        if (word(t, i, "IF") && word(t, i + 1, "NOT") && word(t, i + 2, "EXISTS")) {
            i += 3;
        }
        int end = qualifiedEnd(t, i);
        if (end <= i) {
            return;
        }
        String name = t.get(end - 1).name();
        if (state.table(name) != null && state.table(name).createdIn == null && word(t, i - 1, "EXISTS")) {
            return; // CREATE TABLE IF NOT EXISTS of a table the catalog has: nothing happens
        }
        SchemaState.Table table = state.create(name, migration.name());
        createdHere.add(name);
        if (end >= t.size() || !t.get(end).isSymbol("(")) {
            return; // AS SELECT, PARTITION OF, OF type
        }
        int close = closing(t, end);
        List<String> primaryKey = new ArrayList<>();
        Map<String, Token> columnTokens = new HashMap<>();
        for (int[] element : elements(t, end + 1, close)) {
            int from = element[0];
            int to = element[1];
            if (from >= to) {
                continue;
            }
            Token head = t.get(from);
            String upper = head.kind() == Token.Kind.WORD ? head.upper() : "";
            if (upper.equals("CONSTRAINT") || upper.equals("PRIMARY") || upper.equals("UNIQUE")
                    || upper.equals("FOREIGN") || upper.equals("CHECK") || upper.equals("EXCLUDE")
                    || upper.equals("LIKE")) {
                int pk = indexOf(t, from, to, "PRIMARY");
                if (pk >= 0 && word(t, pk + 1, "KEY") && pk + 2 < to && t.get(pk + 2).isSymbol("(")) {
                    int pkClose = closing(t, pk + 2);
                    for (int j = pk + 3; j < pkClose; j++) {
                        if (t.get(j).isName()) {
                            primaryKey.add(t.get(j).name());
                        }
                    }
                }
                continue;
            }
            int typeEnd = typeEnd(t, from + 1, to);
            SqlType type = SqlType.parse(t, from + 1, typeEnd);
            String column = head.name();
            table.columns.put(column, type);
            columnTokens.put(column, head);
            hygieneType(type, t.get(Math.min(from + 1, to - 1)), name + "." + column);
            int pk = indexOf(t, typeEnd, to, "PRIMARY");
            if (pk >= 0 && type.isIntegerKey()) {
                emit(Rules.INT_PRIMARY_KEY, head, "The primary key " + name + "." + column + " is " + type
                        + " (int4 range).");
            }
        }
        if (primaryKey.size() == 1) {
            SqlType type = table.columns.get(primaryKey.get(0));
            if (type != null && type.isIntegerKey()) {
                emit(Rules.INT_PRIMARY_KEY, columnTokens.get(primaryKey.get(0)), "The primary key " + name + "."
                        + primaryKey.get(0) + " is " + type + " (int4 range).");
            }
        }
    }

    private void hygieneType(SqlType type, Token at, String column) {
        if (type.base().equals("timestamp")) {
            emit(Rules.TIMESTAMP_WITHOUT_TZ, at, column + " is " + type + ", without time zone.");
        }
        if (type.base().equals("varchar") && !type.args().isEmpty()) {
            emit(Rules.VARCHAR_LENGTH, at, column + " is " + type + ".");
        }
    }

    private void createIndex(List<Token> t, int i) {
        boolean concurrently = word(t, i, "CONCURRENTLY");
        if (concurrently) {
            i++;
        }
        boolean ifNotExists = word(t, i, "IF") && word(t, i + 1, "NOT") && word(t, i + 2, "EXISTS");
        if (ifNotExists) {
            i += 3;
        }
        String indexName = null;
        if (!word(t, i, "ON")) {
            int end = qualifiedEnd(t, i);
            indexName = end > i ? t.get(end - 1).name() : null;
            i = end;
        }
        if (!word(t, i, "ON")) {
            return;
        }
        i++;
        if (word(t, i, "ONLY")) {
            i++;
        }
        int end = qualifiedEnd(t, i);
        if (end <= i) {
            return;
        }
        String table = t.get(end - 1).name();
        if (indexName != null) {
            state.indexes.put(indexName, table);
        }
        if (concurrently) {
            if (transactional) {
                emit(Rules.CONCURRENTLY_IN_TRANSACTION, t.get(0), "CREATE INDEX CONCURRENTLY on " + table
                        + " cannot run in the transaction the directive -- tidemark:transaction=per-migration forces;"
                        + " PostgreSQL refuses it.");
            } else if (!ifNotExists) {
                emit(Rules.NOT_RERUNNABLE, t.get(0), "CREATE INDEX CONCURRENTLY " + (indexName == null ? ""
                        : indexName + " ") + "has no IF NOT EXISTS: run again after an interruption it fails with"
                        + " 'already exists' (an interrupted build also leaves an INVALID index behind).");
            }
            return;
        }
        if (!createdHere.contains(table)) {
            emit(Rules.CREATE_INDEX, t.get(0), "CREATE INDEX " + (indexName == null ? "" : indexName + " ")
                    + "on the existing table " + table + " blocks its writes (SHARE lock) for the whole build.");
        }
    }

    // ---------------------------------------------------------------- ALTER

    private int skipAlterTableLead(List<Token> t) {
        int i = 2;
        if (word(t, i, "IF") && word(t, i + 1, "EXISTS")) {
            i += 2;
        }
        if (word(t, i, "ONLY")) {
            i++;
        }
        return i;
    }

    private void alterTable(List<Token> t) {
        int i = skipAlterTableLead(t);
        int end = qualifiedEnd(t, i);
        if (end <= i) {
            return;
        }
        String name = t.get(end - 1).name();
        if (end < t.size() && t.get(end).isSymbol("*")) {
            end++;
        }
        boolean existing = !createdHere.contains(name);
        SchemaState.Table table = state.table(name);
        if (table == null) {
            table = new SchemaState.Table(name);
            state.tables.put(name, table);
        }
        for (int[] action : elements(t, end, t.size())) {
            alterAction(t, action[0], action[1], table, existing);
        }
    }

    private void alterAction(List<Token> t, int from, int to, SchemaState.Table table, boolean existing) {
        if (from >= to) {
            return;
        }
        Token head = t.get(from);
        String name = table.name;
        if (head.is("ADD")) {
            int i = from + 1;
            if (word(t, i, "CONSTRAINT") || word(t, i, "PRIMARY") || word(t, i, "UNIQUE") || word(t, i, "FOREIGN")
                    || word(t, i, "CHECK") || word(t, i, "EXCLUDE")) {
                addConstraint(t, i, to, table, existing, head);
                return;
            }
            if (word(t, i, "COLUMN")) {
                i++;
            }
            if (word(t, i, "IF") && word(t, i + 1, "NOT") && word(t, i + 2, "EXISTS")) {
                i += 3;
            }
            if (i >= to) {
                return;
            }
            String column = t.get(i).name();
            int typeEnd = typeEnd(t, i + 1, to);
            SqlType type = SqlType.parse(t, i + 1, typeEnd);
            table.columns.put(column, type);
            hygieneType(type, t.get(Math.min(i + 1, to - 1)), name + "." + column);
            if (!existing) {
                return;
            }
            int def = indexOf(t, typeEnd, to, "DEFAULT");
            boolean generated = indexOf(t, typeEnd, to, "GENERATED") >= 0;
            boolean notNull = false;
            for (int j = typeEnd; j < to; j++) {
                if ((t.get(j).is("NOT") && word(t, j + 1, "NULL")) || (t.get(j).is("PRIMARY") && word(t, j + 1,
                        "KEY"))) {
                    notNull = true;
                }
            }
            String volatileCall = def >= 0 ? volatileCall(t, def + 1, to) : null;
            if (type.isSerial() || generated || volatileCall != null) {
                String why = type.isSerial() ? "a " + type + " column (nextval() default)" : generated
                        ? "a generated or identity column" : "the volatile default " + volatileCall + "()";
                emit(Rules.VOLATILE_DEFAULT, head, "Adding " + name + "." + column + " with " + why
                        + " rewrites " + name + " under an ACCESS EXCLUSIVE lock.");
            } else if (def >= 0 && pgVersion < 11 && !word(t, def + 1, "NULL")) {
                emit(Rules.VOLATILE_DEFAULT, head, "Before PostgreSQL 11 (assumed: " + pgVersion + ") adding "
                        + name + "." + column + " with a default rewrites " + name + ".");
            } else if (notNull && def < 0 && mayHoldRows(table)) {
                emit(Rules.NOT_NULL_NO_DEFAULT, head, "Adding the NOT NULL column " + name + "." + column
                        + " without a default fails if " + name + " holds rows, and breaks running instances"
                        + " whose INSERTs do not set it.");
            }
        } else if (head.is("DROP")) {
            int i = from + 1;
            if (word(t, i, "CONSTRAINT")) {
                return;
            }
            if (word(t, i, "COLUMN")) {
                i++;
            }
            if (word(t, i, "IF") && word(t, i + 1, "EXISTS")) {
                i += 2;
            }
            if (i >= to || !t.get(i).isName()) {
                return;
            }
            String column = t.get(i).name();
            table.columns.remove(column);
            if (existing) {
                emit(Rules.DROP_COLUMN, head, "Dropping " + name + "." + column + " breaks running instances that"
                        + " still use it.");
            }
        } else if (head.is("ALTER")) {
            int i = from + 1;
            if (word(t, i, "COLUMN")) {
                i++;
            }
            if (i >= to) {
                return;
            }
            String column = t.get(i).name();
            i++;
            if (word(t, i, "SET") && word(t, i + 1, "DATA")) {
                i += 2;
            }
            if (word(t, i, "TYPE")) {
                int using = indexOf(t, i + 1, to, "USING");
                int typeEnd = typeEnd(t, i + 1, to);
                SqlType type = SqlType.parse(t, i + 1, typeEnd);
                SqlType old = table.columns.get(column);
                table.columns.put(column, type);
                hygieneType(type, t.get(Math.min(i + 1, to - 1)), name + "." + column);
                if (!existing) {
                    return;
                }
                if (old == null) {
                    emit(Rules.TYPE_REWRITE, head, "Changing " + name + "." + column + " to " + type + " may rewrite"
                            + " " + name + " under an ACCESS EXCLUSIVE lock (its current type is not known: no"
                            + " migration read created it).");
                } else if (using >= 0 || !old.changesWithoutRewriteTo(type)) {
                    emit(Rules.TYPE_REWRITE, head, "Changing " + name + "." + column + " from " + old + " to " + type
                            + " rewrites " + name + " and its indexes under an ACCESS EXCLUSIVE lock.");
                }
            } else if (word(t, i, "SET") && word(t, i + 1, "NOT") && word(t, i + 2, "NULL")) {
                if (existing) {
                    emit(Rules.SET_NOT_NULL, head, "SET NOT NULL on " + name + "." + column + " scans all of "
                            + name + " under an ACCESS EXCLUSIVE lock.");
                }
            }
        } else if (head.is("RENAME")) {
            int i = from + 1;
            if (word(t, i, "TO")) {
                if (i + 1 < to) {
                    String newName = t.get(i + 1).name();
                    state.tables.remove(name);
                    SchemaState.Table renamed = new SchemaState.Table(newName);
                    renamed.columns.putAll(table.columns);
                    renamed.rows = table.rows;
                    renamed.createdIn = table.createdIn;
                    state.tables.put(newName, renamed);
                    if (createdHere.remove(name)) {
                        createdHere.add(newName);
                    }
                    if (existing) {
                        emit(Rules.RENAME_TABLE, head, "Renaming " + name + " to " + newName + " breaks running"
                                + " instances that still use " + name + ".");
                    }
                }
                return;
            }
            if (word(t, i, "CONSTRAINT")) {
                return;
            }
            if (word(t, i, "COLUMN")) {
                i++;
            }
            if (i + 2 < to + 1 && word(t, i + 1, "TO") && i + 2 < to) {
                String column = t.get(i).name();
                String newName = t.get(i + 2).name();
                SqlType type = table.columns.remove(column);
                if (type != null) {
                    table.columns.put(newName, type);
                }
                if (existing) {
                    emit(Rules.RENAME_COLUMN, head, "Renaming " + name + "." + column + " to " + newName
                            + " breaks running instances that still use " + column + ".");
                }
            }
        }
    }

    private void addConstraint(List<Token> t, int i, int to, SchemaState.Table table, boolean existing, Token at) {
        String constraint = null;
        if (word(t, i, "CONSTRAINT") && i + 1 < to) {
            constraint = t.get(i + 1).name();
            i += 2;
        }
        if (!existing) {
            return;
        }
        boolean notValid = false;
        boolean usingIndex = false;
        for (int j = i; j < to; j++) {
            if (t.get(j).is("NOT") && word(t, j + 1, "VALID")) {
                notValid = true;
            }
            if (t.get(j).is("USING") && word(t, j + 1, "INDEX")) {
                usingIndex = true;
            }
        }
        String what = (constraint == null ? "" : constraint + " ") + "on the existing table " + table.name;
        if (word(t, i, "FOREIGN") || word(t, i, "CHECK")) {
            if (!notValid) {
                emit(Rules.CONSTRAINT_NOT_VALID, at, "Adding the " + (word(t, i, "CHECK") ? "CHECK" : "foreign key")
                        + " constraint " + what + " without NOT VALID scans the whole table under its lock.");
            }
        } else if (word(t, i, "UNIQUE") || word(t, i, "PRIMARY")) {
            if (!usingIndex) {
                emit(Rules.UNIQUE_WITHOUT_INDEX, at, "Adding the " + (word(t, i, "UNIQUE") ? "UNIQUE" : "PRIMARY KEY")
                        + " constraint " + what + " builds its index under an ACCESS EXCLUSIVE lock.");
            }
        }
    }

    private void alterType(List<Token> t) {
        int end = qualifiedEnd(t, 2);
        if (end <= 2) {
            return;
        }
        String name = t.get(end - 1).name();
        List<String> values = state.enums.get(name);
        if (word(t, end, "ADD") && word(t, end + 1, "VALUE")) {
            boolean ifNotExists = word(t, end + 2, "IF");
            for (int j = end + 2; j < t.size(); j++) {
                if (t.get(j).kind() == Token.Kind.STRING) {
                    if (values != null) {
                        List<String> more = new ArrayList<>(values);
                        more.add(t.get(j).text());
                        state.enums.put(name, more);
                    }
                    break;
                }
            }
            if (!transactional && !ifNotExists) {
                emit(Rules.NOT_RERUNNABLE, t.get(0), "ALTER TYPE " + name + " ADD VALUE has no IF NOT EXISTS: run"
                        + " again after an interruption it fails with 'already exists'.");
            }
        } else if (word(t, end, "RENAME") && word(t, end + 1, "VALUE")) {
            List<String> strings = new ArrayList<>();
            for (int j = end + 2; j < t.size(); j++) {
                if (t.get(j).kind() == Token.Kind.STRING) {
                    strings.add(t.get(j).text());
                }
            }
            if (strings.size() == 2 && values != null) {
                List<String> renamed = new ArrayList<>(values);
                int at = renamed.indexOf(strings.get(0));
                if (at >= 0) {
                    renamed.set(at, strings.get(1));
                }
                state.enums.put(name, renamed);
            }
            emit(Rules.ENUM_VALUE_REMOVED, t.get(0), "Renaming the value " + (strings.isEmpty() ? ""
                    : "'" + strings.get(0) + "' ") + "of the enum " + name + " breaks running instances that still"
                    + " write it.");
        } else if (word(t, end, "RENAME") && word(t, end + 1, "TO") && end + 2 < t.size()) {
            String newName = t.get(end + 2).name();
            state.enums.remove(name);
            if (values != null) {
                state.enums.put(newName, values);
            }
            List<String> before = renamedAwayEnums.remove(newName);
            if (values != null) {
                renamedAwayEnums.put(name, values);
            }
            if (before != null && values != null) {
                List<String> removed = new ArrayList<>(before);
                removed.removeAll(values);
                if (!removed.isEmpty()) {
                    emit(Rules.ENUM_VALUE_REMOVED, t.get(0), "The enum " + newName + " is recreated without the"
                            + " value(s) " + quoteAll(removed) + ": running instances that still write them break,"
                            + " and every column of the type is rewritten.");
                }
            }
        }
    }

    private void alterIndex(List<Token> t) {
        int i = 2;
        if (word(t, i, "IF") && word(t, i + 1, "EXISTS")) {
            i += 2;
        }
        int end = qualifiedEnd(t, i);
        if (end > i && word(t, end, "RENAME") && word(t, end + 1, "TO") && end + 2 < t.size()) {
            String table = state.indexes.remove(t.get(end - 1).name());
            if (table != null) {
                state.indexes.put(t.get(end + 2).name(), table);
            }
        }
    }

    // ---------------------------------------------------------------- DROP

    private void drop(List<Token> t) {
        if (word(t, 1, "TABLE")) {
            int i = 2;
            if (word(t, i, "IF") && word(t, i + 1, "EXISTS")) {
                i += 2;
            }
            while (i < t.size()) {
                int end = qualifiedEnd(t, i);
                if (end <= i) {
                    break;
                }
                String name = t.get(end - 1).name();
                state.tables.remove(name);
                if (!createdHere.remove(name)) {
                    emit(Rules.DROP_TABLE, t.get(i), "Dropping the table " + name + " breaks running instances that"
                            + " still use it, and its data is gone.");
                }
                i = end;
                if (i < t.size() && t.get(i).isSymbol(",")) {
                    i++;
                } else {
                    break;
                }
            }
        } else if (word(t, 1, "INDEX")) {
            int i = 2;
            boolean concurrently = word(t, i, "CONCURRENTLY");
            if (concurrently) {
                i++;
            }
            boolean ifExists = word(t, i, "IF") && word(t, i + 1, "EXISTS");
            if (ifExists) {
                i += 2;
            }
            int end = qualifiedEnd(t, i);
            if (end <= i) {
                return;
            }
            String index = t.get(end - 1).name();
            String table = state.indexes.remove(index);
            if (concurrently) {
                if (transactional) {
                    emit(Rules.CONCURRENTLY_IN_TRANSACTION, t.get(0), "DROP INDEX CONCURRENTLY " + index + " cannot"
                            + " run in the transaction the directive -- tidemark:transaction=per-migration forces;"
                            + " PostgreSQL refuses it.");
                } else if (!ifExists) {
                    emit(Rules.NOT_RERUNNABLE, t.get(0), "DROP INDEX CONCURRENTLY " + index + " has no IF EXISTS:"
                            + " run again after an interruption it fails with 'does not exist'.");
                }
            } else if (table == null || !createdHere.contains(table)) {
                emit(Rules.DROP_INDEX, t.get(0), "DROP INDEX " + index + " takes an ACCESS EXCLUSIVE lock on "
                        + (table == null ? "its table" : table) + ".");
            }
        } else if (word(t, 1, "TYPE")) {
            int i = word(t, 2, "IF") && word(t, 3, "EXISTS") ? 4 : 2;
            int end = qualifiedEnd(t, i);
            if (end > i) {
                state.enums.remove(t.get(end - 1).name());
                renamedAwayEnums.remove(t.get(end - 1).name());
            }
        }
    }

    // ---------------------------------------------------------------- data

    private void dml(List<Token> t, int i, String verb) {
        if (word(t, i, "ONLY")) {
            i++;
        }
        int end = qualifiedEnd(t, i);
        if (end <= i) {
            return;
        }
        String table = t.get(end - 1).name();
        if (createdHere.contains(table) || !transactional) {
            return;
        }
        boolean where = false;
        int depth = 0;
        for (int j = end; j < t.size(); j++) {
            Token token = t.get(j);
            if (token.isSymbol("(")) {
                depth++;
            } else if (token.isSymbol(")")) {
                depth--;
            } else if (depth == 0 && token.is("WHERE")) {
                where = true;
            }
        }
        if (!where) {
            emit(Rules.WHOLE_TABLE_DML, t.get(0), verb + " without WHERE on the existing table " + table
                    + " locks every row until the migration's transaction commits.");
        }
        if (ddlHere.contains(table)) {
            emit(Rules.BACKFILL_WITH_DDL, t.get(0), verb + " on " + table + " runs in the same transaction as DDL"
                    + " on " + table + ": the DDL's ACCESS EXCLUSIVE lock is held for the whole backfill.");
        }
    }

    private void set(List<Token> t) {
        int i = 1;
        if (word(t, i, "SESSION") || word(t, i, "LOCAL")) {
            i++;
        }
        if (!(word(t, i, "LOCK_TIMEOUT") || word(t, i, "STATEMENT_TIMEOUT"))) {
            return;
        }
        String setting = t.get(i).name();
        int value = i + 1;
        if (value < t.size() && (t.get(value).isSymbol("=") || t.get(value).is("TO"))) {
            value++;
        }
        if (value < t.size()) {
            String v = t.get(value).text().strip().toLowerCase(java.util.Locale.ROOT);
            if (v.equals("0") || v.equals("0s") || v.equals("0ms") || v.equals("0min")) {
                emit(Rules.TIMEOUT_DISABLED, t.get(0), setting + " is set to 0 (no limit) for the rest of the"
                        + " migration.");
            }
        }
    }

    // ---------------------------------------------------------------- identifiers

    private void identifiers(List<Token> t) {
        for (Token token : t) {
            if (token.isName() && token.text().getBytes(StandardCharsets.UTF_8).length > 63) {
                emit(Rules.IDENTIFIER_TOO_LONG, token, "The identifier \"" + token.text() + "\" is "
                        + token.text().getBytes(StandardCharsets.UTF_8).length + " bytes; PostgreSQL truncates it to"
                        + " 63.");
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    private boolean mayHoldRows(SchemaState.Table table) {
        return table.rows != 0;
    }

    private void emit(String rule, Token at, String message) {
        if (!report || !enabled.contains(rule)) {
            return;
        }
        if (suppressions.suppressed(rule, statement.line())) {
            suppressed++;
            return;
        }
        String sql = statement.sql();
        int offset = Math.min(at.offset(), sql.length());
        int line = statement.line();
        int column = statement.column();
        for (int i = 0; i < offset; i++) {
            if (sql.charAt(i) == '\n') {
                line++;
                column = 1;
            } else if (!Character.isLowSurrogate(sql.charAt(i))) {
                column++;
            }
        }
        LintRule r = Rules.get(rule);
        findings.add(new LintFinding(rule, r.severity(), migration.name(), migration.file(), line, column, message,
                r.safeForm()));
    }

    private static String volatileCall(List<Token> t, int from, int to) {
        for (int j = from; j < to - 1; j++) {
            if (t.get(j).kind() == Token.Kind.WORD && t.get(j + 1).isSymbol("(")
                    && VOLATILE.contains(t.get(j).name())) {
                return t.get(j).name();
            }
            if (t.get(j).kind() == Token.Kind.WORD && COLUMN_CONSTRAINT_START.contains(t.get(j).upper())
                    && !t.get(j).is("DEFAULT") && j > from) {
                break;
            }
        }
        return null;
    }

    private static String quoteAll(List<String> values) {
        StringBuilder out = new StringBuilder();
        for (String v : values) {
            if (out.length() > 0) {
                out.append(", ");
            }
            out.append('\'').append(v).append('\'');
        }
        return out.toString();
    }

    /** The end of the type in a column definition: the first column-constraint keyword at depth 0. */
    private static int typeEnd(List<Token> t, int from, int to) {
        int depth = 0;
        for (int j = from; j < to; j++) {
            Token token = t.get(j);
            if (token.isSymbol("(")) {
                depth++;
            } else if (token.isSymbol(")")) {
                depth--;
            } else if (depth == 0 && token.kind() == Token.Kind.WORD
                    && COLUMN_CONSTRAINT_START.contains(token.upper())) {
                if (token.is("NOT") || token.is("NULL") || j > from) {
                    return j;
                }
            }
        }
        return to;
    }

    /** The index just past a possibly schema-qualified name starting at {@code i}; {@code i} if there is none. */
    static int qualifiedEnd(List<Token> t, int i) {
        if (i >= t.size() || !t.get(i).isName()) {
            return i;
        }
        int j = i + 1;
        while (j + 1 < t.size() && t.get(j).isSymbol(".") && t.get(j + 1).isName()) {
            j += 2;
        }
        return j;
    }

    /** The index of the parenthesis closing the one at {@code open} (or the size when unbalanced). */
    static int closing(List<Token> t, int open) {
        int depth = 0;
        for (int j = open; j < t.size(); j++) {
            if (t.get(j).isSymbol("(")) {
                depth++;
            } else if (t.get(j).isSymbol(")")) {
                depth--;
                if (depth == 0) {
                    return j;
                }
            }
        }
        return t.size();
    }

    /** The comma-separated parts of {@code [from, to)} at parenthesis depth 0, as {from, to} pairs. */
    private static List<int[]> elements(List<Token> t, int from, int to) {
        List<int[]> parts = new ArrayList<>();
        int depth = 0;
        int start = from;
        for (int j = from; j < to; j++) {
            Token token = t.get(j);
            if (token.isSymbol("(")) {
                depth++;
            } else if (token.isSymbol(")")) {
                depth--;
            } else if (depth == 0 && token.isSymbol(",")) {
                parts.add(new int[] {start, j});
                start = j + 1;
            }
        }
        parts.add(new int[] {start, to});
        return parts;
    }

    private static int indexOf(List<Token> t, int from, int to, String keyword) {
        for (int j = from; j < to && j < t.size(); j++) {
            if (t.get(j).is(keyword)) {
                return j;
            }
        }
        return -1;
    }

    private static boolean has(List<Token> t, String keyword) {
        return indexOf(t, 0, t.size(), keyword) >= 0;
    }

    private static boolean word(List<Token> t, int i, String keyword) {
        return i >= 0 && i < t.size() && t.get(i).is(keyword);
    }
}
