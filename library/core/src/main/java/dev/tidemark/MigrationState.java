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
    /** Its failed run was resolved as rolled back; the next deploy applies it again. */
    ROLLED_BACK,
    /** Started and failed; blocks further deploys until resolved. */
    FAILED,
    /** Recorded as finished in the database but absent from the folder. */
    MISSING_LOCALLY
}
