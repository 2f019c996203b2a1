package dev.tidemark;

/**
 * One difference found by a schema diff.
 *
 * @param kind        whether the object was added, removed or changed (from the first schema to the second)
 * @param objectType  what kind of object it is: a table, column, index, foreign key, enum, view, function, ...
 * @param object      the object's quoted name, for example {@code "User"."email"} for a column
 * @param description one line saying what differs
 * @param destructive whether the step can lose data
 * @param warning     the warning written above its step in the script, or {@code null}
 * @since 0.1
 */
public record SchemaChange(Kind kind, ObjectType objectType, String object, String description, boolean destructive,
        String warning) {

    /** The kinds of schema object a diff compares, each with the word the diff's descriptions use for it. */
    public enum ObjectType {
        TABLE("table"),
        PARTITION("partition"),
        COLUMN("column"),
        CONSTRAINT("constraint"),
        FOREIGN_KEY("foreign key"),
        INDEX("index"),
        ENUM("enum"),
        SEQUENCE("sequence"),
        VIEW("view"),
        MATERIALIZED_VIEW("materialized view"),
        FUNCTION("function"),
        PROCEDURE("procedure"),
        TRIGGER("trigger"),
        EXTENSION("extension"),
        /** Any other object (kept so that a new kind of object never fails a diff). */
        OTHER("object");

        private final String label;

        ObjectType(String label) {
            this.label = label;
        }

        /** The word the diff uses, for example {@code foreign key}. */
        public String label() {
            return label;
        }

        /** The type a diff's word stands for; {@link #OTHER} for a word it does not know. */
        public static ObjectType of(String label) {
            for (ObjectType type : values()) {
                if (type.label.equals(label)) {
                    return type;
                }
            }
            return OTHER;
        }
    }

    /** What happened to the object. */
    public enum Kind {
        ADDED, REMOVED, CHANGED
    }
}
