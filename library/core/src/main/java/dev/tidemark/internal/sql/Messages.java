package dev.tidemark.internal.sql;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

/** Small text helpers shared by the messages of running migrations. */
final class Messages {

    private Messages() {
    }

    /** A duration for messages: {@code 1.5 s}, {@code 300 s}. */
    static String seconds(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    static void appendLine(StringBuilder out, String label, String value) {
        if (value != null && !value.isBlank()) {
            out.append('\n').append(label).append(value);
        }
    }

    static String firstLine(String sql) {
        int newline = sql.indexOf('\n');
        String first = newline < 0 ? sql : sql.substring(0, newline) + " ...";
        return first.length() > 100 ? first.substring(0, 97) + "..." : first;
    }

    static String excerpt(String sql, int maxLines) {
        String[] lines = sql.split("\n", -1);
        if (lines.length <= maxLines) {
            return sql;
        }
        return String.join("\n", Arrays.copyOf(lines, maxLines)) + "\n... (" + (lines.length - maxLines)
                + " more lines)";
    }
}
