package dev.tidemark;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps secrets out of printed text: the one redactor that the library, the CLI and the Spring Boot starter use.
 *
 * <p>{@link #maskUrl(String)} finds a URL's password even when it was not percent-encoded (it may then hold
 * {@code @ : / ? %}), {@link #maskSecrets(String)} does that for every URL and {@code password=} parameter in any
 * text, and {@link #maskLiterals(String)} hides the string literals of SQL text, such as another session's
 * {@code ALTER ROLE ... PASSWORD '...'} seen in {@code pg_stat_activity}.
 *
 * @since 0.1
 */
public final class Redaction {

    /** What a secret is replaced with. */
    public static final String MASK = "****";

    /** What a string literal of SQL text is replaced with by {@link #maskLiterals(String)}. */
    public static final String LITERAL = "'…'";

    private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://");
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)((?:ssl)?password=)[^&\\s\"']*");

    private Redaction() {
    }

    /**
     * The URL with its password (between the user's {@code :} and the {@code @} before the host) and any
     * {@code password=} parameter replaced by {@value #MASK}. A password that was not percent-encoded is masked
     * whole: the host is taken to start after the last {@code @} before the query.
     *
     * @param url a URL, or null
     * @return the masked URL; null for null
     */
    public static String maskUrl(String url) {
        if (url == null) {
            return null;
        }
        int[] span = passwordSpan(url, 0, url.length());
        String masked = span == null ? url : url.substring(0, span[0]) + MASK + url.substring(span[1]);
        return PASSWORD_PARAMETER.matcher(masked).replaceAll("$1" + MASK);
    }

    /**
     * Any text with the password of every URL in it (a URL runs to the next whitespace or {@code "}) and every
     * {@code password=} parameter replaced by {@value #MASK}.
     *
     * @param text any text, or null
     * @return the masked text; null for null
     */
    public static String maskSecrets(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(text.length());
        Matcher scheme = SCHEME.matcher(text);
        int copied = 0;
        while (scheme.find(copied)) {
            int end = scheme.end();
            // a URL ends at whitespace or a double quote (JSON output: never mask across a field boundary)
            while (end < text.length() && !Character.isWhitespace(text.charAt(end)) && text.charAt(end) != '"') {
                end++;
            }
            int[] span = passwordSpan(text, scheme.start(), end);
            if (span == null) {
                out.append(text, copied, end);
            } else {
                out.append(text, copied, span[0]).append(MASK).append(text, span[1], end);
            }
            copied = end;
        }
        out.append(text, copied, text.length());
        return PASSWORD_PARAMETER.matcher(out).replaceAll("$1" + MASK);
    }

    /**
     * SQL text with every string literal ({@code '...'}, {@code E'...'}, {@code U&'...'}, {@code B'...'},
     * {@code X'...'}) and every dollar-quoted body ({@code $$...$$}, {@code $tag$...$tag$}) replaced by
     * {@value #LITERAL}; an unterminated one (text cut short) is masked to the end. Identifiers, keywords and
     * comments are kept, so the statement stays recognisable.
     *
     * @param sql SQL text, or null
     * @return the text without literals; null for null
     */
    public static String maskLiterals(String sql) {
        if (sql == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(sql.length());
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '\'') {
                boolean escapes = i > 0 && (sql.charAt(i - 1) == 'E' || sql.charAt(i - 1) == 'e')
                        && (i < 2 || !isIdentifierPart(sql.charAt(i - 2)));
                i = endOfQuoted(sql, i + 1, escapes);
                out.append(LITERAL);
            } else if (c == '"') {
                int end = sql.indexOf('"', i + 1);
                while (end >= 0 && end + 1 < n && sql.charAt(end + 1) == '"') {
                    end = sql.indexOf('"', end + 2);
                }
                end = end < 0 ? n : end + 1;
                out.append(sql, i, end);
                i = end;
            } else if (c == '$' && (i == 0 || !isIdentifierPart(sql.charAt(i - 1)))) {
                int tagEnd = i + 1;
                while (tagEnd < n && isTagPart(sql.charAt(tagEnd)) && !Character.isDigit(sql.charAt(i + 1))) {
                    tagEnd++;
                }
                if (tagEnd < n && sql.charAt(tagEnd) == '$') {
                    String tag = sql.substring(i, tagEnd + 1);
                    int close = sql.indexOf(tag, tagEnd + 1);
                    i = close < 0 ? n : close + tag.length();
                    out.append(LITERAL);
                } else {
                    out.append(c);
                    i++;
                }
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                int end = sql.indexOf('\n', i);
                end = end < 0 ? n : end;
                out.append(sql, i, end);
                i = end;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** The index just past the closing quote of a literal whose text starts at {@code from}; the end if none. */
    private static int endOfQuoted(String sql, int from, boolean backslashEscapes) {
        int i = from;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (backslashEscapes && c == '\\') {
                i += 2;
            } else if (c == '\'') {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == '\'') {
                    i += 2;
                } else {
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        return sql.length();
    }

    private static boolean isTagPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }

    private static boolean isIdentifierPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }

    /**
     * Where the password of the URL in {@code text[start, end)} is: from after the user's colon to the {@code @}
     * before the host, or null if it has none. The user name cannot hold {@code : / @ ?} unencoded; the password
     * can, so the host starts after the last {@code @} before the query, or, when there is none (a {@code ?} in the
     * password may have cut the authority short), after the last {@code @} of the URL.
     */
    static int[] passwordSpan(String text, int start, int end) {
        int scheme = text.indexOf("://", start);
        if (scheme < 0 || scheme >= end) {
            return null;
        }
        int i = scheme + 3;
        while (i < end && ":/@?#".indexOf(text.charAt(i)) < 0) {
            i++;
        }
        if (i >= end || text.charAt(i) != ':') {
            return null;
        }
        int from = i + 1;
        int query = text.indexOf('?', from);
        query = query < 0 || query >= end ? end : query;
        int at = text.lastIndexOf('@', query - 1);
        if (at < from) {
            // No @ before the query: host:port, unless a '?' in the password ended the authority early. An @ in the
            // query is rare, a '?' in a password is not, so the later @ counts (at worst, more is masked).
            at = text.lastIndexOf('@', end - 1);
            if (at < from) {
                return null;
            }
        }
        return new int[] {from, at};
    }
}
