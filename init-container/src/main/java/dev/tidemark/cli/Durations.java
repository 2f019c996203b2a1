package dev.tidemark.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads durations as people write them: {@code 30s}, {@code 500ms}, {@code 2m}, {@code 1h}, a bare number of seconds,
 * or ISO-8601 ({@code PT30S}).
 */
public final class Durations implements ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    public static Duration parse(String value) {
        String text = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        try {
            if (text.startsWith("pt") || text.startsWith("p")) {
                return checked(Duration.parse(text.toUpperCase(Locale.ROOT)), value);
            }
            if (text.endsWith("ms")) {
                return checked(Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2).strip())), value);
            }
            long amount = Long.parseLong(text.replaceAll("[smh]$", "").strip());
            return checked(switch (text.charAt(text.length() - 1)) {
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                default -> Duration.ofSeconds(amount);
            }, value);
        } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
            throw new TypeConversionException("'" + value + "' is not a duration; write it as 30s, 500ms, 2m, 1h or"
                    + " a number of seconds");
        }
    }

    private static Duration checked(Duration duration, String value) {
        if (duration.isNegative()) {
            throw new TypeConversionException("'" + value + "' is negative; a duration must be zero or more");
        }
        return duration;
    }

    /** {@code 30s}, {@code 1m30s}, {@code 250ms}: the short form back. */
    public static String format(Duration duration) {
        if (duration.toMillis() < 1000) {
            return duration.toMillis() + "ms";
        }
        String iso = duration.toString().substring(2).toLowerCase(Locale.ROOT);
        return iso;
    }
}
