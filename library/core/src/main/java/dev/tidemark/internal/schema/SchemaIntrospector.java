package dev.tidemark.internal.schema;

import dev.tidemark.ErrorCode;
import dev.tidemark.TidemarkException;
import dev.tidemark.internal.schema.SchemaModel.Column;
import dev.tidemark.internal.schema.SchemaModel.Constraint;
import dev.tidemark.internal.schema.SchemaModel.ConstraintKind;
import dev.tidemark.internal.schema.SchemaModel.EnumType;
import dev.tidemark.internal.schema.SchemaModel.Extension;
import dev.tidemark.internal.schema.SchemaModel.Identity;
import dev.tidemark.internal.schema.SchemaModel.Index;
import dev.tidemark.internal.schema.SchemaModel.Routine;
import dev.tidemark.internal.schema.SchemaModel.Sequence;
import dev.tidemark.internal.schema.SchemaModel.Table;
import dev.tidemark.internal.schema.SchemaModel.Trigger;
import dev.tidemark.internal.schema.SchemaModel.View;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a {@link SchemaModel} from PostgreSQL's catalogs.
 *
 * <p>One query per kind of object for the whole schema (about ten in all, whatever the number of tables), inside one
 * read-only repeatable-read transaction so they see one state. {@code search_path} is set to the schema for the
 * transaction, so the server's {@code pg_get_*def} and {@code format_type} texts name the schema's own objects
 * without qualification where PostgreSQL allows it. Objects that belong to extensions are left out: they come with
 * the extension.
 */
public final class SchemaIntrospector {

    /** Excludes objects that are members of an extension ({@code pg_depend.deptype = 'e'}). */
    private static final String NOT_IN_EXTENSION = " NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = %s"
            + " AND e.objid = %s AND e.deptype = 'e')";

    private final String schema;
    private final Set<String> excludedTables;

    /**
     * @param schema         the schema to read
     * @param excludedTables tables to leave out, such as the migration history table
     */
    public SchemaIntrospector(String schema, Set<String> excludedTables) {
        this.schema = schema;
        this.excludedTables = Set.copyOf(excludedTables);
    }

    public SchemaModel read(Connection connection) {
        boolean autoCommit;
        try {
            autoCommit = connection.getAutoCommit();
        } catch (SQLException e) {
            throw failure(e);
        }
        try {
            if (autoCommit) {
                connection.setAutoCommit(false);
            } else {
                connection.commit();
            }
            try (var statement = connection.createStatement()) {
                statement.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
            }
            try (PreparedStatement set = connection.prepareStatement(
                    "SELECT set_config('search_path', quote_ident(?), true)")) {
                set.setString(1, schema);
                set.executeQuery().close();
            }
            SchemaModel model = readAll(connection);
            connection.commit();
            return model;
        } catch (SQLException e) {
            rollback(connection);
            throw failure(e);
        } finally {
            try {
                connection.setAutoCommit(autoCommit);
            } catch (SQLException ignored) {
                // the connection is broken; whoever uses it next reports that
            }
        }
    }

