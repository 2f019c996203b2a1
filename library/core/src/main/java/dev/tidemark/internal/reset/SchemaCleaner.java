package dev.tidemark.internal.reset;

import dev.tidemark.ErrorCode;
import dev.tidemark.TidemarkException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static dev.tidemark.internal.history.HistoryTable.quote;

/**
 * Drops every object of one schema, and Tidemark's fast-reset state for it, but keeps the schema itself.
 *
 * <p>Objects are dropped one by one rather than with {@code DROP SCHEMA ... CASCADE}: that keeps the schema's owner,
 * grants and comment (PostgreSQL 15's {@code public} belongs to {@code pg_database_owner}, which a migration user
 * usually cannot recreate), and needs only ownership of the objects, which the migration user has. Everything runs in
 * one transaction: a failure leaves the schema as it was.
 */
public final class SchemaCleaner {

    private static final Logger log = LoggerFactory.getLogger("dev.tidemark");

    private SchemaCleaner() {
    }

    /** What was dropped, for the log. */
    public record Dropped(int relations, int routines, int types, int extensions) {

        public int total() {
            return relations + routines + types + extensions;
        }

        @Override
        public String toString() {
            return relations + " table(s)/view(s)/sequence(s), " + routines + " function(s)/procedure(s), " + types
                    + " type(s), " + extensions + " extension(s)";
        }
    }

    /**
     * Drops, in this order: tables (with their indexes, constraints, triggers, policies and owned sequences), views,
     * materialized views, foreign tables and remaining sequences, then functions, procedures and aggregates, then
     * enums, domains, composite and range types, and last the extensions installed in the schema. Objects that belong
     * to an extension go with their extension. Each statement is {@code IF EXISTS ... CASCADE}, because dropping one
     * object may already have taken another with it; except for extensions: one still used by another schema's
     * objects (a {@code citext} column elsewhere) is kept rather than taking those objects with it.
     */
    public static Dropped dropAll(Connection connection, String schema) {
        List<String> extensions = names(connection, schema, "SELECT quote_ident(e.extname)"
                + " FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace"
                + " WHERE n.nspname = ?");
        List<String> relations = names(connection, schema, "SELECT CASE c.relkind WHEN 'v' THEN 'VIEW'"
                + " WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'S' THEN 'SEQUENCE' WHEN 'f' THEN 'FOREIGN TABLE'"
                + " ELSE 'TABLE' END || ' IF EXISTS ' || quote_ident(n.nspname) || '.' || quote_ident(c.relname)"
                + " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = ? AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')"
                + " AND NOT c.relispartition" + notExtensionMember("pg_class", "c.oid")
                // Tables first, so that views and sequences they take with them are not dropped twice.
                + " ORDER BY CASE c.relkind WHEN 'p' THEN 0 WHEN 'r' THEN 1 WHEN 'f' THEN 2 WHEN 'm' THEN 3"
                + " WHEN 'v' THEN 4 ELSE 5 END, c.relname");
        List<String> routines = names(connection, schema, "SELECT CASE p.prokind WHEN 'p' THEN 'PROCEDURE'"
                + " WHEN 'a' THEN 'AGGREGATE' ELSE 'FUNCTION' END || ' IF EXISTS ' || quote_ident(n.nspname) || '.'"
                + " || quote_ident(p.proname) || '(' || pg_catalog.pg_get_function_identity_arguments(p.oid) || ')'"
                + " FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace"
                + " WHERE n.nspname = ?" + notExtensionMember("pg_proc", "p.oid")
                + " ORDER BY p.prokind = 'a' DESC, p.proname");
        // Enums, domains, ranges and free-standing composite types; not the row types of tables nor array types,
        // which go with their owners, nor multiranges, which go with their range.
        List<String> types = names(connection, schema, "SELECT CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END"
                + " || ' IF EXISTS ' || quote_ident(n.nspname) || '.' || quote_ident(t.typname)"
                + " FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace"
                + " WHERE n.nspname = ? AND (t.typtype IN ('e', 'd', 'r') OR (t.typtype = 'c' AND EXISTS ("
                + " SELECT 1 FROM pg_catalog.pg_class c WHERE c.oid = t.typrelid AND c.relkind = 'c')))"
                + notExtensionMember("pg_type", "t.oid") + " ORDER BY t.typtype = 'd' DESC, t.typname");

        List<String> statements = new ArrayList<>();
        statements.add("DROP SCHEMA IF EXISTS " + quote(FastResetState.sideSchema(schema)) + " CASCADE");
        relations.forEach(r -> statements.add("DROP " + r + " CASCADE"));
        routines.forEach(r -> statements.add("DROP " + r + " CASCADE"));
        types.forEach(t -> statements.add("DROP " + t + " CASCADE"));
        int droppedExtensions = execute(connection, schema, statements, extensions);
        return new Dropped(relations.size(), routines.size(), types.size(), droppedExtensions);
    }

    private static String notExtensionMember(String catalog, String oid) {
        return " AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog." + catalog
                + "'::regclass AND d.objid = " + oid + " AND d.deptype IN ('e', 'i'))";
    }

    private static List<String> names(Connection connection, String schema, String sql) {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, schema);
            List<String> names = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
            return names;
        } catch (SQLException e) {
            throw new TidemarkException(ErrorCode.DATABASE_ERROR, "Could not list the objects of schema " + schema
                    + " to reset it: " + e.getMessage() + " (SQLSTATE " + e.getSQLState() + ").", e);
        }
    }

    /** Runs the drops in one transaction; returns how many of the extensions were dropped. */
    private static int execute(Connection connection, String schema, List<String> statements,
            List<String> extensions) {
        String current = null;
        try {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                for (String sql : statements) {
                    current = sql;
                    statement.execute(sql);
                }
                int dropped = 0;
                for (String extension : extensions) {
                    current = "DROP EXTENSION IF EXISTS " + extension;
                    Savepoint savepoint = connection.setSavepoint();
                    try {
                        statement.execute(current);
                        dropped++;
                    } catch (SQLException e) {
                        if (!"2BP01".equals(e.getSQLState())) {
                            throw e;
                        }
                        connection.rollback(savepoint);
                        log.info("Kept extension {} in schema {}: objects in other schemas use it", extension,
                                schema);
                    }
                }
                connection.commit();
                return dropped;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new TidemarkException(ErrorCode.DATABASE_ERROR, "Could not reset schema " + schema + "; nothing"
                    + " was dropped. The statement " + current + " failed: " + e.getMessage() + " (SQLSTATE "
                    + e.getSQLState() + "). The migration user must own every object in the schema; drop objects"
                    + " owned by other roles first, or reset as their owner.", e);
        }
    }
}
