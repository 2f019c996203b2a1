package dev.tidemark.internal.lint;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the migrations read so far (and, when a database is given, its catalog) say about the schema: the tables and
 * their columns' types, the indexes, the enums. Names are as PostgreSQL stores them; schemas are ignored.
 */
final class SchemaState {

    static final class Table {
        final String name;
        /** The migration that created it, or null when it comes from the catalog. */
        String createdIn;
        /** {@code pg_class.reltuples} from the catalog; -1 when unknown. */
        double rows = -1;
        final Map<String, SqlType> columns = new LinkedHashMap<>();

        Table(String name) {
            this.name = name;
        }
    }

    final Map<String, Table> tables = new HashMap<>();
    /** Index name to table name. */
    final Map<String, String> indexes = new HashMap<>();
    final Map<String, List<String>> enums = new HashMap<>();

    Table table(String name) {
        return tables.get(name);
    }

    Table create(String name, String migration) {
        Table table = new Table(name);
        table.createdIn = migration;
        tables.put(name, table);
        return table;
    }
}
