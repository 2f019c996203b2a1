package dev.tidemark.internal.history;

import dev.tidemark.MigrationInfo;
import dev.tidemark.MigrationState;
import dev.tidemark.internal.source.LocalMigration;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compares the migrations folder with the history rows, the way Prisma Migrate does: a migration is applied when it
 * has a finished row that was not rolled back, failed when it has a row that neither finished nor was rolled back
 * (whatever other rows it has), rolled back when its last run was resolved as rolled back (the next deploy applies it
 * again), and pending otherwise.
 */
public final class Reconciliation {

    private Reconciliation() {
    }

    /** A local migration with its reconciled state. */
    public record Reconciled(LocalMigration migration, MigrationInfo info) {
    }

    /**
     * The outcome of a reconciliation.
     *
     * @param infos every migration: local ones in folder order, then those known only to the database
     * @param local the local migrations with their state, in folder order
     */
    public record Result(List<MigrationInfo> infos, List<Reconciled> local) {
        public Result {
            infos = List.copyOf(infos);
            local = List.copyOf(local);
        }
    }

    /** Local migrations in folder order, then migrations known only to the database in history order. */
    public static List<MigrationInfo> reconcile(List<LocalMigration> local, List<HistoryRow> rows) {
        return reconcileAll(local, rows).infos();
    }

    /** As {@link #reconcile}, with each local migration paired with its state. */
    public static Result reconcileAll(List<LocalMigration> local, List<HistoryRow> rows) {
        Map<String, List<HistoryRow>> byName = new LinkedHashMap<>();
        for (HistoryRow row : rows) {
            byName.computeIfAbsent(row.migrationName(), k -> new ArrayList<>(1)).add(row);
        }
        Set<String> localNames = new HashSet<>();
        List<MigrationInfo> result = new ArrayList<>(local.size() + 4);
        List<Reconciled> reconciled = new ArrayList<>(local.size());
        for (LocalMigration migration : local) {
            localNames.add(migration.name());
            MigrationInfo info = info(migration.name(), migration, byName.getOrDefault(migration.name(), List.of()));
            result.add(info);
            reconciled.add(new Reconciled(migration, info));
        }
        for (Map.Entry<String, List<HistoryRow>> entry : byName.entrySet()) {
            if (!localNames.contains(entry.getKey())) {
                result.add(info(entry.getKey(), null, entry.getValue()));
            }
        }
        return new Result(result, reconciled);
    }

    private static MigrationInfo info(String name, LocalMigration migration, List<HistoryRow> rows) {
        HistoryRow applied = null;
        HistoryRow failed = null;
        HistoryRow last = null;
        for (HistoryRow row : rows) {
            last = row;
            if (row.isApplied()) {
                applied = row;
            } else if (row.isFailed()) {
                failed = row;
            }
        }
        MigrationState state;
        HistoryRow shown;
        if (failed != null) {
            // Any unresolved failed row blocks deploys, as in Prisma, even beside an applied row.
            state = MigrationState.FAILED;
            shown = failed;
        } else if (applied != null) {
            shown = applied;
            if (migration == null) {
                state = MigrationState.MISSING_LOCALLY;
            } else {
                state = migration.matches(applied.checksum()) ? MigrationState.APPLIED : MigrationState.MODIFIED;
            }
        } else {
            state = last != null && last.rolledBackAt() != null ? MigrationState.ROLLED_BACK
                    : MigrationState.PENDING;
            shown = last;
        }
        MigrationInfo.Builder info = MigrationInfo.builder(name, state)
                .checksum(migration == null ? null : migration.checksum());
        if (shown != null) {
            info.appliedChecksum(shown.checksum()).startedAt(shown.startedAt()).finishedAt(shown.finishedAt())
                    .rolledBackAt(shown.rolledBackAt()).appliedStepsCount(shown.appliedStepsCount()).logs(shown.logs());
        }
        return info.build();
    }
}
