package dev.tidemark.internal.reset;

import dev.tidemark.ErrorCode;
import dev.tidemark.TidemarkException;
import dev.tidemark.internal.lock.AdvisoryLock;
import dev.tidemark.internal.source.Checksums;
import dev.tidemark.internal.source.LocalMigration;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.tidemark.internal.history.HistoryTable.quote;

/**
 * The migrated state of a schema, kept in a side schema so that tests can go back to it in one round trip.
 *
 * <p>{@link #take} copies the rows the migrations left (seed rows) into the side schema, records every sequence's
 * position, and generates a PL/pgSQL function {@code restore(fingerprint)} that empties every table, puts the seed
 * rows back and repositions the sequences. Deleting rows beats {@code TRUNCATE} by two orders of magnitude on small
 * test data: {@code TRUNCATE} creates and syncs new files for every table and index, a {@code DELETE} of a few rows
 * touches a few pages. When the user may set {@code session_replication_role}, the function runs as a replica, so
 * foreign keys and user triggers do not fire and the order does not matter; otherwise it deletes children before
 * parents (and truncates tables on a foreign-key cycle).
 *
 * <p>The state is keyed by a fingerprint of the migrations (their names and checksums, the schema and the history
 * table): a different fingerprint means the state is stale.
 */
public final class FastResetState {

    private static final String SIDE_PREFIX = "_tidemark_reset_";
    /** SQLSTATE raised by the restore function when the state belongs to other migrations. */
    public static final String STALE_STATE = "TMR01";

    private FastResetState() {
    }

    /** What a snapshot holds, for the log and for tests. */
    public record Snapshot(int tables, int seededTables, int seedRows, int sequences, boolean replica) {
    }

    /** The side schema that holds the state of {@code schema}. */
    public static String sideSchema(String schema) {
        String name = SIDE_PREFIX + schema;
        if (name.getBytes(StandardCharsets.UTF_8).length <= 63) {
            return name;
        }
        return SIDE_PREFIX + Checksums.sha256(schema.getBytes(StandardCharsets.UTF_8)).substring(0, 32);
    }

