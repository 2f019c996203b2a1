package dev.tidemark.internal.schema;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Which column type changes keep every existing value, so that a diff need not warn about them. */
final class TypeConversions {

    private static final List<String> INTEGERS = List.of("smallint", "integer", "bigint");
    /** A built-in type with optional modifiers: base name, precision or length, scale, time zone. */
    private static final Pattern MODIFIED =
            Pattern.compile("^([a-z ]+?)(?:\\((\\d+)(?:,(\\d+))?\\))?( with(?:out)? time zone)?$");

    private TypeConversions() {
    }

    /** True when every value of type {@code from} converts to {@code to} without loss or failure. */
    static boolean isWidening(String from, String to) {
        if (from.equals(to) || to.equals("text")) {
            return true;
        }
        int a = INTEGERS.indexOf(from);
        int b = INTEGERS.indexOf(to);
        if (a >= 0 && (b > a || to.equals("numeric"))) {
            return true;
        }
        if (from.equals("real") && to.equals("double precision")) {
            return true;
        }
        Matcher f = MODIFIED.matcher(from);
        Matcher t = MODIFIED.matcher(to);
        if (!f.matches() || !t.matches()) {
            return false;
        }
        String fromBase = f.group(1) + (f.group(4) == null ? "" : f.group(4));
        String toBase = t.group(1) + (t.group(4) == null ? "" : t.group(4));
        if (fromBase.equals("character varying") && toBase.equals("character varying")) {
            return t.group(2) == null
                    || f.group(2) != null && Integer.parseInt(t.group(2)) >= Integer.parseInt(f.group(2));
        }
        if (fromBase.equals("numeric") && toBase.equals("numeric")) {
            if (t.group(2) == null) {
                return true;
            }
            if (f.group(2) == null) {
                return false;
            }
            int fromScale = f.group(3) == null ? 0 : Integer.parseInt(f.group(3));
            int toScale = t.group(3) == null ? 0 : Integer.parseInt(t.group(3));
            return toScale >= fromScale
                    && Integer.parseInt(t.group(2)) - toScale >= Integer.parseInt(f.group(2)) - fromScale;
        }
        if (fromBase.equals(toBase) && (fromBase.startsWith("timestamp") || fromBase.startsWith("time"))) {
            int fromPrecision = f.group(2) == null ? 6 : Integer.parseInt(f.group(2));
            int toPrecision = t.group(2) == null ? 6 : Integer.parseInt(t.group(2));
            return toPrecision >= fromPrecision;
        }
        return false;
    }
}
