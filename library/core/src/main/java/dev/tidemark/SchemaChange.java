package dev.tidemark;

/**
 * One difference found by a schema diff.
 *
 * @param kind        whether the object was added, removed or changed (from the first schema to the second)
 * @param objectType  {@code table}, {@code column}, {@code index}, {@code foreign key}, {@code enum}, {@code view},
 *                    {@code function}, ...
 * @param object      the object's quoted name, for example {@code "User"."email"} for a column
 * @param description one line saying what differs
 * @param destructive whether the step can lose data
 * @param warning     the warning written above its step in the script, or {@code null}
 * @since 0.1
 */
public record SchemaChange(Kind kind, String objectType, String object, String description, boolean destructive,
        String warning) {

    /** What happened to the object. */
    public enum Kind {
        ADDED, REMOVED, CHANGED
    }
}