    /**
     * Reads the schema inside the caller's open transaction (autocommit off), seeing its uncommitted changes, and
     * leaves the transaction open: for checks that roll back what they applied.
     */
    public SchemaModel readInTransaction(Connection connection) {
        try {
            try (PreparedStatement set = connection.prepareStatement(
                    "SELECT set_config('search_path', quote_ident(?), true)")) {
                set.setString(1, schema);
                set.executeQuery().close();
            }
            return readAll(connection);
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private SchemaModel readAll(Connection connection) throws SQLException {
        Long namespace = namespace(connection);
        if (namespace == null) {
            return SchemaModel.empty(schema);
        }
        Map<Long, Relation> relations = relations(connection, namespace);
        Map<Long, List<Column>> columns = columns(connection, namespace, relations);
        Map<Long, List<Constraint>> constraints = constraints(connection, namespace, relations);

        List<Table> tables = new ArrayList<>();
        List<View> views = new ArrayList<>();
        Map<Long, List<String>> viewDependencies = viewDependencies(connection, namespace);
        for (Map.Entry<Long, Relation> entry : relations.entrySet()) {
            Relation r = entry.getValue();
            long oid = entry.getKey();
            switch (r.kind) {
                case "r", "p" -> tables.add(new Table(r.name, columns.getOrDefault(oid, List.of()),
                        constraints.getOrDefault(oid, List.of()), r.partitionKey, r.partitionOf, r.partitionBound,
                        r.comment));
                case "v", "m" -> views.add(new View(r.name, r.kind.equals("m"), stripSemicolon(r.viewDefinition),
                        viewDependencies.getOrDefault(oid, List.of()), r.comment));
                default -> {
                    // sequences are read with their parameters below
                }
            }
        }
        return new SchemaModel(schema, extensions(connection, namespace), enums(connection, namespace),
                sequences(connection, namespace), tables, indexes(connection, namespace, relations), views,
                routines(connection, namespace), triggers(connection, namespace, relations));
    }

    private Long namespace(Connection connection) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT oid FROM pg_namespace WHERE nspname = ?")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    private record Relation(String name, String kind, String comment, String viewDefinition, String partitionKey,
            String partitionOf, String partitionBound) {
    }

    private Map<Long, Relation> relations(Connection connection, long namespace) throws SQLException {
        String sql = "SELECT c.oid, c.relname, c.relkind, obj_description(c.oid, 'pg_class'),"
                + " CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid) END,"
                + " CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END,"
                + " CASE WHEN c.relispartition THEN (SELECT p.relname FROM pg_inherits h JOIN pg_class p"
                + "  ON p.oid = h.inhparent WHERE h.inhrelid = c.oid) END,"
                + " CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END"
                + " FROM pg_class c WHERE c.relnamespace = ? AND c.relkind IN ('r', 'p', 'v', 'm') AND"
                + NOT_IN_EXTENSION.formatted("'pg_class'::regclass", "c.oid");
        Map<Long, Relation> relations = new LinkedHashMap<>();
        forEachRow(connection, sql, namespace, rs -> {
            String name = rs.getString(2);
            String kind = rs.getString(3);
            if ((kind.equals("r") || kind.equals("p")) && excludedTables.contains(name)) {
                return;
            }
            relations.put(rs.getLong(1), new Relation(name, kind, rs.getString(4), rs.getString(5),
                    rs.getString(6), rs.getString(7), rs.getString(8)));
        });
        return relations;
    }

    private Map<Long, List<Column>> columns(Connection connection, long namespace, Map<Long, Relation> relations)
            throws SQLException {
        String sql = "SELECT a.attrelid, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,"
                + " pg_get_expr(d.adbin, d.adrelid), a.attidentity, a.attgenerated,"
                + " CASE WHEN a.attcollation <> t.typcollation THEN co.collname END,"
                + " col_description(a.attrelid, a.attnum)"
                + " FROM pg_attribute a"
                + " JOIN pg_class c ON c.oid = a.attrelid"
                + " JOIN pg_type t ON t.oid = a.atttypid"
                + " LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
                + " LEFT JOIN pg_collation co ON co.oid = a.attcollation"
                + " WHERE c.relnamespace = ? AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped"
                + " ORDER BY a.attrelid, a.attnum";
        Map<Long, List<Column>> columns = new HashMap<>();
        forEachRow(connection, sql, namespace, rs -> {
            long table = rs.getLong(1);
            if (!relations.containsKey(table)) {
                return;
            }
            String expression = rs.getString(5);
            String identity = rs.getString(6);
            boolean generated = "s".equals(rs.getString(7));
            columns.computeIfAbsent(table, k -> new ArrayList<>()).add(new Column(rs.getString(2),
                    rs.getString(3), rs.getBoolean(4), generated ? null : expression,
                    "a".equals(identity) ? Identity.ALWAYS : "d".equals(identity) ? Identity.BY_DEFAULT : null,
                    generated ? expression : null, rs.getString(8), rs.getString(9)));
        });
        return columns;
    }

    private Map<Long, List<Constraint>> constraints(Connection connection, long namespace,
            Map<Long, Relation> relations) throws SQLException {
        String sql = "SELECT k.conrelid, k.conname, k.contype, pg_get_constraintdef(k.oid),"
                + " CASE WHEN r.relnamespace = k.connamespace THEN r.relname END,"
                + " obj_description(k.oid, 'pg_constraint')"
                + " FROM pg_constraint k LEFT JOIN pg_class r ON r.oid = k.confrelid"
                + " WHERE k.connamespace = ? AND k.conrelid <> 0 AND k.contype IN ('p', 'u', 'f', 'c', 'x')"
                + " AND k.conparentid = 0"; // clones of a partitioned table's constraints on its partitions
        Map<Long, List<Constraint>> constraints = new HashMap<>();
        forEachRow(connection, sql, namespace, rs -> {
            long table = rs.getLong(1);
            if (!relations.containsKey(table)) {
                return;
            }
            constraints.computeIfAbsent(table, k -> new ArrayList<>()).add(new Constraint(rs.getString(2),
                    ConstraintKind.of(rs.getString(3)), rs.getString(4), rs.getString(5), rs.getString(6)));
        });
        return constraints;
    }

    private List<Index> indexes(Connection connection, long namespace, Map<Long, Relation> relations)
            throws SQLException {
        // Indexes that implement a primary key, unique or exclusion constraint belong to the constraint.
        String sql = "SELECT i.indrelid, ic.relname, i.indisunique, pg_get_indexdef(i.indexrelid),"
                + " obj_description(i.indexrelid, 'pg_class')"
                + " FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid"
                + " WHERE ic.relnamespace = ? AND NOT EXISTS (SELECT 1 FROM pg_constraint k"
                + " WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid AND k.contype IN ('p', 'u', 'x'))"
                + " AND NOT EXISTS (SELECT 1 FROM pg_inherits h WHERE h.inhrelid = i.indexrelid)"; // partitions' copies
        List<Index> indexes = new ArrayList<>();
        forEachRow(connection, sql, namespace, rs -> {
            Relation table = relations.get(rs.getLong(1));
            if (table == null) {
                return;
            }
            indexes.add(new Index(rs.getString(2), table.name, rs.getBoolean(3), rs.getString(4),
                    rs.getString(5)));
        });
        return indexes;
    }

    private Map<Long, List<String>> viewDependencies(Connection connection, long namespace) throws SQLException {
        String sql = "SELECT DISTINCT r.ev_class, dc.relname FROM pg_rewrite r"
                + " JOIN pg_class v ON v.oid = r.ev_class"
                + " JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid"
                + "  AND d.refclassid = 'pg_class'::regclass"
                + " JOIN pg_class dc ON dc.oid = d.refobjid"
                + " WHERE v.relnamespace = ? AND v.relkind IN ('v', 'm') AND dc.oid <> r.ev_class"
                + "  AND dc.relnamespace = v.relnamespace AND dc.relkind IN ('r', 'p', 'v', 'm')";
        Map<Long, List<String>> dependencies = new HashMap<>();
        forEachRow(connection, sql, namespace, rs -> {
            dependencies.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(rs.getString(2));
        });
        return dependencies;
    }

    private List<Extension> extensions(Connection connection, long namespace) throws SQLException {
        List<Extension> extensions = new ArrayList<>();
        forEachRow(connection, "SELECT extname FROM pg_extension WHERE extnamespace = ?", namespace,
                rs -> extensions.add(new Extension(rs.getString(1))));
        return extensions;
    }

    private List<EnumType> enums(Connection connection, long namespace) throws SQLException {
        String sql = "SELECT t.typname, e.enumlabel, obj_description(t.oid, 'pg_type')"
                + " FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid"
                + " WHERE t.typnamespace = ? AND" + NOT_IN_EXTENSION.formatted("'pg_type'::regclass", "t.oid")
                + " ORDER BY t.typname, e.enumsortorder";
        Map<String, List<String>> values = new LinkedHashMap<>();
        Map<String, String> comments = new HashMap<>();
        forEachRow(connection, sql, namespace, rs -> {
            values.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
            comments.put(rs.getString(1), rs.getString(3));
        });
        List<EnumType> enums = new ArrayList<>();
        values.forEach((name, labels) -> enums.add(new EnumType(name, labels, comments.get(name))));
        return enums;
    }

    private List<Sequence> sequences(Connection connection, long namespace) throws SQLException {
        // deptype 'a' links a serial's sequence to its column (OWNED BY); 'i' an identity column's, left out.
        String sql = "SELECT c.relname, format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement, s.seqmin,"
                + " s.seqmax, s.seqcache, s.seqcycle, oc.relname, oa.attname, obj_description(c.oid, 'pg_class')"
                + " FROM pg_class c JOIN pg_sequence s ON s.seqrelid = c.oid"
                + " LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid"
                + "  AND d.refclassid = 'pg_class'::regclass AND d.deptype = 'a'"
                + " LEFT JOIN pg_class oc ON oc.oid = d.refobjid"
                + " LEFT JOIN pg_attribute oa ON oa.attrelid = d.refobjid AND oa.attnum = d.refobjsubid"
                + " WHERE c.relnamespace = ? AND c.relkind = 'S'"
                + " AND NOT EXISTS (SELECT 1 FROM pg_depend i WHERE i.classid = 'pg_class'::regclass"
                + "  AND i.objid = c.oid AND i.deptype = 'i')"
                + " AND" + NOT_IN_EXTENSION.formatted("'pg_class'::regclass", "c.oid");
        List<Sequence> sequences = new ArrayList<>();
        forEachRow(connection, sql, namespace, rs -> {
            sequences.add(new Sequence(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4),
                    rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getBoolean(8), rs.getString(9),
                    rs.getString(10), rs.getString(11)));
        });
        return sequences;
    }

