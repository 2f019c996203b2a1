package dev.tidemark.internal.schema;

import java.util.List;

/**
 * One difference between two schema models, with the statements that take the first to the second.
 *
 * @param phase       where its statements go in the script (see {@link Phase})
 * @param kind        added, removed or changed
 * @param objectType  {@code table}, {@code column}, {@code index}, ...
 * @param object      the object's quoted name, {@code "User"."email"} for a column
 * @param description one line for people: what differs
 * @param warning     a warning for the script (data loss, or a step that can fail on existing rows), or null
 * @param destructive whether applying it can lose data
 * @param implied     a step another change needs (dropping a dropped table's foreign keys, re-adding a rebuilt
 *                    view's index), left out of the summary
 * @param statements  the SQL statements, without semicolons
 */
public record Change(Phase phase, Kind kind, String objectType, String object, String description, String warning,
        boolean destructive, boolean implied, List<String> statements) {

    public Change {
        statements = List.copyOf(statements);
    }

    /** What happened to the object. */
    public enum Kind {
        ADDED, REMOVED, CHANGED
    }

    /**
     * The order of the script: what others depend on is dropped after them and created before them. Types, sequences
     * and routines come before the tables that use them; foreign keys after every table; views after tables; drops
     * of tables, columns, types and routines after everything that used them is gone.
     */
    public enum Phase {
        DROP_TRIGGER, DROP_VIEW, DROP_FOREIGN_KEY, DROP_CONSTRAINT, DROP_INDEX, DROP_REPLACED_ROUTINE,
        CREATE_EXTENSION, CREATE_ENUM, ALTER_ENUM, CREATE_SEQUENCE, CREATE_ROUTINE, CREATE_TABLE, CREATE_PARTITION,
        ALTER_TABLE,
        DROP_COLUMN, DROP_TABLE, ALTER_SEQUENCE, DROP_SEQUENCE, ADD_CONSTRAINT, CREATE_INDEX, ADD_FOREIGN_KEY,
        CREATE_VIEW, CREATE_VIEW_INDEX, CREATE_TRIGGER, COMMENT, DROP_ROUTINE, DROP_ENUM, DROP_EXTENSION
    }
}
