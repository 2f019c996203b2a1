package dev.tidemark.internal.reverse;

import dev.tidemark.internal.source.LocalMigration;
import dev.tidemark.internal.sql.MigrationPlan;
import dev.tidemark.internal.sql.SqlStatement;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The statements of a migration that change data rather than the schema, which a schema diff cannot undo. */
final class DataStatements {

    /** Statements that write rows, or run code that may: their effect is not in the schema model. */
    private static final Set<String> WRITES = Set.of("INSERT", "UPDATE", "DELETE", "TRUNCATE", "COPY", "MERGE", "DO",
            "CALL", "SELECT", "WITH", "REFRESH");

    private static final int SHOWN = 100;

    private DataStatements() {
    }

    /** {@code line N: <statement's start>} for each data change of the migration, in file order. */
    static List<String> of(LocalMigration migration) {
        List<String> found = new ArrayList<>();
        for (SqlStatement statement : MigrationPlan.statements(migration)) {
            String first = statement.keyword(0).toUpperCase(Locale.ROOT);
            if (WRITES.contains(first)) {
                String text = statement.sql().replaceAll("\\s+", " ").strip();
                found.add("line " + statement.line() + ": " + (text.length() > SHOWN ? text.substring(0, SHOWN)
                        + "…" : text));
            }
        }
        return found;
    }
}
