package dev.tidemark.internal.sql;

import java.util.List;
import java.util.Locale;

/**
 * One statement of a migration script, with where it starts in the file.
 *
 * @param sql    the statement text, from its first token (leading comments dropped) to just before its terminating
 *               semicolon, trailing whitespace removed; never empty
 * @param line   1-based line of the statement's first character in the file
 * @param column 1-based column (in characters) of the statement's first character in the file
 * @param tokens the statement's first tokens as written, for classifying it: words and quoted identifiers verbatim,
 *               any string or dollar quote as {@code '} or {@code $$}, other characters one by one; comments
 *               omitted
 */
public record SqlStatement(String sql, int line, int column, List<String> tokens) {

    public SqlStatement {
        tokens = List.copyOf(tokens);
    }

    /** A statement whose tokens are found by splitting {@code sql} itself, for tests and callers with one statement. */
    public static SqlStatement of(String sql) {
        List<SqlStatement> split = ScriptSplitter.split(sql);
        if (split.size() != 1) {
            throw new IllegalArgumentException("Expected one statement, found " + split.size() + ": " + sql);
        }
        return split.get(0);
    }

    /** The token at {@code index} upper-cased if it is a plain word, verbatim otherwise; empty past the end. */
    public String keyword(int index) {
        if (index < 0 || index >= tokens.size()) {
            return "";
        }
        String token = tokens.get(index);
        return isWord(token) ? token.toUpperCase(Locale.ROOT) : token;
    }

    /** Whether the statement starts with these keywords (case-insensitive, comments ignored). */
    public boolean startsWith(String... keywords) {
        return matchesAt(0, keywords);
    }

    /** Whether these keywords appear in a row starting at token {@code index}. */
    public boolean matchesAt(int index, String... keywords) {
        for (int i = 0; i < keywords.length; i++) {
            if (!keyword(index + i).equals(keywords[i])) {
                return false;
            }
        }
        return true;
    }

    /** The index of the first token equal to {@code keyword} at or after {@code from}, or -1. */
    public int indexOf(String keyword, int from) {
        for (int i = Math.max(from, 0); i < tokens.size(); i++) {
            if (keyword(i).equals(keyword)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Line and column in the file of a 1-based character position within this statement, as PostgreSQL reports
     * error positions (in characters, not bytes or UTF-16 units); position 0 (none) gives the statement's start.
     */
    public int[] positionInFile(int position) {
        int line = this.line;
        int column = this.column;
        int remaining = Math.max(position - 1, 0);
        for (int i = 0; i < sql.length() && remaining > 0; remaining--) {
            int codePoint = sql.codePointAt(i);
            if (codePoint == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
            i += Character.charCount(codePoint);
        }
        return new int[] {line, column};
    }

    private static boolean isWord(String token) {
        char first = token.charAt(0);
        return (first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z') || first == '_';
    }
}
