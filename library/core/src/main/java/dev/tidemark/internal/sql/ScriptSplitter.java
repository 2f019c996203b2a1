package dev.tidemark.internal.sql;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Splits a PostgreSQL script into statements where the server's lexer and psql would end them.
 *
 * <p>A semicolon ends a statement unless it is inside a single-quoted string ({@code '...'} with {@code ''},
 * {@code E'...'} with backslash escapes too, {@code U&'...'}, {@code B'...'}, {@code X'...'}), a quoted identifier
 * ({@code "..."}, {@code U&"..."}), a dollar quote ({@code $$...$$}, {@code $tag$...$tag$}; the first occurrence of
 * the opening tag ends it, so differently tagged quotes nest), a {@code --} comment, a block comment (which nests, as
 * in PostgreSQL), parentheses, or the {@code BEGIN ATOMIC ... END} body of a {@code CREATE [OR REPLACE]
 * FUNCTION|PROCEDURE} statement. For the last, psql's own rule is used: at parenthesis depth zero of such a statement,
 * {@code BEGIN} opens a block, {@code CASE} opens one inside a block, {@code END} closes one.
 *
 * <p>Assumes {@code standard_conforming_strings = on} (PostgreSQL's default since 9.1), so a backslash is an ordinary
 * character in {@code '...'}. psql meta-commands ({@code \connect}, {@code \i}, {@code \set}, ...) and unterminated
 * quotes or comments are refused with the line they start on; the server could not run them either.
 */
public final class ScriptSplitter {

    /** How many tokens of each statement are kept for classifying it. */
    static final int TOKENS_KEPT = 32;
    /**
     * One string per ASCII character, shared by every one-character token: statements are lexed again each time
     * they are classified, and a new string per comma and parenthesis was most of what a big script allocated.
     */
    private static final String[] ASCII = new String[128];

    static {
        for (char c = 0; c < ASCII.length; c++) {
            ASCII[c] = String.valueOf(c);
        }
    }

    private final String script;
    private final int length;
    private int pos;
    private int line = 1;
    private int lineStart;

    /** Set when only the first statement's tokens are wanted ({@link #tokens}), once they are all read. */
    private final boolean tokensOnly;
    /** How many tokens {@link #tokens} wants: callers asking about the first keyword need only one. */
    private final int tokenLimit;
    private boolean enoughTokens;

    private ScriptSplitter(String script) {
        this.script = script;
        this.length = script.length();
        this.tokensOnly = false;
        this.tokenLimit = TOKENS_KEPT;
    }

    private ScriptSplitter(String script, int start, int end, int tokenLimit) {
        this.script = script;
        this.length = end;
        this.pos = start;
        this.lineStart = start; // lines and columns are not needed here; this keeps column() cheap
        this.tokensOnly = true;
        this.tokenLimit = Math.min(tokenLimit, TOKENS_KEPT);
    }

    /** Thrown for text no PostgreSQL server would accept as a script, such as psql's backslash commands. */
    public static final class ScriptSyntaxException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int line;
        private final int column;

        ScriptSyntaxException(String message, int line, int column) {
            super(message);
            this.line = line;
            this.column = column;
        }

        /** 1-based line of the offending text. */
        public int line() {
            return line;
        }

        /** 1-based column of the offending text. */
        public int column() {
            return column;
        }
    }

    /**
     * The statements of {@code script}, in order, without empty statements and without their terminating semicolons.
     *
     * @throws ScriptSyntaxException for a psql meta-command or an unterminated quote or comment
     */
    public static List<SqlStatement> split(String script) {
        return new ScriptSplitter(script).statements();
    }

    /**
     * The first {@code limit} (at most {@value #TOKENS_KEPT}) tokens of the statement at {@code script[start, end)},
     * read again by the same lexer that split it, so statements need not keep their tokens (see
     * {@link SqlStatement}). Lexing stops at the limit: classifying a statement mostly asks for its first word.
     */
    static List<String> tokens(String script, int start, int end, int limit) {
        ScriptSplitter splitter = new ScriptSplitter(script, start, end, limit);
        splitter.statements();
        return splitter.firstTokens == null ? List.of() : Collections.unmodifiableList(splitter.firstTokens);
    }

    private List<String> firstTokens;

    /**
     * The end of the plain word (identifier or keyword) starting at {@code start}, or -1 when none starts there or it
     * is the {@code E} or {@code U&} prefix of a string: the first keyword of a statement without a lexer's objects.
     */
    static int plainWordEnd(String script, int start, int end) {
        if (start >= end || !isIdentifierStart(script.charAt(start))) {
            return -1;
        }
        int pos = start + 1;
        while (pos < end && isIdentifierPart(script.charAt(pos))) {
            pos++;
        }
        if (pos - start == 1 && pos < end) {
            char c = script.charAt(start);
            char next = script.charAt(pos);
            if (((c == 'E' || c == 'e') && next == '\'') || ((c == 'U' || c == 'u') && next == '&')) {
                return -1;
            }
        }
        return pos;
    }

    private List<SqlStatement> statements() {
        List<SqlStatement> statements = new ArrayList<>();
        Statement current = null;
        while (pos < length && !enoughTokens) {
            char c = script.charAt(pos);
            if (c == '\n') {
                newline(pos);
                pos++;
                continue;
            }
            if (isWhitespace(c)) {
                pos++;
                continue;
            }
            if (c == '-' && peek(1) == '-') {
                while (pos < length && script.charAt(pos) != '\n') {
                    pos++;
                }
                continue;
            }
            if (c == '/' && peek(1) == '*') {
                skipBlockComment();
                continue;
            }
            if (c == ';' && (current == null || current.canEndAtSemicolon())) {
                if (tokensOnly) {
                    break; // the range is one statement; never read into the next
                }
                if (current != null) {
                    statements.add(current.finish(pos));
                }
                current = null;
                pos++;
                continue;
            }
            if (c == '\\') {
                throw metaCommand();
            }
            if (current == null) {
                current = new Statement(pos, line, column(pos));
                if (tokensOnly) {
                    firstTokens = current.tokens;
                }
            }
            int start = pos;
            if (c == '\'') {
                skipString(false);
                current.token("'");
            } else if (c == '"') {
                skipQuotedIdentifier();
                if (current.keepsTokens()) {
                    current.token(script.substring(start, pos));
                }
            } else if (c == '$' && dollarTagEnd(pos) > 0) {
                skipDollarQuote();
                current.token("$$");
            } else if (isIdentifierStart(c)) {
                while (pos < length && isIdentifierPart(script.charAt(pos))) {
                    pos++;
                }
                if (pos - start == 1 && peek(0) == '\'' && (c == 'E' || c == 'e')) {
                    skipString(true);
                    current.token("'");
                } else if (pos - start == 1 && (c == 'U' || c == 'u') && peek(0) == '&'
                        && (peek(1) == '\'' || peek(1) == '"')) {
                    pos++;
                    if (peek(0) == '\'') {
                        skipString(false);
                        current.token("'");
                    } else {
                        skipQuotedIdentifier();
                        current.token(script.substring(start, pos));
                    }
                } else if (current.readsWords()) {
                    current.word(script.substring(start, pos));
                } else {
                    current.identifierCount++; // a word past the kept tokens, of no routine: only counted
                }
            } else if (isDigit(c)) {
                while (pos < length && (isIdentifierPart(script.charAt(pos)) || script.charAt(pos) == '.')
                        && script.charAt(pos) != '$') {
                    pos++;
                }
                if (current.keepsTokens()) {
                    current.token(script.substring(start, pos));
                }
            } else {
                if (c == '(') {
                    current.parenDepth++;
                } else if (c == ')' && current.parenDepth > 0) {
                    current.parenDepth--;
                }
                pos++;
                if (current.keepsTokens()) {
                    current.token(c < ASCII.length ? ASCII[c] : String.valueOf(c));
                }
            }
        }
        if (current != null && !tokensOnly) {
            statements.add(current.finish(length));
        }
        return statements;
    }

    /** A statement being read: where it starts, its first tokens, and psql's BEGIN ... END bookkeeping. */
    private final class Statement {
        final int start;
        final int startLine;
        final int startColumn;
        final List<String> tokens = new ArrayList<>();
        int parenDepth;
        int beginDepth;
        int identifierCount;
        final char[] identifiers = new char[4];

        Statement(int start, int startLine, int startColumn) {
            this.start = start;
            this.startLine = startLine;
            this.startColumn = startColumn;
        }

        /**
         * Whether a token's text is still kept. Past the first {@value #TOKENS_KEPT} it is not even cut out: a 30 MB
         * seed script would otherwise cost a string per number and comma.
         */
        boolean keepsTokens() {
            return tokens.size() < TOKENS_KEPT;
        }

        /** Whether {@link #word} must see the next word: a kept token, one of the first four, or in a routine. */
        boolean readsWords() {
            return keepsTokens() || identifierCount < identifiers.length || routine();
        }

        private boolean routine() {
            return identifiers[0] == 'c' && (identifiers[1] == 'f' || identifiers[1] == 'p'
                    || (identifiers[1] == 'o' && identifiers[2] == 'r'
                            && (identifiers[3] == 'f' || identifiers[3] == 'p')));
        }

        boolean canEndAtSemicolon() {
            return parenDepth == 0 && beginDepth == 0;
        }

        void token(String token) {
            if (tokens.size() < TOKENS_KEPT) {
                tokens.add(token);
            }
            if (tokensOnly && tokens.size() == tokenLimit) {
                enoughTokens = true;
            }
        }

        /** Mirrors psql's psqlscan.l, so that a script splits here exactly as {@code psql -f} splits it. */
        void word(String word) {
            token(word);
            if (identifierCount < identifiers.length && (isKeyword(word, "create") || isKeyword(word, "function")
                    || isKeyword(word, "procedure") || isKeyword(word, "or") || isKeyword(word, "replace"))) {
                identifiers[identifierCount] = (char) (word.charAt(0) | 0x20);
            }
            identifierCount++;
            if (routine() && parenDepth == 0) {
                if (isKeyword(word, "begin")) {
                    beginDepth++;
                } else if (isKeyword(word, "case")) {
                    if (beginDepth >= 1) {
                        beginDepth++;
                    }
                } else if (isKeyword(word, "end") && beginDepth > 0) {
                    beginDepth--;
                }
            }
        }

        SqlStatement finish(int end) {
            int last = end;
            while (last > start && (isWhitespace(script.charAt(last - 1)) || script.charAt(last - 1) == '\n')) {
                last--;
            }
            return new SqlStatement(script, start, last, startLine, startColumn);
        }
    }

    /**
     * Whether {@code word} is {@code keyword} (written in one case, lower or upper), ignoring ASCII case only, as
     * PostgreSQL's and psql's scanners match keywords; no string is built for the comparison.
     */
    static boolean isKeyword(String word, String keyword) {
        int n = keyword.length();
        if (word.length() != n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = word.charAt(i);
            char k = keyword.charAt(i);
            if (c != k && ((c | 0x20) != (k | 0x20) || (c | 0x20) < 'a' || (c | 0x20) > 'z')) {
                return false;
            }
        }
        return true;
    }

    private char peek(int ahead) {
        int at = pos + ahead;
        return at < length ? script.charAt(at) : '\0';
    }

    private void newline(int at) {
        line++;
        lineStart = at + 1;
    }

    private int column(int at) {
        return script.codePointCount(lineStart, at) + 1;
    }

    /** Advances over {@code [from, to)}, counting the newlines in it. */
    private void advanceTo(int to) {
        for (int i = pos; i < to; i++) {
            if (script.charAt(i) == '\n') {
                newline(i);
            }
        }
        pos = to;
    }

    private void skipBlockComment() {
        int openLine = line;
        int openColumn = column(pos);
        int depth = 0;
        int i = pos;
        while (i < length) {
            char c = script.charAt(i);
            if (c == '/' && i + 1 < length && script.charAt(i + 1) == '*') {
                depth++;
                i += 2;
            } else if (c == '*' && i + 1 < length && script.charAt(i + 1) == '/') {
                depth--;
                i += 2;
                if (depth == 0) {
                    advanceTo(i);
                    return;
                }
            } else {
                i++;
            }
        }
        throw unterminated("block comment /* ... */", openLine, openColumn);
    }

    /** A {@code '...'} string at {@code pos}; with {@code escapes}, an {@code E'...'} string. */
    private void skipString(boolean escapes) {
        skipQuoted('\'', escapes, "quoted string");
    }

    private void skipQuotedIdentifier() {
        skipQuoted('"', false, "quoted identifier");
    }

    /** Text quoted with {@code quote} at {@code pos}, a doubled quote standing for itself. */
    private void skipQuoted(char quote, boolean escapes, String what) {
        int openLine = line;
        int openColumn = column(pos);
        int i = pos + 1;
        while (i < length) {
            char c = script.charAt(i);
            if (escapes && c == '\\') {
                i += 2;
            } else if (c == quote) {
                if (i + 1 < length && script.charAt(i + 1) == quote) {
                    i += 2;
                } else {
                    advanceTo(i + 1);
                    return;
                }
            } else {
                i++;
            }
        }
        throw unterminated(what, openLine, openColumn);
    }

    private void skipDollarQuote() {
        int openLine = line;
        int openColumn = column(pos);
        int tagEnd = dollarTagEnd(pos);
        String tag = script.substring(pos, tagEnd);
        int close = script.indexOf(tag, tagEnd);
        if (close < 0) {
            throw unterminated("dollar-quoted string " + tag + "...", openLine, openColumn);
        }
        advanceTo(close + tag.length());
    }

    /**
     * If a dollar-quote opening ({@code $$} or {@code $tag$}) starts at {@code i}, the index just after it, else -1.
     * The tag follows PostgreSQL's rule: a letter or underscore, then letters, digits and underscores; so {@code $1}
     * (a parameter) opens nothing. A {@code $} inside an identifier never gets here: identifiers are read whole.
     */
    private int dollarTagEnd(int i) {
        int j = i + 1;
        if (j < length && script.charAt(j) == '$') {
            return j + 1;
        }
        if (j >= length || !isIdentifierStart(script.charAt(j))) {
            return -1;
        }
        while (j < length && isTagPart(script.charAt(j))) {
            j++;
        }
        return j < length && script.charAt(j) == '$' ? j + 1 : -1;
    }

    private ScriptSyntaxException metaCommand() {
        int end = script.indexOf('\n', pos);
        String command = script.substring(pos, end < 0 ? length : end).strip();
        if (command.length() > 60) {
            command = command.substring(0, 57) + "...";
        }
        if (command.startsWith("\\.")) {
            return new ScriptSyntaxException("line " + line + " holds '\\.', the end of COPY ... FROM stdin data,"
                    + " which only the psql client can send; the PostgreSQL server cannot run it. Replace the COPY"
                    + " and its data with INSERT statements", line, column(pos));
        }
        return new ScriptSyntaxException("line " + line + " holds the psql meta-command '" + command + "', which only"
                + " the psql client understands; the PostgreSQL server cannot run it. Remove it (Tidemark connects to"
                + " the database itself and runs the file's SQL statements in order) or replace it with plain SQL",
                line, column(pos));
    }

    private static ScriptSyntaxException unterminated(String what, int line, int column) {
        return new ScriptSyntaxException("the " + what + " starting at line " + line + ", column " + column
                + " is never closed, so PostgreSQL would reject the script. Close it", line, column);
    }

    /** PostgreSQL's whitespace; other Unicode spaces are identifier characters to its lexer. */
    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\u000B';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** PostgreSQL's ident_start: ASCII letters, underscore, and any non-ASCII character. */
    private static boolean isIdentifierStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
    }

    /** PostgreSQL's ident_cont: ident_start, digits and {@code $}. */
    private static boolean isIdentifierPart(char c) {
        return isIdentifierStart(c) || isDigit(c) || c == '$';
    }

    /** PostgreSQL's dolq_cont: ident_start and digits, without {@code $}. */
    private static boolean isTagPart(char c) {
        return isIdentifierStart(c) || isDigit(c);
    }
}
