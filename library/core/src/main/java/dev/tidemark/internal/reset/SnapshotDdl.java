package dev.tidemark.internal.reset;

import dev.tidemark.internal.reset.ResetCatalog.Table;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.tidemark.internal.history.HistoryTable.quote;

/**
 * The statements that (re)create a side schema: the schema, its {@code state} table, one seed table per table that
 * has rows, and the restore function. Planning them counts each table's rows; running them is the caller's
 * transaction.
 *
 * @param statements   in the order to run them
 * @param seededTables how many tables had rows
 * @param seedRows     how many rows the seed tables hold
 */
record SnapshotDdl(List<String> statements, int seededTables, int seedRows) {

    SnapshotDdl {
        statements = List.copyOf(statements);
    }

    /**
     * @param schema the schema the state is taken of
     * @param side   its quoted side schema
     */
    static SnapshotDdl plan(Connection connection, String schema, String side, ResetCatalog catalog, boolean replica)
            throws SQLException {
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
            for (Table table : catalog.tables().values()) {
                long rows;
                try (ResultSet rs = statement.executeQuery("SELECT count(*) FROM " + table.name())) {
                    rs.next();
                    rows = rs.getLong(1);
                }
                if (rows > 0) {
                    String seed = side + "." + quote("seed_" + table.oid());
                    ddl.add("CREATE TABLE " + seed + " AS SELECT " + table.columns() + " FROM " + table.name());
                    seeds.put(table.oid(), seed);
                    seededTables++;
                    seedRows += (int) rows;
                }
            }
        }
        ddl.add(RestoreFunction.create(side, catalog, seeds, replica));
        ddl.add("REVOKE ALL ON FUNCTION " + side + ".restore(text) FROM PUBLIC");
        return new SnapshotDdl(ddl, seededTables, seedRows);
    }
}
