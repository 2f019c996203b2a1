package dev.tidemark;

import dev.tidemark.testdb.TestDatabase;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Small JDBC helpers for assertions. */
final class Sql {

    private Sql() {
    }

    static List<List<Object>> query(TestDatabase db, String sql) {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<List<Object>> rows = new ArrayList<>();
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<Object> row = new ArrayList<>(columns);
                for (int i = 1; i <= columns; i++) {
                    row.add(rs.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static Object value(TestDatabase db, String sql) {
        List<List<Object>> rows = query(db, sql);
        return rows.isEmpty() ? null : rows.get(0).get(0);
    }

    static void execute(TestDatabase db, String sql) {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean tableExists(TestDatabase db, String schemaAndTable) {
        return value(db, "SELECT to_regclass('" + schemaAndTable + "') IS NOT NULL").equals(Boolean.TRUE);
    }
}
