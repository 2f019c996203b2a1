package dev.tidemark.internal.rollback;

import dev.tidemark.ErrorCode;
import dev.tidemark.MigrationFailedException;
import dev.tidemark.RollbackRequest;
import dev.tidemark.RollbackResult;
import dev.tidemark.RolledBackMigration;
import dev.tidemark.TidemarkException;
import dev.tidemark.internal.history.HistoryRow;
import dev.tidemark.internal.history.HistoryTable;
import dev.tidemark.internal.source.LocalMigration;
import dev.tidemark.internal.sql.MigrationPlan;
import dev.tidemark.internal.sql.MigrationRunner;
import dev.tidemark.internal.sql.SessionState;
import dev.tidemark.internal.sql.SqlStatement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Rolls back the newest applied migrations with their down scripts, on a connection that holds the migration lock.
 *
 * <p>Everything that can refuse the rollback is checked before the first down script runs: the history must hold
 * no failed migration; each migration to roll back must be applied, have a down script, and (unless forced) have an
 * unchanged {@code migration.sql}; every down script must split, plan and parse. Then each runs, newest first, by
 * the runner's rules (one transaction, or autocommit by the same detection and directive as {@code migration.sql}),
 * and its history row gets {@code rolled_back_at}: nothing is deleted, and the next deploy applies it again.
 */
public final class Rollback {

    private static final Logger log = LoggerFactory.getLogger("dev.tidemark");

    private final HistoryTable history;
    private final MigrationRunner runner;
    private final String target;
    private final String location;

    public Rollback(HistoryTable history, MigrationRunner runner, String target, String location) {
        this.history = history;
        this.runner = runner;
        this.target = target;
        this.location = location;
    }

    /** One migration to roll back: its applied row, the local migration, and its planned down script. */
    private record Step(HistoryRow row, LocalMigration migration, LocalMigration down, List<SqlStatement> statements,
            MigrationPlan plan) {
        boolean inTransaction() {
            return plan.transactional();
        }
    }

    /**
     * Checks and runs the rollback. {@code session} prepares the connection's session state before the first down
     * script runs (and returns the same state after).
     */
    public RollbackResult run(Connection connection, List<LocalMigration> local, RollbackRequest request,
            long startNanos, Supplier<SessionState> session) {
        List<HistoryRow> rows = history.read(connection).orElse(List.of());
        refuseFailed(rows);
        List<HistoryRow> applied = appliedNewestFirst(rows);
        List<HistoryRow> chosen = choose(applied, local, request);
        Map<String, LocalMigration> byName = new HashMap<>();
        local.forEach(m -> byName.put(m.name(), m));

        List<String> warnings = new ArrayList<>();
        List<Step> steps = plan(chosen, byName, request.force(), warnings,
                MigrationPlan.serverMajorVersion(connection));
        SyntaxCheck.check(connection, steps.stream().map(Step::down).toList(),
                steps.stream().map(Step::statements).toList());
        int stillApplied = applied.size() - steps.size();

        List<RolledBackMigration> done = new ArrayList<>();
        if (request.dryRun()) {
            for (Step step : steps) {
                done.add(new RolledBackMigration(step.migration().name(), step.down().file(),
                        step.statements().size(), step.inTransaction(), Duration.ZERO));
            }
            log.info("Dry run: would roll back {} migration(s) of {}: {}; nothing was changed", steps.size(), target,
                    String.join(", ", steps.stream().map(s -> s.migration().name()).toList()));
            return new RollbackResult(done, true, stillApplied, warnings, since(startNanos));
        }
        for (Step step : steps) {
            long start = System.nanoTime();
            int count;
            try {
                count = runner.rollBack(connection, session.get(), step.down(), step.plan(), step.row().id());
            } catch (MigrationFailedException e) {
                throw withEarlier(e, done);
            }
            Duration took = since(start);
            log.info("Rolled back {} with {} ({} statement(s){}) in {} ms", step.migration().name(),
                    step.down().file(), count, step.inTransaction() ? "" : ", without a transaction",
                    took.toMillis());
            done.add(new RolledBackMigration(step.migration().name(), step.down().file(), count,
                    step.inTransaction(), took));
        }
        Duration took = since(startNanos);
        if (done.isEmpty()) {
            log.info("Nothing to roll back in {}: no migration is applied after {}", target, request.to());
        } else {
            log.info("Rolled back {} migration(s) in {} in {} ms; the next deploy applies them again", done.size(),
                    target, took.toMillis());
        }
        return new RollbackResult(done, false, stillApplied, warnings, took);
    }

