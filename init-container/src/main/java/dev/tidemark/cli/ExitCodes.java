package dev.tidemark.cli;

import dev.tidemark.TidemarkException;

/** The process exit codes, documented in {@code tidemark help} and the README. Scripts rely on them: never renumber. */
public final class ExitCodes {

    /** The command did what was asked. */
    public static final int SUCCESS = 0;
    /** The command failed: a migration failed, a failed migration blocks deploys, a malformed folder, and so on. */
    public static final int FAILURE = 1;
    /**
     * The command line or the configuration is wrong (unknown option, missing DATABASE_URL, bad URL, no --force), or
     * a consent is missing (reset, push).
     */
    public static final int USAGE = 2;
    /** {@code lint}: findings at or above {@code --fail-on}; {@code deploy --lint=error}: refused by a finding. */
    public static final int LINT_FINDINGS = 2;
    /** {@code status --exit-code}: the database has pending or failed migrations. */
    public static final int NOT_UP_TO_DATE = 3;
    /** Another deployer held the migration lock for longer than the lock wait. */
    public static final int LOCK_TIMEOUT = 4;
    /** The database could not be reached (after {@code --wait-for-db}, if set). */
    public static final int DATABASE_UNREACHABLE = 5;

    private ExitCodes() {
    }

    /** Decided by the error's code, never by its message. */
    public static int of(TidemarkException e) {
        return switch (e.code()) {
            case LOCK_TIMEOUT -> LOCK_TIMEOUT;
            case DATABASE_UNREACHABLE -> DATABASE_UNREACHABLE;
            case CONFIGURATION_INVALID, RESET_REFUSED, PUSH_REFUSED -> USAGE;
            case LINT_REFUSED -> LINT_FINDINGS;
            default -> FAILURE;
        };
    }
}
