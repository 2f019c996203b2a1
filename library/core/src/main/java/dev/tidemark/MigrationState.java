package dev.tidemark;

/**
 * Where one migration stands, comparing the migrations folder with the history table.
 *
 * @since 0.1
 */
public enum MigrationState {
    /** Recorded as finished and its file is unchanged. */
    APPLIED,
    /** Recorded as finished, but its file's checksum differs from the recorded one. */
    MODIFIED,
    /** In the folder, not yet applied. */
    PENDING,
    /**
     * Its last run was rolled back: a failed run resolved as rolled back, or an applied one undone by
     * {@link Migrator#rollback(RollbackRequest)} (then {@link MigrationInfo#finishedAt()} is set too). Pending again:
     * the next deploy applies it.
     */
    ROLLED_BACK,
    /** Started and failed; blocks further deploys until resolved. */
    FAILED,
    /** Recorded as finished in the database but absent from the folder. */
    MISSING_LOCALLY
}
