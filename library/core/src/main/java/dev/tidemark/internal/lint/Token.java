package dev.tidemark.internal.lint;

import java.util.Locale;

/**
 * One token of a statement, for the lint rules.
 *
 * @param kind   what it is
 * @param text   as written (a string's or quoted identifier's content unquoted, doubled quotes undone)
 * @param offset index of its first character in the statement text
 */
record Token(Kind kind, String text, int offset) {

    enum Kind { WORD, QUOTED, STRING, NUMBER, SYMBOL }

    /** Whether this is the unquoted word {@code keyword} (case-insensitive). */
    boolean is(String keyword) {
        return kind == Kind.WORD && text.equalsIgnoreCase(keyword);
    }

    boolean isSymbol(String symbol) {
        return kind == Kind.SYMBOL && text.equals(symbol);
    }

    boolean isName() {
        return kind == Kind.WORD || kind == Kind.QUOTED;
    }

    /** The name an identifier stands for: a quoted one verbatim, an unquoted one folded to lower case. */
    String name() {
        return kind == Kind.QUOTED ? text : text.toLowerCase(Locale.ROOT);
    }

    /** The upper-cased word, or the text of anything else. */
    String upper() {
        return kind == Kind.WORD ? text.toUpperCase(Locale.ROOT) : text;
    }
}
