package dev.tidemark;

import java.util.List;

/**
 * A generated {@code down.sql}: the result of {@link Migrator#generateDown(String)}.
 *
 * @param migration   the migration it undoes, by directory name
 * @param script      the file's text: a header stating the data it loses and the statements it cannot undo, then
 *                    the SQL that takes the schema after the migration back to the schema before it
 * @param dataLoss    what running it loses, one line each ({@code drops column "User"."phone" and its data});
 *                    empty when nothing
 * @param notInverted the statements of the migration a schema diff cannot undo (data changes, seed rows), as
 *                    {@code line N: <statement>}, left for the author; empty when none
 * @since 0.2
 */
public record DownScript(String migration, String script, List<String> dataLoss, List<String> notInverted) {

    public DownScript {
        dataLoss = List.copyOf(dataLoss);
        notInverted = List.copyOf(notInverted);
    }
}