    private void refuseFailed(List<HistoryRow> rows) {
        for (HistoryRow row : rows) {
            // As for deploys, any unresolved failed row counts, even beside an applied row of the same migration.
            if (row.isFailed()) {
                throw new TidemarkException(ErrorCode.FAILED_MIGRATION_PRESENT, "Refusing to roll back " + target
                        + ": the migration " + row.migrationName() + " started at " + row.startedAt() + " and failed,"
                        + " and rolling back past it would leave its partial changes on top of older migrations'"
                        + " undone ones. Settle it first: deploy again if it was interrupted (it resumes), or undo its"
                        + " partial changes and run 'tidemark resolve --rolled-back " + row.migrationName()
                        + "' (or complete them and run 'tidemark resolve --applied " + row.migrationName() + "'),"
                        + " then roll back. Nothing was rolled back.");
            }
        }
    }

    /** The applied rows, the most recently applied first. */
    private static List<HistoryRow> appliedNewestFirst(List<HistoryRow> rows) {
        Map<String, HistoryRow> latest = new HashMap<>();
        for (HistoryRow row : rows) {
            if (row.isApplied()) {
                latest.merge(row.migrationName(), row, (a, b) -> finished(a).isAfter(finished(b)) ? a : b);
            }
        }
        List<HistoryRow> applied = new ArrayList<>(latest.values());
        applied.sort(Comparator.comparing(Rollback::finished).thenComparing(HistoryRow::startedAt)
                .thenComparing(HistoryRow::migrationName).reversed());
        return applied;
    }

    private static Instant finished(HistoryRow row) {
        return row.finishedAt() != null ? row.finishedAt() : row.startedAt();
    }

    private List<HistoryRow> choose(List<HistoryRow> applied, List<LocalMigration> local, RollbackRequest request) {
        if (request.to() == null) {
            if (request.steps() > applied.size()) {
                throw new TidemarkException(ErrorCode.ROLLBACK_REFUSED, "Cannot roll back " + request.steps()
                        + " migration(s) of " + target + ": only " + applied.size() + " " + (applied.size() == 1
                                ? "is" : "are") + " applied. Roll back " + applied.size() + " at most (check with"
                        + " 'tidemark status'). Nothing was rolled back.");
            }
            return applied.subList(0, request.steps());
        }
        String to = request.to();
        for (int i = 0; i < applied.size(); i++) {
            if (applied.get(i).migrationName().equals(to)) {
                return applied.subList(0, i);
            }
        }
        if (local.stream().anyMatch(m -> m.name().equals(to))) {
            throw new TidemarkException(ErrorCode.ROLLBACK_REFUSED, "Cannot roll back to " + to + ": it is not"
                    + " applied to " + target + ", so there is no point in its history to return to. Name an"
                    + " applied migration (see 'tidemark status'), or give a number of steps instead. Nothing was"
                    + " rolled back.");
        }
        throw new TidemarkException(ErrorCode.MIGRATION_NOT_FOUND, "Cannot roll back to " + to + ": no migration of"
                + " that name is in " + location + " or applied to " + target + ". Use the name of a migration"
                + " directory, as 'tidemark status' lists them. Nothing was rolled back.");
    }

