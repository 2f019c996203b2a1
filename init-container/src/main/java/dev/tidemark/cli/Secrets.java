package dev.tidemark.cli;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.regex.Pattern;

/**
 * Keeps passwords out of everything the CLI prints: the password of a database URL is registered as soon as the URL
 * is read, and {@link #mask(String)} runs over every log line, result and error message.
 */
public final class Secrets {

    private static final String MASK = "****";
    private static final Pattern URL_PASSWORD = Pattern.compile("(://[^:/@\\s]*:)[^@\\s]*@");
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)(password=)[^&\\s\"]*");
    private static final Set<String> known = new CopyOnWriteArraySet<>();

    private Secrets() {
    }

    /** Registers the password in a {@code postgresql://} or JDBC URL, in its raw and its percent-decoded form. */
    public static void registerUrl(String url) {
        if (url == null) {
            return;
        }
        int scheme = url.indexOf("://");
        int query = url.indexOf('?');
        if (scheme >= 0) {
            String beforeQuery = url.substring(scheme + 3, query < 0 ? url.length() : query);
            int at = beforeQuery.lastIndexOf('@');
            int colon = at < 0 ? -1 : beforeQuery.indexOf(':');
            if (colon >= 0 && colon < at) {
                register(beforeQuery.substring(colon + 1, at));
            }
        }
        if (query >= 0) {
            for (String pair : url.substring(query + 1).split("&")) {
                if (pair.regionMatches(true, 0, "password=", 0, 9)) {
                    register(pair.substring(9));
                }
            }
        }
    }

    /** Registers a secret; too short a value is masked only where it appears as a URL's password. */
    public static void register(String secret) {
        if (secret == null || secret.length() < 3) {
            return;
        }
        known.add(secret);
        try {
            String decoded = URLDecoder.decode(secret.replace("+", "%2B"), StandardCharsets.UTF_8);
            if (decoded.length() >= 3) {
                known.add(decoded);
            }
        } catch (IllegalArgumentException notEncoded) {
            // Not valid percent-encoding: the raw form is all there is.
        }
    }

    /** The text with URL passwords and every registered secret replaced by {@code ****}. */
    public static String mask(String text) {
        if (text == null) {
            return null;
        }
        String masked = URL_PASSWORD.matcher(text).replaceAll("$1" + MASK + "@");
        masked = PASSWORD_PARAMETER.matcher(masked).replaceAll("$1" + MASK);
        for (String secret : known) {
            masked = masked.replace(secret, MASK);
        }
        return masked;
    }
}
