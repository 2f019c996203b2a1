package dev.tidemark.spring.actuate;

import dev.tidemark.MigrationInfo;
import dev.tidemark.MigrationStatus;
import dev.tidemark.Migrator;
import dev.tidemark.TidemarkException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The health check itself, free of Spring Boot's health types (which moved between Boot 3 and 4): UP when no
 * migration is pending or failed, DOWN naming them otherwise.
 */
final class TidemarkHealth {

    private TidemarkHealth() {
    }

    /**
     * One read of the history table ({@link Migrator#status()}); takes no lock and writes nothing.
     *
     * @param up      whether the database is up to date
     * @param details what the health endpoint shows
     */
    record Check(boolean up, Map<String, Object> details) {
    }

    static Check check(Migrator migrator) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("schema", migrator.schema());
        MigrationStatus status;
        try {
            status = migrator.status();
        } catch (TidemarkException e) {
            details.put("error", e.getMessage());
            return new Check(false, details);
        }
        details.put("applied", status.applied().size());
        putNames(details, "failed", status.failed());
        putNames(details, "pending", status.pending());
        putNames(details, "modified", status.modified());
        putNames(details, "missingLocally", status.missingLocally());
        return new Check(status.upToDate(), details);
    }

    private static void putNames(Map<String, Object> details, String key, List<MigrationInfo> migrations) {
        if (!migrations.isEmpty()) {
            details.put(key, migrations.stream().map(MigrationInfo::name).toList());
        }
    }
}
