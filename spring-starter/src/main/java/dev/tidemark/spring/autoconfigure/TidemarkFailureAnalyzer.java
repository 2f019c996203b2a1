package dev.tidemark.spring.autoconfigure;

import dev.tidemark.MigrationFailedException;
import dev.tidemark.TidemarkException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a {@link TidemarkException} that stopped startup into Spring Boot's "APPLICATION FAILED TO START" report: the
 * exception's own paragraph, and an action chosen by its {@link dev.tidemark.ErrorCode}, in a starter user's terms:
 * the {@code tidemark.*} properties, the {@code Migrator} API, or the CLI pointed at the same database.
 */
class TidemarkFailureAnalyzer extends AbstractFailureAnalyzer<TidemarkException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, TidemarkException cause) {
        return new FailureAnalysis(cause.getMessage(), action(cause), cause);
    }

    private static String action(TidemarkException cause) {
        return switch (cause.code()) {
            case NOT_UP_TO_DATE -> "Tidemark only validated the database (tidemark.mode=validate), so it applied"
                    + " nothing. Let the init container or migration Job deploy the migrations first (check its"
                    + " logs), or set tidemark.mode=deploy to migrate at startup.";
            case LOCK_TIMEOUT -> "Another instance or a migration Job is still migrating this database. Wait for it"
                    + " and restart, or raise tidemark.lock-wait (now too short for its migrations).";
            case FAILED_MIGRATION_PRESENT, MIGRATION_FAILED -> resolveFailed(cause instanceof MigrationFailedException
                    failed ? failed.migration() : "NAME");
            case MODIFIED_MIGRATION -> "Restore the applied migration's original file and put the change in a new"
                    + " migration, or set tidemark.strict=false to only warn.";
            case LINT_REFUSED -> "Rewrite the statement the message names in its safe form, suppress the finding with"
                    + " -- tidemark:lint-ignore RULE-ID reason on the line before it, or set tidemark.lint=warn to"
                    + " only log lint findings.";
            case LINT_IGNORE_INVALID -> "Fix the -- tidemark:lint-ignore comment the message names (file and line),"
                    + " or set tidemark.lint=warn.";
            case CONFIGURATION_INVALID, MIGRATIONS_NOT_FOUND, MIGRATIONS_INVALID -> "Check the tidemark.*"
                    + " properties (tidemark.locations, tidemark.url, tidemark.user) and the migrations folder.";
            case AUTHENTICATION_FAILED, DATABASE_UNREACHABLE, DATABASE_NOT_FOUND -> "Check that the database is up"
                    + " and that spring.datasource.* (or tidemark.url/user/password) point to it.";
            default -> "See the message above; set tidemark.mode=none to start without running Tidemark.";
        };
    }

    /** The three ways a starter user can resolve a failed migration, each a complete instruction. */
    private static String resolveFailed(String name) {
        String shown = name.equals("NAME") ? "NAME (the migration named above)" : name;
        return "The database records " + shown + " as failed, and no migration runs until that is resolved."
                + " Fix the migration file, or undo the changes it made before failing, then mark its run as rolled"
                + " back, so that the next startup applies it again (if you completed its changes by hand instead,"
                + " record it as applied: resolveApplied, --applied). Any one of these (the folder shown is the"
                + " default; use your tidemark.locations):\n"
                + "  - from Java, with the Migrator API on the same database: Migrator.builder().dataSource(dataSource)"
                + ".location(\"classpath:db/migrations\").build().resolveRolledBack(\"" + name + "\");\n"
                + "  - in this application: start it once with tidemark.mode=none and call"
                + " resolveRolledBack(\"" + name + "\") on its Migrator bean;\n"
                + "  - with the tidemark CLI pointed at the same database and folder:"
                + " DATABASE_URL='postgresql://USER:PASSWORD@HOST:5432/DB?schema=SCHEMA' tidemark resolve"
                + " --rolled-back " + name + " --migrations src/main/resources/db/migrations\n"
                + "Then restart the application.";
    }
}
