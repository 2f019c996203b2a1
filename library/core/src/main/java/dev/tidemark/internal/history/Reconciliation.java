package dev.tidemark.internal.history;

import dev.tidemark.MigrationInfo;
import dev.tidemark.MigrationState;
import dev.tidemark.internal.source.LocalMigration;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
        return List.copyOf(reconcile(local, rows, null));
    }

    /** As {@link #reconcile}, with each local migration paired with its state. */
    public static Result reconcileAll(List<LocalMigration> local, List<HistoryRow> rows) {
        List<Reconciled> reconciled = new ArrayList<>(local.size());
        return new Result(reconcile(local, rows, reconciled), reconciled);
    }

    private static List<MigrationInfo> reconcile(List<LocalMigration> local, List<HistoryRow> rows,
            List<Reconciled> reconciled) {
        // One entry per name, in history order; a local migration takes its runs out, so what stays is not local.
        Map<String, Runs> byName = new LinkedHashMap<>(rows.size() * 4 / 3 + 1);
        for (HistoryRow row : rows) {
            byName.computeIfAbsent(row.migrationName(), name -> new Runs()).add(row);
        }
        List<MigrationInfo> infos = new ArrayList<>(local.size() + byName.size());
        for (LocalMigration migration : local) {
            MigrationInfo info = info(migration.name(), migration, byName.remove(migration.name()));
            infos.add(info);
            if (reconciled != null) {
                reconciled.add(new Reconciled(migration, info));
            }
        }
        for (Map.Entry<String, Runs> notLocal : byName.entrySet()) {
            infos.add(info(notLocal.getKey(), null, notLocal.getValue()));
        }
        return infos;
    }

    /** The runs of one migration that decide its state, from its rows in history order. */
    private static final class Runs {
        HistoryRow applied;
        HistoryRow failed;
        HistoryRow last;

        void add(HistoryRow row) {
            last = row;
            if (row.isApplied()) {
                applied = row;
            } else if (row.isFailed()) {
                failed = row;
            }
        }
    }

    private static MigrationInfo info(String name, LocalMigration migration, Runs runs) {
        HistoryRow applied = runs == null ? null : runs.applied;
        HistoryRow failed = runs == null ? null : runs.failed;
        HistoryRow last = runs == null ? null : runs.last;
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
        String checksum = migration == null ? null : migration.checksum();
        return shown == null ? new MigrationInfo(name, state, checksum, null, null, null, null, 0, null)
                : new MigrationInfo(name, state, checksum, shown.checksum(), shown.startedAt(), shown.finishedAt(),
                        shown.rolledBackAt(), shown.appliedStepsCount(), shown.logs());
    }
}
