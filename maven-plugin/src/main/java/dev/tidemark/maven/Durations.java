package dev.tidemark.maven;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** Durations as the CLI and the starter read them: {@code 30s}, {@code 500ms}, {@code 2m}, {@code 1h}, {@code 0}, a
 * bare number of seconds, or ISO-8601 ({@code PT30S}). */
final class Durations {

    private Durations() {
    }

    static Duration parse(String value) {
        String text = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        try {
            Duration duration;
            if (text.startsWith("p")) {
                duration = Duration.parse(text.toUpperCase(Locale.ROOT));
            } else if (text.endsWith("ms")) {
                duration = Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2).strip()));
            } else {
                long amount = Long.parseLong(text.replaceAll("[smh]$", "").strip());
                duration = switch (text.charAt(text.length() - 1)) {
                    case 'm' -> Duration.ofMinutes(amount);
                    case 'h' -> Duration.ofHours(amount);
                    default -> Duration.ofSeconds(amount);
                };
            }
            if (duration.isNegative()) {
                throw new IllegalArgumentException("'" + value + "' is negative; a duration must be zero or more");
            }
            return duration;
        } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("'" + value + "' is not a duration; write it as 30s, 500ms, 2m, 1h"
                    + " or a number of seconds");
        }
    }
}
