package dev.tidemark.spring.actuate;

import dev.tidemark.AppliedMigration;
import dev.tidemark.MigrationInfo;
import dev.tidemark.Migrator;
import dev.tidemark.spring.autoconfigure.TidemarkInitializer;
import dev.tidemark.spring.autoconfigure.TidemarkStartup;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.context.ApplicationContext;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Read-only actuator endpoint {@code tidemark}: every {@link Migrator} bean's migrations with their state and
 * timings, what ran at startup, and the last deploy events. Reads the history table; takes no lock and writes nothing.
 *
 * @since 0.1
 */
@Endpoint(id = "tidemark")
public class TidemarkEndpoint {

    private final ApplicationContext context;

    public TidemarkEndpoint(ApplicationContext context) {
        this.context = context;
    }

    @ReadOperation
    public TidemarkReport migrations() {
        Map<String, ContextReport> contexts = new LinkedHashMap<>();
        for (ApplicationContext target = context; target != null; target = target.getParent()) {
            contexts.put(target.getId(), describe(target));
        }
        return new TidemarkReport(contexts);
    }

    private static ContextReport describe(ApplicationContext context) {
        StartupReport startup = context.getBeansOfType(TidemarkInitializer.class, false, false).values().stream()
                .map(TidemarkInitializer::startup)
                .filter(Objects::nonNull)
                .findFirst()
                .map(StartupReport::of)
                .orElse(null);
        Map<String, MigratorReport> migrators = new LinkedHashMap<>();
        context.getBeansOfType(Migrator.class, false, false).forEach((name, migrator) -> migrators.put(name,
                new MigratorReport(migrator.schema(), migrator.status().migrations().stream()
                        .map(MigrationReport::of).toList())));
        List<RecentEvents.EventReport> events = context.getBeansOfType(RecentEvents.class, false, false).values()
                .stream().flatMap(recent -> recent.events().stream()).toList();
        return new ContextReport(startup, migrators, events,
                context.getParent() == null ? null : context.getParent().getId());
    }

    /**
     * The endpoint's response: this application context and its ancestors, by context id.
     *
     * @param contexts each context's report
     */
    public record TidemarkReport(Map<String, ContextReport> contexts) {
    }

    /**
     * One application context.
     *
     * @param startup   what ran at its startup, or {@code null}
     * @param migrators each Migrator bean, by bean name
     * @param events    the last deploy events ({@link RecentEvents}), oldest first; empty without that bean
     * @param parentId  the parent context's id, or {@code null}
     */
    public record ContextReport(StartupReport startup, Map<String, MigratorReport> migrators,
            List<RecentEvents.EventReport> events, String parentId) {
    }

    /**
     * One migrator's schema and migrations, in apply order.
     *
     * @param schema     the target schema
     * @param migrations the migrations
     */
    public record MigratorReport(String schema, List<MigrationReport> migrations) {
    }

    /**
     * One migration.
     *
     * @param name              the migration directory's name
     * @param state             APPLIED, MODIFIED, PENDING, FAILED or MISSING_LOCALLY
     * @param checksum          the local file's checksum, or {@code null}
     * @param startedAt         when its last recorded run started, or {@code null}
     * @param finishedAt        when it finished, or {@code null}
     * @param durationMillis    finishedAt minus startedAt, or {@code null}
     * @param appliedStepsCount steps recorded by the last run
     * @param logs              the error of a failed run, or {@code null}
     */
    public record MigrationReport(String name, String state, String checksum, Instant startedAt, Instant finishedAt,
            Long durationMillis, int appliedStepsCount, String logs) {

        static MigrationReport of(MigrationInfo info) {
            Long millis = info.startedAt() != null && info.finishedAt() != null
                    ? Duration.between(info.startedAt(), info.finishedAt()).toMillis() : null;
            return new MigrationReport(info.name(), info.state().name(), info.checksum(), info.startedAt(),
                    info.finishedAt(), millis, info.appliedStepsCount(), info.logs());
        }
    }

    /**
     * What ran at startup.
     *
     * @param action         deploy, validate, none or strategy
     * @param outcome        success or failure
     * @param startedAt      when it started
     * @param durationMillis how long it took
     * @param applied        the migrations this startup applied, with their own duration in milliseconds
     */
    public record StartupReport(String action, String outcome, Instant startedAt, long durationMillis,
            Map<String, Long> applied) {

        static StartupReport of(TidemarkStartup startup) {
            Map<String, Long> applied = new LinkedHashMap<>();
            if (startup.result() != null) {
                for (AppliedMigration migration : startup.result().applied()) {
                    applied.put(migration.name(), migration.duration().toMillis());
                }
            }
            return new StartupReport(startup.action(), startup.outcome(), startup.started(),
                    startup.duration().toMillis(), applied);
        }
    }
}
