package dev.tidemark.internal.sql;

import java.util.List;

/**
 * One statement of a migration script, with where it starts in the file.
 *
 * <p>A statement is a range of its script, not a copy: a 30 MB seed file split into thirty thousand statements costs
 * thirty thousand small objects, not another 30 MB of text plus the tokens of each. {@link #sql()} and
 * {@link #tokens()} are computed when asked for (by the runner, once or a few times per statement).
 */
public final class SqlStatement {

    private final String script;
    private final int start;
    private final int end;
    private final int line;
    private final int column;

    /**
     * @param script the whole script
     * @param start  index of the statement's first character (its first token: leading comments are not part of it)
     * @param end    index just past its last character (before the terminating semicolon, trailing whitespace removed)
     * @param line   1-based line of the first character in the file
     * @param column 1-based column (in characters) of the first character in the file
     */
    SqlStatement(String script, int start, int end, int line, int column) {
        this.script = script;
        this.start = start;
        this.end = end;
        this.line = line;
        this.column = column;
    }

    /** A statement whose tokens are found by splitting {@code sql} itself, for tests and callers with one statement. */
    public static SqlStatement of(String sql) {
        List<SqlStatement> split = ScriptSplitter.split(sql);
        if (split.size() != 1) {
            throw new IllegalArgumentException("Expected one statement, found " + split.size() + ": " + sql);
        }
        return split.get(0);
    }

    /** The statement text, from its first token to just before its terminating semicolon; never empty. */
    public String sql() {
        return script.substring(start, end);
    }

    /** 1-based line of the statement's first character in the file. */
    public int line() {
        return line;
    }

    /** 1-based column (in characters) of the statement's first character in the file. */
    public int column() {
        return column;
    }

    /**
     * The statement's first tokens as written, for classifying it: words and quoted identifiers verbatim, any string
     * or dollar quote as {@code '} or {@code $$}, other characters one by one; comments omitted.
     */
    public List<String> tokens() {
        return tokens(ScriptSplitter.TOKENS_KEPT);
    }

    /** The first {@code count} tokens, lexing no further: most questions are about the first word or two. */
    private List<String> tokens(int count) {
        return ScriptSplitter.tokens(script, start, end, count);
    }

    /** The token at {@code index}, its ASCII letters upper-cased if it is a plain word; empty past the end. */
    public String keyword(int index) {
        if (index == 0) {
            int wordEnd = ScriptSplitter.plainWordEnd(script, start, end);
            if (wordEnd > 0) {
                String word = script.substring(start, wordEnd);
                return isWord(word) ? asciiUpperCase(word) : word;
            }
        }
        return index < 0 ? "" : keyword(tokens(index + 1), index);
    }

    /** Whether the statement starts with these keywords (case-insensitive, comments ignored). */
    public boolean startsWith(String... keywords) {
        return matchesAt(0, keywords);
    }

    /** Whether these keywords appear in a row starting at token {@code index}. */
    public boolean matchesAt(int index, String... keywords) {
        if (index < 0) {
            return false;
        }
        if (index == 0 && keywords.length > 0 && !mayStartWith(keywords[0])) {
            return false;
        }
        List<String> tokens = tokens(index + keywords.length);
        for (int i = 0; i < keywords.length; i++) {
            if (!is(tokens, index + i, keywords[i])) {
                return false;
            }
        }
        return true;
    }

    /** The index of the first token equal to {@code keyword} at or after {@code from}, or -1. */
    public int indexOf(String keyword, int from) {
        List<String> tokens = tokens();
        for (int i = Math.max(from, 0); i < tokens.size(); i++) {
            if (is(tokens, i, keyword)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Whether the statement's text holds {@code word} (upper-case ASCII) anywhere, in any case, in a string or comment
     * too: a scan without lexing, to spare lexing a statement that cannot hold the keyword.
     */
    public boolean mentions(String word) {
        char upper = word.charAt(0);
        char lower = (char) (upper + 32);
        for (int i = start, last = end - word.length(); i <= last; i++) {
            char c = script.charAt(i);
            if ((c == upper || c == lower) && script.regionMatches(true, i + 1, word, 1, word.length() - 1)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Line and column in the file of a 1-based character position within this statement, as PostgreSQL reports
     * error positions (in characters, not bytes or UTF-16 units); position 0 (none) gives the statement's start.
     */
    public int[] positionInFile(int position) {
        int line = this.line;
        int column = this.column;
        int remaining = Math.max(position - 1, 0);
        for (int i = start; i < end && remaining > 0; remaining--) {
            int codePoint = script.codePointAt(i);
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

    @Override
    public boolean equals(Object other) {
        return other instanceof SqlStatement s && s.line == line && s.column == column && s.end - s.start == end - start
                && s.script.regionMatches(s.start, script, start, end - start);
    }

    @Override
    public int hashCode() {
        return 31 * line + column;
    }

    @Override
    public String toString() {
        return "SqlStatement[line=" + line + ", column=" + column + ", sql=" + sql() + "]";
    }

    /**
     * False when the first character alone rules out {@code keyword} as the first token (the statement starts at its
     * first token): most statements are asked "are you SET TRANSACTION?" and need not be lexed to say no.
     */
    private boolean mayStartWith(String keyword) {
        char first = keyword.isEmpty() ? 0 : keyword.charAt(0);
        if (first < 'A' || first > 'Z') {
            return true;
        }
        char c = script.charAt(start);
        return c == first || c == first + 32;
    }

    private static String keyword(List<String> tokens, int index) {
        if (index < 0 || index >= tokens.size()) {
            return "";
        }
        String token = tokens.get(index);
        return isWord(token) ? asciiUpperCase(token) : token;
    }

    /** The word with its ASCII letters upper-cased and nothing else changed, as the server folds keywords. */
    private static String asciiUpperCase(String word) {
        char[] chars = null;
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if (c >= 'a' && c <= 'z') {
                if (chars == null) {
                    chars = word.toCharArray();
                }
                chars[i] = (char) (c - 32);
            }
        }
        return chars == null ? word : new String(chars);
    }

    /** Whether the token at {@code index} is {@code keyword} (upper case), as {@link #keyword(int)} would say. */
    private static boolean is(List<String> tokens, int index, String keyword) {
        if (index >= tokens.size()) {
            return keyword.isEmpty();
        }
        String token = tokens.get(index);
        return isWord(token) ? ScriptSplitter.isKeyword(token, keyword) : token.equals(keyword);
    }

    /** A plain word: not a {@code U&"..."} identifier, which also starts with a letter but keeps its case. */
    private static boolean isWord(String token) {
        char first = token.charAt(0);
        return ((first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z') || first == '_')
                && !(token.length() > 1 && token.charAt(1) == '&');
    }
}
