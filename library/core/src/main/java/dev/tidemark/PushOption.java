package dev.tidemark;

/**
 * Consents for {@link Migrator#push(SchemaSource, PushOption...)}.
 *
 * @since 0.1
 */
public enum PushOption {
    /** Run steps that can lose data (drops, narrowing type changes) or fail on existing rows. */
    ACCEPT_DATA_LOSS,
    /** Compute and check the script, change nothing. */
    DRY_RUN,
    /** Push even though the database has a migration history. */
    FORCE
}
