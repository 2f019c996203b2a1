package dev.tidemark.internal.schema;

/** Quoting for the SQL that the schema package writes. */
final class Sql {

    private Sql() {
    }

    /** Always quotes, as Prisma's generated SQL does, so reserved words and mixed case need no special cases. */
    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    static String literal(String value) {
        return value == null ? "NULL" : "'" + value.replace("'", "''") + "'";
    }
}
