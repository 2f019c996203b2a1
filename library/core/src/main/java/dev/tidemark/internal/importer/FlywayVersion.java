package dev.tidemark.internal.importer;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * A Flyway version ({@code 1}, {@code 1.1}, {@code 2_0_1}), ordered as Flyway orders them: part by part,
 * numerically, trailing zeros ignored ({@code 1.0} is {@code 1}).
 */
public record FlywayVersion(String text, List<BigInteger> parts) implements Comparable<FlywayVersion> {

    /** Parses the version of a file name or a history row; underscores separate parts, as dots do. */
    public static FlywayVersion parse(String text) {
        String normalized = text.replace('_', '.');
        List<BigInteger> parts = new ArrayList<>();
        for (String part : normalized.split("\\.", -1)) {
            if (part.isEmpty() || !part.chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException("not a Flyway version: " + text);
            }
            parts.add(new BigInteger(part));
        }
        while (parts.size() > 1 && parts.get(parts.size() - 1).signum() == 0) {
            parts.remove(parts.size() - 1);
        }
        return new FlywayVersion(normalized, List.copyOf(parts));
    }

    @Override
    public int compareTo(FlywayVersion other) {
        for (int i = 0; i < Math.max(parts.size(), other.parts.size()); i++) {
            BigInteger a = i < parts.size() ? parts.get(i) : BigInteger.ZERO;
            BigInteger b = i < other.parts.size() ? other.parts.get(i) : BigInteger.ZERO;
            int c = a.compareTo(b);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof FlywayVersion v && v.parts.equals(parts);
    }

    @Override
    public int hashCode() {
        return parts.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
