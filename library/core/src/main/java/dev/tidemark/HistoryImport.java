package dev.tidemark;

import java.util.List;

/**
 * The result of {@link Migrator#importHistory(ImportPlan, boolean)}: which converted migrations the tool had applied,
 * and what was (or, in a dry run, would be) recorded as applied in {@code _prisma_migrations}.
 *
 * @param written         whether the rows were written; false in a dry run
 * @param recorded        migrations recorded as applied (in a dry run: that would be), in order
 * @param alreadyRecorded migrations the tool applied that the history already records as applied
 * @param pending         converted migrations the tool never applied successfully: the next deploy applies them
 * @param problems        what was not imported, each with what to do: failed runs, applied versions without a file,
 *                        files changed since the tool applied them; potentially empty
 * @since 0.1
 */
public record HistoryImport(boolean written, List<String> recorded, List<String> alreadyRecorded,
        List<String> pending, List<String> problems) {

    public HistoryImport {
        recorded = List.copyOf(recorded);
        alreadyRecorded = List.copyOf(alreadyRecorded);
        pending = List.copyOf(pending);
        problems = List.copyOf(problems);
    }
}
