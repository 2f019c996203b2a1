package dev.tidemark;

import java.util.Locale;

/**
 * How serious a {@link LintFinding} is, from least to most. {@code tidemark lint --fail-on} and
 * {@code deploy --lint=error} compare against it.
 *
 * @since 0.1
 */
public enum LintSeverity {
    /** A convention worth following (the hygiene rules, off by default). */
    INFO,
    /** Locks or work a busy table may feel; often acceptable on small tables. */
    WARNING,
    /** Blocks the running application, breaks it, or fails on a table that holds rows. */
    ERROR;

    /** The severity named {@code info}, {@code warning} or {@code error} (any case). */
    public static LintSeverity parse(String name) {
        String value = name == null ? "" : name.strip().toUpperCase(Locale.ROOT);
        if (value.equals("WARN")) {
            return WARNING;
        }
        try {
            return valueOf(value);
        } catch (IllegalArgumentException e) {
            throw new TidemarkException(ErrorCode.CONFIGURATION_INVALID, "'" + name + "' is not a lint severity;"
                    + " use info, warning or error.");
        }
    }

    /** The lower-case name, as written in the README, the JSON and the command line. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
