package dev.tidemark;

import java.util.List;

/**
 * The result of {@link Migrator#diff(SchemaSource, SchemaSource)}: what differs between two schemas, and the SQL
 * script that takes the first to the second.
 *
 * @param from    what the diff started from, for messages
 * @param to      what it compared with
 * @param changes the differences, in script order; empty when the schemas are equivalent
 * @param summary one line per change ({@code +} added, {@code -} removed, {@code ~} changed), for people
 * @param script  the SQL script, ordered by dependencies, with {@code -- WARNING} comments above destructive steps;
 *                empty when there is no difference
 * @since 0.1
 */
public record SchemaDiff(String from, String to, List<SchemaChange> changes, String summary, String script) {

    public SchemaDiff {
        changes = List.copyOf(changes);
    }

    /** Whether the schemas differ. */
    public boolean hasDifferences() {
        return !changes.isEmpty();
    }

    /** Whether applying the script can lose data (dropping a table, column or enum value, narrowing a type). */
    public boolean isDestructive() {
        return changes.stream().anyMatch(SchemaChange::destructive);
    }
}
