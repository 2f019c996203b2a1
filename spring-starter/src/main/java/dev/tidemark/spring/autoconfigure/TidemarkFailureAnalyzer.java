package dev.tidemark.spring.autoconfigure;

import dev.tidemark.TidemarkException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a {@link TidemarkException} that stopped startup into Spring Boot's "APPLICATION FAILED TO START" report: the
 * exception's own paragraph, and an action chosen by its {@link dev.tidemark.ErrorCode}.
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
            case FAILED_MIGRATION_PRESENT, MIGRATION_FAILED -> "Fix the migration, then mark the failed run with"
                    + " 'tidemark resolve --rolled-back <name>' (or '--applied' if you completed it by hand) and"
                    + " restart.";
            case MODIFIED_MIGRATION -> "Restore the applied migration's original file and put the change in a new"
                    + " migration, or set tidemark.strict=false to only warn.";
            case CONFIGURATION_INVALID, MIGRATIONS_NOT_FOUND, MIGRATIONS_INVALID -> "Check the tidemark.*"
                    + " properties (tidemark.locations, tidemark.url, tidemark.user) and the migrations folder.";
            case AUTHENTICATION_FAILED, DATABASE_UNREACHABLE, DATABASE_NOT_FOUND -> "Check that the database is up"
                    + " and that spring.datasource.* (or tidemark.url/user/password) point to it.";
            default -> "See the message above; set tidemark.mode=none to start without running Tidemark.";
        };
    }
}