    /** The combined checksum of what the migrated state depends on. */
    public static String fingerprint(String schema, String historyTable, List<LocalMigration> migrations) {
        StringBuilder text = new StringBuilder("tidemark-fast-reset-1\n").append(schema).append('\n')
                .append(historyTable).append('\n');
        for (LocalMigration migration : migrations) {
            text.append(migration.name()).append(' ').append(migration.checksum()).append('\n');
        }
        return Checksums.sha256(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The fingerprint the database's state was taken for, if there is a complete state. */
    public static Optional<String> storedFingerprint(Connection connection, String schema) {
        String side = sideSchema(schema);
        try (PreparedStatement exists = connection.prepareStatement(
                "SELECT to_regclass(?) IS NOT NULL AND to_regprocedure(?) IS NOT NULL")) {
            exists.setString(1, quote(side) + ".state");
            exists.setString(2, quote(side) + ".restore(text)");
            try (ResultSet rs = exists.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return Optional.empty();
                }
            }
            try (Statement statement = connection.createStatement();
                    ResultSet rs = statement.executeQuery("SELECT fingerprint FROM " + quote(side) + ".state")) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure("read the fast-reset state of schema " + schema, e);
        }
    }

    /**
     * Records the current content of {@code schema} as its migrated state, replacing any earlier state. Call it
     * right after the migrations ran, holding the migration lock.
     */
    public static Snapshot take(Connection connection, String schema, String historyTable, String fingerprint) {
        String side = quote(sideSchema(schema));
        try {
            Catalog catalog = Catalog.read(connection, schema, historyTable);
            boolean replica = maySetReplicationRole(connection);
            List<String> ddl = new ArrayList<>();
            ddl.add("DROP SCHEMA IF EXISTS " + side + " CASCADE");
            ddl.add("CREATE SCHEMA " + side);
            ddl.add("COMMENT ON SCHEMA " + side + " IS 'Tidemark fast-reset state of schema "
                    + schema.replace("'", "''") + " (seed rows, restore function); dropped by Migrator.reset()'");
            ddl.add("CREATE TABLE " + side + ".state (fingerprint text NOT NULL, schema_name text NOT NULL,"
                    + " replica boolean NOT NULL, prepared_at timestamptz NOT NULL DEFAULT now())");

            int seedRows = 0;
            int seededTables = 0;
            Map<Long, String> seeds = new HashMap<>();
            try (Statement statement = connection.createStatement()) {
                for (Table table : catalog.tables.values()) {
                    long rows;
                    try (ResultSet rs = statement.executeQuery("SELECT count(*) FROM " + table.name)) {
                        rs.next();
                        rows = rs.getLong(1);
                    }
                    if (rows > 0) {
                        String seed = side + "." + quote("seed_" + table.oid);
                        ddl.add("CREATE TABLE " + seed + " AS SELECT " + table.columns + " FROM " + table.name);
                        seeds.put(table.oid, seed);
                        seededTables++;
                        seedRows += (int) rows;
                    }
                }
                ddl.add(restoreFunction(side, catalog, seeds, replica));
                ddl.add("REVOKE ALL ON FUNCTION " + side + ".restore(text) FROM PUBLIC");

                connection.setAutoCommit(false);
                try {
                    for (String sql : ddl) {
                        statement.execute(sql);
                    }
                    try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + side
                            + ".state (fingerprint, schema_name, replica) VALUES (?, ?, ?)")) {
                        insert.setString(1, fingerprint);
                        insert.setString(2, schema);
                        insert.setBoolean(3, replica);
                        insert.executeUpdate();
                    }
                    connection.commit();
                } catch (SQLException | RuntimeException e) {
                    connection.rollback();
                    throw e;
                } finally {
                    connection.setAutoCommit(true);
                }
            }
            return new Snapshot(catalog.tables.size(), seededTables, seedRows, catalog.sequences.size(), replica);
        } catch (SQLException e) {
            throw failure("record the migrated state of schema " + schema + " for fast resets", e);
        }
    }

    /** The one statement that restores the state; its parameter is the expected fingerprint. */
    public static String restoreCall(String schema) {
        return "SELECT " + quote(sideSchema(schema)) + ".restore(?)";
    }

    /**
     * Restores the migrated state: one round trip.
     *
     * @throws TidemarkException if the state was taken for other migrations meanwhile, or is missing
     */
    public static void restore(Connection connection, String schema, String fingerprint) {
        try (PreparedStatement statement = connection.prepareStatement(restoreCall(schema))) {
            statement.setString(1, fingerprint);
            statement.execute();
        } catch (SQLException e) {
            if (STALE_STATE.equals(e.getSQLState()) || "3F000".equals(e.getSQLState())
                    || "42883".equals(e.getSQLState())) {
                throw new TidemarkException(ErrorCode.NOT_UP_TO_DATE, "The fast-reset state of schema " + schema
                        + " is missing or was prepared for other migrations (another process reset or migrated"
                        + " this database meanwhile), so it cannot be restored. Prepare the fast reset again;"
                        + " give concurrently running test suites with different migrations their own databases.",
                        e);
            }
            throw failure("restore the migrated state of schema " + schema, e);
        }
    }

    private static String restoreFunction(String side, Catalog catalog, Map<Long, String> seeds, boolean replica) {
        StringBuilder body = new StringBuilder();
        body.append("CREATE FUNCTION ").append(side).append(".restore(expected text) RETURNS void")
                // The migrations' search_path, for trigger and check functions that name tables unqualified.
                .append(" LANGUAGE plpgsql SET search_path = ").append(quote(catalog.schema))
                .append(" AS $tidemark$\nBEGIN\n")
                // Concurrent restores of one database queue instead of deadlocking, and wait for a running deploy.
                .append("  PERFORM pg_catalog.pg_advisory_xact_lock(").append(AdvisoryLock.KEY).append(");\n")
                .append("  IF NOT EXISTS (SELECT 1 FROM ").append(side).append(".state WHERE fingerprint = expected)")
                .append(" THEN\n    RAISE EXCEPTION 'the fast-reset state was prepared for other migrations'")
                .append(" USING ERRCODE = '").append(STALE_STATE).append("';\n  END IF;\n");
        // Test data need not survive a server crash: not waiting for the WAL flush at commit saves most of the time.
        body.append("  PERFORM pg_catalog.set_config('synchronous_commit', 'off', true);\n");
        if (replica) {
            body.append("  PERFORM pg_catalog.set_config('session_replication_role', 'replica', true);\n");
        }
        // User triggers that would fire in this mode are switched off for the restore, so that an audit trigger,
        // say, does not log the deletes; ALTER TABLE is transactional, so a failed restore leaves them on.
        List<Trigger> firing = catalog.triggers.stream()
                .filter(t -> replica ? t.enabled.equals("A") || t.enabled.equals("R")
                        : t.enabled.equals("O") || t.enabled.equals("A"))
                .toList();
        for (Trigger trigger : firing) {
            body.append("  ALTER TABLE ").append(trigger.table).append(" DISABLE TRIGGER ").append(trigger.name)
                    .append(";\n");
        }
        // As a replica, foreign keys do not fire and any order does; otherwise children go first, and tables that
        // reference each other are truncated together.
        List<List<Table>> deleteOrder = replica ? singletons(catalog) : order(catalog, true);
        for (List<Table> group : deleteOrder) {
            if (group.size() == 1) {
                body.append("  DELETE FROM ").append(group.get(0).name).append(";\n");
            } else {
                body.append("  TRUNCATE ").append(String.join(", ", group.stream().map(Table::name).toList()))
                        .append(" CASCADE;\n");
            }
        }
        List<List<Table>> insertOrder = replica ? singletons(catalog) : order(catalog, false);
        for (List<Table> group : insertOrder) {
            for (Table table : group) {
                String seed = seeds.get(table.oid);
                if (seed != null) {
                    body.append("  INSERT INTO ").append(table.name).append(" (").append(table.columns)
                            .append(") OVERRIDING SYSTEM VALUE SELECT ").append(table.columns).append(" FROM ")
                            .append(seed).append(";\n");
                }
            }
        }
        for (Sequence sequence : catalog.sequences) {
            body.append("  PERFORM pg_catalog.setval('").append(sequence.name.replace("'", "''")).append("', ")
                    .append(sequence.lastValue).append(", ").append(sequence.isCalled).append(");\n");
        }
        for (String view : catalog.populatedMaterializedViews) {
            body.append("  REFRESH MATERIALIZED VIEW ").append(view).append(";\n");
        }
        for (Trigger trigger : firing) {
            body.append("  ALTER TABLE ").append(trigger.table).append(" ENABLE ")
                    .append(trigger.enabled.equals("A") ? "ALWAYS " : trigger.enabled.equals("R") ? "REPLICA " : "")
                    .append("TRIGGER ").append(trigger.name).append(";\n");
        }
        return body.append("END\n$tidemark$").toString();
    }

    private static List<List<Table>> singletons(Catalog catalog) {
        return catalog.tables.values().stream().map(List::of).toList();
    }

    /**
     * Orders the tables by their foreign keys: children first (the order to delete in) or parents first (the order
     * to insert in). Tables that reference each other, directly or through others, form one group (Tarjan's strongly
     * connected components, which come out children first).
     */
    private static List<List<Table>> order(Catalog catalog, boolean childrenFirst) {
        Map<Long, List<Long>> references = new HashMap<>();
        for (long[] edge : catalog.foreignKeys) {
            references.computeIfAbsent(edge[0], k -> new ArrayList<>()).add(edge[1]);
        }
        Tarjan tarjan = new Tarjan(references);
        for (Table table : catalog.tables.values()) {
            if (!tarjan.index.containsKey(table.oid)) {
                tarjan.visit(table.oid);
            }
        }
        // Tarjan emits a component after every component it references: parents first.
        List<List<Table>> groups = new ArrayList<>();
        for (List<Long> component : tarjan.components) {
            groups.add(component.stream().map(catalog.tables::get).toList());
        }
        if (childrenFirst) {
            java.util.Collections.reverse(groups);
        }
        return groups;
    }

    private static final class Tarjan {
        final Map<Long, List<Long>> references;
        final Map<Long, Integer> index = new HashMap<>();
        final Map<Long, Integer> low = new HashMap<>();
        final Deque<Long> stack = new ArrayDeque<>();
        final Set<Long> onStack = new HashSet<>();
        final List<List<Long>> components = new ArrayList<>();

        Tarjan(Map<Long, List<Long>> references) {
            this.references = references;
        }

        void visit(long table) {
            index.put(table, index.size());
            low.put(table, index.get(table));
            stack.push(table);
            onStack.add(table);
            for (long parent : references.getOrDefault(table, List.of())) {
                if (!index.containsKey(parent)) {
                    visit(parent);
                    low.put(table, Math.min(low.get(table), low.get(parent)));
                } else if (onStack.contains(parent)) {
                    low.put(table, Math.min(low.get(table), index.get(parent)));
                }
            }
            if (low.get(table).equals(index.get(table))) {
                List<Long> component = new ArrayList<>();
                long member;
                do {
                    member = stack.pop();
                    onStack.remove(member);
                    component.add(member);
                } while (member != table);
                components.add(component);
            }
        }
    }

    private record Table(long oid, String name, String columns) {
    }

    private record Sequence(String name, long lastValue, boolean isCalled) {
    }

    /** A user trigger; {@code enabled} is {@code pg_trigger.tgenabled}: O, A (always), R (replica) or D. */
    private record Trigger(String table, String name, String enabled) {
    }

    /** The tables, sequences, foreign keys and materialized views of the schema, read in a few catalog queries. */
    private record Catalog(String schema, Map<Long, Table> tables, List<Sequence> sequences,
            List<long[]> foreignKeys, List<String> populatedMaterializedViews, List<Trigger> triggers) {

        static Catalog read(Connection connection, String schema, String historyTable) throws SQLException {
            Map<Long, Table> tables = new LinkedHashMap<>();
            try (PreparedStatement statement = connection.prepareStatement("SELECT c.oid,"
                    + " quote_ident(n.nspname) || '.' || quote_ident(c.relname),"
                    + " (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum)"
                    + "    FROM pg_catalog.pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0"
                    + "    AND NOT a.attisdropped AND a.attgenerated = '')"
                    + " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE n.nspname = ? AND c.relkind IN ('r', 'p') AND NOT c.relispartition"
                    + " AND c.relname <> ?" + notExtensionMember() + " ORDER BY c.relname")) {
                statement.setString(1, schema);
                statement.setString(2, historyTable);
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        tables.put(rs.getLong(1), new Table(rs.getLong(1), rs.getString(2), rs.getString(3)));
                    }
                }
            }
            List<long[]> foreignKeys = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement("SELECT k.conrelid, k.confrelid"
                    + " FROM pg_catalog.pg_constraint k JOIN pg_catalog.pg_namespace n ON n.oid = k.connamespace"
                    + " WHERE n.nspname = ? AND k.contype = 'f' AND k.conrelid <> k.confrelid")) {
                statement.setString(1, schema);
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        if (tables.containsKey(rs.getLong(1)) && tables.containsKey(rs.getLong(2))) {
                            foreignKeys.add(new long[] {rs.getLong(1), rs.getLong(2)});
                        }
                    }
                }
            }
            List<String> sequenceNames = new ArrayList<>();
            List<String> views = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement("SELECT c.relkind,"
                    + " quote_ident(n.nspname) || '.' || quote_ident(c.relname), c.relispopulated"
                    + " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE n.nspname = ? AND c.relkind IN ('S', 'm')" + notExtensionMember()
                    + " ORDER BY c.relname")) {
                statement.setString(1, schema);
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        if ("S".equals(rs.getString(1))) {
                            sequenceNames.add(rs.getString(2));
                        } else if (rs.getBoolean(3)) {
                            views.add(rs.getString(2));
                        }
                    }
                }
            }
            List<Sequence> sequences = new ArrayList<>();
            try (Statement statement = connection.createStatement()) {
                for (String name : sequenceNames) {
                    try (ResultSet rs = statement.executeQuery("SELECT last_value, is_called FROM " + name)) {
                        rs.next();
                        sequences.add(new Sequence(name, rs.getLong(1), rs.getBoolean(2)));
                    }
                }
            }
            List<Trigger> triggers = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement("SELECT"
                    + " quote_ident(n.nspname) || '.' || quote_ident(c.relname), quote_ident(t.tgname), t.tgenabled"
                    + " FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid"
                    + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE n.nspname = ? AND NOT t.tgisinternal AND c.relname <> ? ORDER BY 1, 2")) {
                statement.setString(1, schema);
                statement.setString(2, historyTable);
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        triggers.add(new Trigger(rs.getString(1), rs.getString(2), rs.getString(3)));
                    }
                }
            }
            return new Catalog(schema, tables, sequences, foreignKeys, views, triggers);
        }

        private static String notExtensionMember() {
            return " AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_class'"
                    + "::regclass AND d.objid = c.oid AND d.deptype = 'e')";
        }
    }

    /** Superusers may; since PostgreSQL 15 so may roles granted SET on the parameter. */
    private static boolean maySetReplicationRole(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT rolsuper FROM pg_catalog.pg_roles"
                        + " WHERE rolname = current_user")) {
            if (rs.next() && rs.getBoolean(1)) {
                return true;
            }
        }
        if (connection.getMetaData().getDatabaseMajorVersion() < 15) {
            return false;
        }
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(
                        "SELECT has_parameter_privilege('session_replication_role', 'SET')")) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    private static TidemarkException failure(String what, SQLException e) {
        return new TidemarkException(ErrorCode.DATABASE_ERROR, "Could not " + what + ": " + e.getMessage()
                + " (SQLSTATE " + e.getSQLState() + ").", e);
    }
}
