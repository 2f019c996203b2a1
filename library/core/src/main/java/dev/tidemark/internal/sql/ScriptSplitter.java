package dev.tidemark.internal.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a PostgreSQL script into statements exactly where the server's own lexer would end them: at semicolons that
 * are outside quoted strings ({@code '...'}, {@code E'...'} with backslash escapes, {@code U&'...'}), quoted
 * identifiers, dollar quotes ({@code $$...$$}, {@code $tag$...$tag$}), line comments, nested block comments and the
 * {@code BEGIN ATOMIC ... END} bodies of SQL-standard functions. psql meta-commands are refused, since the server
 * cannot run them.
 */
public final class ScriptSplitter {

    private ScriptSplitter() {
    }

    /** Thrown for text no PostgreSQL server would accept as a script, such as psql's backslash commands. */
    public static final class ScriptSyntaxException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int line;

        ScriptSyntaxException(String message, int line) {
            super(message);
            this.line = line;
        }

        public int line() {
            return line;
        }
    }

    public static List<SqlStatement> split(String script) {
        List<SqlStatement> statements = new ArrayList<>();
        int n = script.length();
        int i = 0;
        int line = 1;
        int lineStart = 0;

        int stmtStart = -1; // index of the statement's first significant character
        int stmtLine = 0;
        int stmtColumn = 0;
        // BEGIN ATOMIC bodies: psql counts BEGIN/CASE against END within CREATE FUNCTION/PROCEDURE statements.
        int words = 0;
        boolean routine = false;
        boolean sawCreate = false;
        int beginDepth = 0;

        while (i < n) {
            char c = script.charAt(i);
            if (c == '\n') {
                line++;
                lineStart = i + 1;
                i++;
                continue;
            }
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            if (c == '-' && i + 1 < n && script.charAt(i + 1) == '-') {
                while (i < n && script.charAt(i) != '\n') {
                    i++;
                }
                continue;
            }
            if (c == '/' && i + 1 < n && script.charAt(i + 1) == '*') {
                int depth = 1;
                i += 2;
                while (i < n && depth > 0) {
                    char d = script.charAt(i);
                    if (d == '\n') {
                        line++;
                        lineStart = i + 1;
                    }
                    if (d == '/' && i + 1 < n && script.charAt(i + 1) == '*') {
                        depth++;
                        i += 2;
                    } else if (d == '*' && i + 1 < n && script.charAt(i + 1) == '/') {
                        depth--;
                        i += 2;
                    } else {
                        i++;
                    }
                }
                continue;
            }
            if (c == ';' && beginDepth <= 0) {
                if (stmtStart >= 0) {
                    statements.add(new SqlStatement(script.substring(stmtStart, i).stripTrailing(), stmtLine,
                            stmtColumn));
                }
                stmtStart = -1;
                words = 0;
                routine = false;
                sawCreate = false;
                beginDepth = 0;
                i++;
                continue;
            }
            if (c == '\\' && script.substring(lineStart, i).isBlank()) {
                int end = script.indexOf('\n', i);
                String command = script.substring(i, end < 0 ? n : end).strip();
                throw new ScriptSyntaxException("line " + line + " holds the psql meta-command '" + command
                        + "', which only the psql client understands; the PostgreSQL server cannot run it. Remove it"
                        + " (Tidemark connects to the database itself) or replace it with plain SQL", line);
            }
            if (stmtStart < 0) {
                stmtStart = i;
                stmtLine = line;
                stmtColumn = i - lineStart + 1;
            }
            int start = i;
            if (c == '\'') {
                i = skipQuoted(script, i, '\'', isEscapeString(script, i));
            } else if (c == '"') {
                i = skipQuoted(script, i, '"', false);
            } else if (c == '$' && dollarTagEnd(script, i) > 0) {
                int tagEnd = dollarTagEnd(script, i);
                String tag = script.substring(i, tagEnd);
                int close = script.indexOf(tag, tagEnd);
                i = close < 0 ? n : close + tag.length();
            } else if (isIdentifierStart(c)) {
                while (i < n && isIdentifierPart(script.charAt(i))) {
                    i++;
                }
                String word = script.substring(start, i);
                words++;
                if (words == 1) {
                    sawCreate = word.equalsIgnoreCase("create");
                } else if (sawCreate && !routine && words <= 4
                        && (word.equalsIgnoreCase("function") || word.equalsIgnoreCase("procedure"))) {
                    routine = true;
                } else if (routine) {
                    if (word.equalsIgnoreCase("begin") || word.equalsIgnoreCase("case")) {
                        beginDepth++;
                    } else if (word.equalsIgnoreCase("end")) {
                        beginDepth--;
                    }
                }
            } else {
                i++;
            }
            // Count newlines inside whatever was just skipped.
            for (int k = start; k < i && k < n; k++) {
                if (script.charAt(k) == '\n') {
                    line++;
                    lineStart = k + 1;
                }
            }
        }
        if (stmtStart >= 0) {
            String last = script.substring(stmtStart).stripTrailing();
            if (!last.isEmpty()) {
                statements.add(new SqlStatement(last, stmtLine, stmtColumn));
            }
        }
        return statements;
    }

    /** E'...' (and e'...') strings take backslash escapes; the E must not end a longer identifier. */
    private static boolean isEscapeString(String s, int quote) {
        if (quote == 0) {
            return false;
        }
        char prefix = s.charAt(quote - 1);
        if (prefix != 'E' && prefix != 'e') {
            return false;
        }
        return quote < 2 || !isIdentifierPart(s.charAt(quote - 2));
    }

    private static int skipQuoted(String s, int open, char quote, boolean backslashEscapes) {
        int n = s.length();
        int i = open + 1;
        while (i < n) {
            char c = s.charAt(i);
            if (backslashEscapes && c == '\\') {
                i += 2;
                continue;
            }
            if (c == quote) {
                if (i + 1 < n && s.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return n;
    }

    /**
     * If a dollar-quote opening tag ({@code $$} or {@code $tag$}) starts at {@code i}, the index just after it, else -1.
     * A {@code $} that continues an identifier ({@code a$b}) or starts a parameter ({@code $1}) opens no quote.
     */
    private static int dollarTagEnd(String s, int i) {
        if (i > 0 && isIdentifierPart(s.charAt(i - 1))) {
            return -1;
        }
        int n = s.length();
        int j = i + 1;
        if (j < n && s.charAt(j) == '$') {
            return j + 1;
        }
        if (j >= n || !isIdentifierStart(s.charAt(j))) {
            return -1;
        }
        while (j < n && isIdentifierPart(s.charAt(j)) && s.charAt(j) != '$') {
            j++;
        }
        return j < n && s.charAt(j) == '$' ? j + 1 : -1;
    }

    private static boolean isIdentifierStart(char c) {
        return Character.isLetter(c) || c == '_' || c >= 0x80;
    }

    private static boolean isIdentifierPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$' || c >= 0x80;
    }
}
