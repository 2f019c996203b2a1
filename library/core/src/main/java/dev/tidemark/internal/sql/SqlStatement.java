package dev.tidemark.internal.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One statement of a migration script, with where it starts in the file.
 *
 * @param sql    the statement text, without leading comments and without its terminating semicolon
 * @param line   1-based line of the statement's first character in the file
 * @param column 1-based column of the statement's first character in the file
 */
public record SqlStatement(String sql, int line, int column) {

    /** The first {@code count} words of the statement, upper-cased; comments and quoted text end the scan. */
    public List<String> leadingWords(int count) {
        List<String> words = new ArrayList<>(count);
        int i = 0;
        int n = sql.length();
        while (i < n && words.size() < count) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c) || c == '(' || c == ')' || c == ',') {
                i++;
                continue;
            }
            if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                while (i < n && sql.charAt(i) != '\n') {
                    i++;
                }
                continue;
            }
            if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
                continue;
            }
            if (!Character.isLetter(c) && c != '_') {
                break;
            }
            int start = i;
            while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_'
                    || sql.charAt(i) == '$')) {
                i++;
            }
            words.add(sql.substring(start, i).toUpperCase(Locale.ROOT));
        }
        return words;
    }

    /**
     * Line and column in the file of a 1-based character position within this statement, as PostgreSQL reports
     * error positions.
     */
    public int[] positionInFile(int position) {
        int line = this.line;
        int column = this.column;
        int limit = Math.min(Math.max(position - 1, 0), sql.length());
        for (int i = 0; i < limit; i++) {
            if (sql.charAt(i) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return new int[] {line, column};
    }
}
