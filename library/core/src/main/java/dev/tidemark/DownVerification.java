package dev.tidemark;

import java.util.List;

/**
 * What {@link Migrator#verifyDown(VerifyDownRequest)} found: per migration checked, in apply order, whether its
 * {@code down.sql} undoes it.
 *
 * @param checks one per migration checked; empty when no migration has a {@code down.sql}
 * @since 0.2
 */
public record DownVerification(List<Check> checks) {

    public DownVerification {
        checks = List.copyOf(checks);
    }

    /** How many checks had this outcome. */
    public long count(Outcome outcome) {
        return checks.stream().filter(c -> c.outcome() == outcome).count();
    }

    /** Whether every migration checked is reversible. */
    public boolean allReversible() {
        return count(Outcome.REVERSIBLE) == checks.size();
    }

    /** The outcome of one migration's round trip. */
    public enum Outcome {
        /** up, down, up again: the schema after down equals the one before up, and after up again the one after up. */
        REVERSIBLE,
        /** Both scripts ran, but a schema differs: {@link Check#differences()} lists how. */
        LEAVES_DIFFERENCES,
        /** The down script (or up, run again after it) failed: {@link Check#error()} names the file and line. */
        FAILS
    }

    /**
     * One migration's round trip.
     *
     * @param migration   the migration's directory name
     * @param outcome     what happened
     * @param differences for {@link Outcome#LEAVES_DIFFERENCES}: one line per difference, in the form of
     *                    {@link SchemaDiff#summary()}, from the expected schema to the one found ({@code +} found
     *                    only after down, {@code -} missing after down, {@code ~} different); lines about the second
     *                    up start with {@code after up again:}; empty otherwise
     * @param error       for {@link Outcome#FAILS}: {@code file:line: message}; else null
     */
    public record Check(String migration, Outcome outcome, List<String> differences, String error) {

        public Check {
            differences = List.copyOf(differences);
        }
    }
}
