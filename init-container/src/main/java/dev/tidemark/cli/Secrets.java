package dev.tidemark.cli;

import dev.tidemark.Redaction;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * Keeps passwords out of everything the CLI prints: the password of a database URL is registered as soon as the URL
 * is read, and {@link #mask(String)} runs over every log line, result and error message. Where a URL's password is
 * comes from core's {@link Redaction}, the one redactor shared with the library and the Spring Boot starter; this
 * class adds the registered secrets, for the places a password appears without its URL (a driver echoing it).
 */
public final class Secrets {

    private static final Set<String> known = new CopyOnWriteArraySet<>();

    private Secrets() {
    }

    /**
     * Registers the password in a {@code postgresql://} or JDBC URL, in its raw and its percent-decoded form: exactly
     * the text {@link Redaction#maskUrl(String)} hides, so that what is masked in a URL is masked everywhere.
     */
    public static void registerUrl(String url) {
        if (url == null) {
            return;
        }
        String masked = Redaction.maskUrl(url);
        // maskUrl only replaces spans with MASK and keeps the rest as it is: line the two strings up to find them.
        int i = 0;
        int j = 0;
        while (true) {
            int mask = masked.indexOf(Redaction.MASK, j);
            if (mask < 0) {
                return;
            }
            i += mask - j;
            int resume = mask + Redaction.MASK.length();
            int nextMask = masked.indexOf(Redaction.MASK, resume);
            String between = masked.substring(resume, nextMask < 0 ? masked.length() : nextMask);
            int end = nextMask < 0 ? url.length() - between.length() : url.indexOf(between, i);
            if (end < i) {
                return;
            }
            register(url.substring(i, end));
            i = end;
            j = resume;
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
        String masked = Redaction.maskSecrets(text);
        for (String secret : known) {
            masked = masked.replace(secret, Redaction.MASK);
        }
        return masked;
    }
}