    private List<Step> plan(List<HistoryRow> chosen, Map<String, LocalMigration> byName, boolean force,
            List<String> warnings, int serverVersion) {
        List<String> missingLocally = new ArrayList<>();
        List<String> withoutDown = new ArrayList<>();
        List<String> modified = new ArrayList<>();
        for (HistoryRow row : chosen) {
            LocalMigration migration = byName.get(row.migrationName());
            if (migration == null) {
                missingLocally.add(row.migrationName());
            } else if (migration.downScript().isEmpty()) {
                withoutDown.add(migration.name() + " (" + downFileFor(migration) + ")");
            } else if (!migration.matches(row.checksum())) {
                modified.add(migration.name() + " (recorded checksum " + row.checksum() + ", file checksum "
                        + migration.checksum() + ")");
            }
        }
        if (!missingLocally.isEmpty()) {
            throw new TidemarkException(ErrorCode.ROLLBACK_REFUSED, "Cannot roll back " + String.join(", ",
                    missingLocally) + ": applied to " + target + " but missing from " + location + ", so there is"
                    + " no down script to run. Restore the migration directory (with its down.sql) from version"
                    + " control. Nothing was rolled back.");
        }
        if (!withoutDown.isEmpty()) {
            throw new TidemarkException(ErrorCode.ROLLBACK_REFUSED, "Cannot roll back: " + (withoutDown.size() == 1
                    ? "the migration " : "the migrations ") + String.join(", ", withoutDown) + (withoutDown.size() == 1
                            ? " has" : " have") + " no down script. Write the SQL that reverses "
                    + (withoutDown.size() == 1 ? "it" : "each") + " in down.sql beside its migration.sql (or set the"
                    + " down directory to your folder of <migration>.sql files), or roll back fewer migrations. Nothing"
                    + " was rolled back.");
        }
        if (!modified.isEmpty()) {
            String list = String.join(", ", modified);
            if (!force) {
                throw new TidemarkException(ErrorCode.ROLLBACK_REFUSED, "Cannot roll back: migration.sql of "
                        + list + " changed since it was applied, so its down script may not reverse what actually"
                        + " ran. Restore the file as it was applied (git checkout) and roll back, or, if the change"
                        + " does not matter to the rollback, roll back with force (RollbackRequest.withForce(true))."
                        + " Nothing was rolled back.");
            }
            String warning = "Rolling back modified migration(s) with force: " + list + ".";
            log.warn("{}: {}", target, warning);
            warnings.add(warning);
        }
        List<Step> steps = new ArrayList<>(chosen.size());
        List<String> empty = new ArrayList<>();
        for (HistoryRow row : chosen) {
            LocalMigration migration = byName.get(row.migrationName());
            LocalMigration down = migration.down().orElseThrow();
            // Splitting and planning refuse a malformed script with its file, line and column.
            List<SqlStatement> statements = MigrationPlan.statements(down);
            MigrationPlan plan = MigrationPlan.of(down, statements, serverVersion);
            if (statements.isEmpty()) {
                empty.add(down.file());
            }
            steps.add(new Step(row, migration, down, statements, plan));
        }
        if (!empty.isEmpty()) {
            throw new TidemarkException(ErrorCode.ROLLBACK_REFUSED, "Cannot roll back: " + String.join(", ", empty)
                    + (empty.size() == 1 ? " holds" : " hold") + " no statement (as 'tidemark create --with-down'"
                    + " leaves it), so rolling back would only mark the migration pending. Write the SQL that"
                    + " reverses the migration; if there really is nothing to reverse, write SELECT 1; to say so."
                    + " Nothing was rolled back.");
        }
        return steps;
    }

    private static String downFileFor(LocalMigration migration) {
        String file = migration.file();
        int slash = file.lastIndexOf('/');
        return (slash < 0 ? "" : file.substring(0, slash + 1)) + "down.sql";
    }

    /** A failure's message, plus what this rollback had already rolled back before it. */
    private static MigrationFailedException withEarlier(MigrationFailedException e, List<RolledBackMigration> done) {
        if (done.isEmpty()) {
            return e;
        }
        MigrationFailedException.Builder copy = e.toBuilder();
        String message = e.getMessage().startsWith("[" + e.code().id() + "] ")
                ? e.getMessage().substring(e.code().id().length() + 3) : e.getMessage();
        return copy.message(message + " Before it, this rollback rolled back "
                + String.join(", ", done.stream().map(RolledBackMigration::name).toList()) + ", which stay rolled"
                + " back (pending: the next deploy applies them again).").build();
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
