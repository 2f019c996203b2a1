package dev.tidemark.internal.lint;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads all tokens of one statement (the splitter keeps only the first few). The statement was split by
 * {@code ScriptSplitter}, so its quotes and comments are known to be terminated; this lexer follows the same rules
 * (standard-conforming strings, nesting block comments, dollar quotes).
 */
final class Lexer {

    private Lexer() {
    }

    static List<Token> tokens(String sql) {
        return tokens(sql, Integer.MAX_VALUE);
    }

    /** The first {@code max} tokens of {@code sql}, lexing no further. */
    static List<Token> tokens(String sql, int max) {
        List<Token> tokens = new ArrayList<>();
        int n = sql.length();
        int i = 0;
        while (i < n && tokens.size() < max) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                while (i < n && sql.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int depth = 0;
                while (i < n) {
                    if (sql.startsWith("/*", i)) {
                        depth++;
                        i += 2;
                    } else if (sql.startsWith("*/", i)) {
                        depth--;
                        i += 2;
                        if (depth == 0) {
                            break;
                        }
                    } else {
                        i++;
                    }
                }
            } else if (c == '\'') {
                i = quoted(sql, i, i + 1, '\'', false, Token.Kind.STRING, tokens);
            } else if ((c == 'E' || c == 'e') && i + 1 < n && sql.charAt(i + 1) == '\'') {
                i = quoted(sql, i, i + 2, '\'', true, Token.Kind.STRING, tokens);
            } else if (c == '"') {
                i = quoted(sql, i, i + 1, '"', false, Token.Kind.QUOTED, tokens);
            } else if (c == '$' && dollarTagEnd(sql, i) > 0) {
                int tagEnd = dollarTagEnd(sql, i);
                String tag = sql.substring(i, tagEnd);
                int close = sql.indexOf(tag, tagEnd);
                int end = close < 0 ? n : close;
                tokens.add(new Token(Token.Kind.STRING, sql.substring(tagEnd, end), i));
                i = close < 0 ? n : close + tag.length();
            } else if (Character.isLetter(c) || c == '_' || c > 127) {
                int start = i;
                while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_'
                        || sql.charAt(i) == '$' || sql.charAt(i) > 127)) {
                    i++;
                }
                tokens.add(new Token(Token.Kind.WORD, sql.substring(start, i), start));
            } else if (Character.isDigit(c)) {
                int start = i;
                while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '.')) {
                    i++;
                }
                tokens.add(new Token(Token.Kind.NUMBER, sql.substring(start, i), start));
            } else if (c == ':' && i + 1 < n && sql.charAt(i + 1) == ':') {
                tokens.add(new Token(Token.Kind.SYMBOL, "::", i));
                i += 2;
            } else {
                tokens.add(new Token(Token.Kind.SYMBOL, String.valueOf(c), i));
                i++;
            }
        }
        return tokens;
    }

    private static int quoted(String sql, int start, int from, char quote, boolean escapes, Token.Kind kind,
            List<Token> out) {
        int n = sql.length();
        int close = sql.indexOf(quote, from);
        boolean plain = close >= 0 && (close + 1 >= n || sql.charAt(close + 1) != quote)
                && (!escapes || sql.lastIndexOf('\\', close) < from);
        if (plain) { // most strings: no doubled quote, no escape, so the text is a substring
            out.add(new Token(kind, sql.substring(from, close), start));
            return close + 1;
        }
        StringBuilder text = new StringBuilder();
        int i = from;
        while (i < n) {
            char c = sql.charAt(i);
            if (escapes && c == '\\' && i + 1 < n) {
                text.append(sql.charAt(i + 1));
                i += 2;
            } else if (c == quote) {
                if (i + 1 < n && sql.charAt(i + 1) == quote) {
                    text.append(quote);
                    i += 2;
                } else {
                    i++;
                    break;
                }
            } else {
                text.append(c);
                i++;
            }
        }
        out.add(new Token(kind, text.toString(), start));
        return i;
    }

    private static int dollarTagEnd(String sql, int i) {
        int j = i + 1;
        int n = sql.length();
        if (j < n && sql.charAt(j) == '$') {
            return j + 1;
        }
        if (j >= n || !(Character.isLetter(sql.charAt(j)) || sql.charAt(j) == '_')) {
            return -1;
        }
        while (j < n && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_')) {
            j++;
        }
        return j < n && sql.charAt(j) == '$' ? j + 1 : -1;
    }
}
