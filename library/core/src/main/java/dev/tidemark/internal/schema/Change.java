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

    /** An object {@code to} has and {@code from} lacks, described as "added <objectType> <object>". */
    public static Change added(Phase phase, String objectType, String object, String statement) {
        return of(phase, Kind.ADDED, objectType, object, List.of(statement));
    }

    /** An object {@code to} has and {@code from} lacks, made in several statements. */
    public static Change added(Phase phase, String objectType, String object, List<String> statements) {
        return of(phase, Kind.ADDED, objectType, object, statements);
    }

    /** An object {@code from} has and {@code to} lacks, described as "removed <objectType> <object>". */
    public static Change removed(Phase phase, String objectType, String object, String statement) {
        return of(phase, Kind.REMOVED, objectType, object, List.of(statement));
    }

    /** An object both have, defined differently, described as "changed <objectType> <object>". */
    public static Change changed(Phase phase, String objectType, String object, String statement) {
        return changed(phase, objectType, object, List.of(statement));
    }

    /** An object both have, defined differently, described as "changed <objectType> <object>". */
    public static Change changed(Phase phase, String objectType, String object, List<String> statements) {
        return of(phase, Kind.CHANGED, objectType, object, statements);
    }

    private static Change of(Phase phase, Kind kind, String objectType, String object, List<String> statements) {
        String verb = switch (kind) {
            case ADDED -> "added ";
            case REMOVED -> "removed ";
            case CHANGED -> "changed ";
        };
        return new Change(phase, kind, objectType, object, verb + objectType + " " + object, null, false, false,
                statements);
    }

    /** This change with another description. */
    public Change describedAs(String description) {
        return new Change(phase, kind, objectType, object, description, warning, destructive, implied, statements);
    }

    /** This change with a warning (a step that can fail on existing rows); null for none. */
    public Change withWarning(String warning) {
        return new Change(phase, kind, objectType, object, description, warning, destructive, implied, statements);
    }

    /** This change as destructive (applying it can lose data), with the warning that says what is lost. */
    public Change withDataLoss(String warning) {
        return new Change(phase, kind, objectType, object, description, warning, true, implied, statements);
    }

    /** This change as a step another change needs, left out of the summary. */
    public Change asImplied() {
        return new Change(phase, kind, objectType, object, description, warning, destructive, true, statements);
    }

    /** A step another change needs: the object created again, described as "re-created". */
    static Change recreated(Phase phase, String objectType, String object, String statement) {
        return changed(phase, objectType, object, statement).describedAs("re-created").asImplied();
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
