package dev.tidemark.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** Just enough JSON writing for the CLI's results and log lines; no library, for start-up time. */
public final class Json {

    private final StringBuilder out = new StringBuilder(256);
    private boolean first = true;

    private Json() {
    }

    /** Starts an object; fields are appended in call order. */
    public static Json object() {
        Json json = new Json();
        json.out.append('{');
        return json;
    }

    public Json field(String name, String value) {
        return raw(name, value == null ? "null" : quote(value));
    }

    public Json field(String name, long value) {
        return raw(name, Long.toString(value));
    }

    /** A number, or {@code null}. */
    public Json field(String name, Long value) {
        return raw(name, value == null ? "null" : value.toString());
    }

    public Json field(String name, boolean value) {
        return raw(name, Boolean.toString(value));
    }

    public Json field(String name, Instant value) {
        return field(name, value == null ? null : value.toString());
    }

    public Json millis(String name, Duration value) {
        return field(name, value == null ? 0 : value.toMillis());
    }

    public Json field(String name, Json value) {
        return raw(name, value == null ? "null" : value.toString());
    }

    public Json strings(String name, List<String> values) {
        StringBuilder array = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) {
            array.append(i == 0 ? "" : ",").append(quote(values.get(i)));
        }
        return raw(name, array.append(']').toString());
    }

    public Json objects(String name, List<Json> values) {
        StringBuilder array = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) {
            array.append(i == 0 ? "" : ",").append(values.get(i));
        }
        return raw(name, array.append(']').toString());
    }

    private Json raw(String name, String value) {
        out.append(first ? "" : ",").append(quote(name)).append(':').append(value);
        first = false;
        return this;
    }

    @Override
    public String toString() {
        return out + "}";
    }

    /** A JSON string literal. */
    public static String quote(String value) {
        StringBuilder quoted = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                case '\r' -> quoted.append("\\r");
                case '\t' -> quoted.append("\\t");
                default -> {
                    if (c < 0x20) {
                        quoted.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }
}