    private List<Routine> routines(Connection connection, long namespace) throws SQLException {
        String sql = "SELECT p.proname, pg_get_function_identity_arguments(p.oid), p.prokind,"
                + " pg_get_function_result(p.oid), pg_get_functiondef(p.oid), obj_description(p.oid, 'pg_proc'),"
                + " oidvectortypes(p.proargtypes)"
                + " FROM pg_proc p WHERE p.pronamespace = ? AND p.prokind IN ('f', 'p') AND"
                + NOT_IN_EXTENSION.formatted("'pg_proc'::regclass", "p.oid");
        List<Routine> routines = new ArrayList<>();
        forEachRow(connection, sql, namespace, rs -> {
            String name = rs.getString(1);
            String arguments = rs.getString(2);
            // matched by argument types, as PostgreSQL identifies routines; names may change
            routines.add(new Routine(name + "(" + rs.getString(7) + ")", name, arguments,
                    "p".equals(rs.getString(3)),
                    rs.getString(4), rs.getString(5).strip(), rs.getString(6)));
        });
        return routines;
    }

    private List<Trigger> triggers(Connection connection, long namespace, Map<Long, Relation> relations)
            throws SQLException {
        String sql = "SELECT t.tgrelid, t.tgname, pg_get_triggerdef(t.oid) FROM pg_trigger t"
                + " JOIN pg_class c ON c.oid = t.tgrelid"
                + " WHERE c.relnamespace = ? AND NOT t.tgisinternal AND t.tgparentid = 0";
        List<Trigger> triggers = new ArrayList<>();
        forEachRow(connection, sql, namespace, rs -> {
            Relation table = relations.get(rs.getLong(1));
            if (table != null) {
                triggers.add(new Trigger(table.name, rs.getString(2), rs.getString(3)));
            }
        });
        return triggers;
    }

    private static String stripSemicolon(String definition) {
        String text = definition.strip();
        return text.endsWith(";") ? text.substring(0, text.length() - 1) : text;
    }

    private static void rollback(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the original failure is what matters
        }
    }

    private TidemarkException failure(SQLException e) {
        return new TidemarkException(ErrorCode.DATABASE_ERROR, "Could not read the structure of schema " + schema
                + " from the catalogs: " + e.getMessage() + ". The user needs to be able to read pg_catalog (any"
                + " PostgreSQL user can, by default).", e);
    }

    /** Runs a catalog query bound to the schema's namespace oid, handing each row to {@code row}. */
    private static void forEachRow(Connection connection, String sql, long namespace, Row row) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setLong(1, namespace);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    row.accept(rs);
                }
            }
        }
    }

    private interface Row {
        void accept(ResultSet rs) throws SQLException;
    }
}
