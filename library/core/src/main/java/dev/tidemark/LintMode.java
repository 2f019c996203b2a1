package dev.tidemark;

import java.util.Locale;

/**
 * What {@link Migrator#deploy()} does with the static lint findings of the migrations it is about to apply
 * ({@link Migrator.Builder#lint(LintMode)}).
 *
 * @since 0.1
 */
public enum LintMode {
    /** No lint. */
    OFF,
    /** Findings are logged as warnings before the first migration is applied (the default). */
    WARN,
    /** As {@link #WARN}, and a finding of severity {@link LintSeverity#ERROR} refuses the deploy before anything runs. */
    ERROR;

    /** The mode named {@code off}, {@code warn} or {@code error} (any case). */
    public static LintMode parse(String name) {
        try {
            return valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (RuntimeException e) {
            throw new TidemarkException(ErrorCode.CONFIGURATION_INVALID, "'" + name + "' is not a lint mode; use"
                    + " off, warn or error.");
        }
    }
}
