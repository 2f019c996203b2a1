package dev.tidemark;

import java.util.List;

/**
 * The result of {@link Migrator#status()}: every migration known locally or in the database, in apply order.
 *
 * @param migrations        the migrations, local ones in folder order followed by those missing locally
 * @param historyTableFound whether the history table exists (a database never migrated has none)
 * @since 0.1
 */
public record MigrationStatus(List<MigrationInfo> migrations, boolean historyTableFound) {

    public MigrationStatus {
        migrations = List.copyOf(migrations);
    }

    /** True when nothing is pending or failed. Modified and missing-locally migrations are reported, not counted. */
    public boolean upToDate() {
        return pending().isEmpty() && failed().isEmpty();
    }

    /**
     * True when an applied migration's file was modified or is missing from the folder: the database may be up to
     * date, but not with the migrations this folder holds.
     */
    public boolean hasWarnings() {
        return !modified().isEmpty() || !missingLocally().isEmpty();
    }

    /** Migrations the next deploy applies: never applied, or rolled back (after a failure, or by a rollback). */
    public List<MigrationInfo> pending() {
        return migrations.stream().filter(m -> isApplyable(m.state())).toList();
    }

    /** Whether a deploy applies a migration in this state. */
    static boolean isApplyable(MigrationState state) {
        return state == MigrationState.PENDING || state == MigrationState.ROLLED_BACK;
    }

    public List<MigrationInfo> rolledBack() {
        return inState(MigrationState.ROLLED_BACK);
    }

    public List<MigrationInfo> failed() {
        return inState(MigrationState.FAILED);
    }

    public List<MigrationInfo> modified() {
        return inState(MigrationState.MODIFIED);
    }

    public List<MigrationInfo> missingLocally() {
        return inState(MigrationState.MISSING_LOCALLY);
    }

    /** Migrations recorded as applied, whether or not their file has changed since. */
    public List<MigrationInfo> applied() {
        return migrations.stream()
                .filter(m -> m.state() == MigrationState.APPLIED || m.state() == MigrationState.MODIFIED)
                .toList();
    }

    private List<MigrationInfo> inState(MigrationState state) {
        return migrations.stream().filter(m -> m.state() == state).toList();
    }
}
