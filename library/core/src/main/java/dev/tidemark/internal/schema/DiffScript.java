package dev.tidemark.internal.schema;

import java.util.List;

/** Writes changes as a migration script and as a summary, in the style of Prisma's generated migrations. */
public final class DiffScript {

    private DiffScript() {
    }

    /**
     * The SQL script: each change's statements under a comment naming it, destructive steps and steps that can fail
     * under a {@code -- WARNING} comment. Empty when there are no changes.
     */
    public static String script(List<Change> changes) {
        if (changes.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        if (changes.stream().anyMatch(c -> c.phase() == Change.Phase.CREATE_ROUTINE)) {
            // as pg_dump does: routine bodies may name tables created further down
            out.append("SET check_function_bodies = off;\n\n");
        }
        for (Change change : changes) {
            if (change.warning() != null) {
                // a warning's further lines (a rename to review) are comments of their own
                String[] lines = change.warning().split("\n");
                out.append("-- WARNING: ").append(change.destructive() ? "destructive: " : "").append(lines[0])
                        .append('\n');
                for (int i = 1; i < lines.length; i++) {
                    out.append("-- ").append(lines[i]).append('\n');
                }
            }
            out.append("-- ").append(change.implied() ? change.objectType() + " " + change.object() + ": "
                    + change.description() : change.description().replace('\n', ' ')).append('\n');
            for (String statement : change.statements()) {
                out.append(statement).append(";\n");
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** One line per reported change, with {@code +}, {@code -} or {@code ~} in front; destructive ones flagged. */
    public static String summary(List<Change> changes) {
        StringBuilder out = new StringBuilder();
        for (Change change : changes) {
            if (change.implied()) {
                continue;
            }
            char mark = switch (change.kind()) {
                case ADDED -> '+';
                case REMOVED -> '-';
                case CHANGED -> '~';
            };
            out.append(mark).append(' ').append(firstLine(change.description()));
            if (change.destructive()) {
                out.append("  [destructive]");
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
