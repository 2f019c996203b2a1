package dev.tidemark;

import java.util.List;

/**
 * The result of {@link Migrator#push(SchemaSource, PushOption...)}.
 *
 * @param diff    the differences from the database to the desired schema, with the script that was (or would be) run
 * @param risky   the steps that can lose data or fail on existing rows; potentially empty
 * @param applied whether the script ran; false in a dry run and when there was no difference
 * @since 0.1
 */
public record PushResult(SchemaDiff diff, List<SchemaChange> risky, boolean applied) {

    public PushResult {
        risky = List.copyOf(risky);
    }
}
