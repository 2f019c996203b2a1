package dev.tidemark.internal.reset;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tables, sequences, foreign keys, materialized views and user triggers of a schema, read in a few catalog
 * queries: what a fast-reset state is taken of. Names are quoted and schema-qualified, ready for SQL.
 *
 * @param tables                     the ordinary and partitioned tables (not partitions, not the history table) by oid
 * @param foreignKeys                (referencing oid, referenced oid) of foreign keys between two of {@code tables}
 * @param populatedMaterializedViews materialized views to refresh after a restore
 */
record ResetCatalog(String schema, Map<Long, Table> tables, List<Sequence> sequences, List<long[]> foreignKeys,
        List<String> populatedMaterializedViews, List<Trigger> triggers) {

    /** A table and its stored (not generated) columns, as a comma-separated list. */
    record Table(long oid, String name, String columns) {
    }

    record Sequence(String name, long lastValue, boolean isCalled) {
    }

    /** A user trigger; {@code enabled} is {@code pg_trigger.tgenabled}: O, A (always), R (replica) or D. */
    record Trigger(String table, String name, String enabled) {
    }

    static ResetCatalog read(Connection connection, String schema, String historyTable) throws SQLException {
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
        return new ResetCatalog(schema, tables, sequences, foreignKeys, views, triggers);
    }

    private static String notExtensionMember() {
        return " AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_class'"
                + "::regclass AND d.objid = c.oid AND d.deptype = 'e')";
    }

    /**
     * Whether the current user may set {@code session_replication_role}: superusers may; since PostgreSQL 15 so may
     * roles granted SET on the parameter.
     */
    static boolean maySetReplicationRole(Connection connection) throws SQLException {
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
}
