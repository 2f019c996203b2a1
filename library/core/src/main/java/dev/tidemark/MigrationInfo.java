package dev.tidemark;

import java.time.Instant;

/**
 * One migration as {@link Migrator#status()} sees it.
 *
 * @param name              the migration's directory name
 * @param state             where it stands
 * @param checksum          the checksum of the local file, or {@code null} if it is missing locally
 * @param appliedChecksum   the checksum recorded in the database, or {@code null} if never recorded
 * @param startedAt         when the last recorded run started, or {@code null}
 * @param finishedAt        when the last recorded run finished, or {@code null}
 * @param rolledBackAt      when the last run was rolled back (a failed run resolved, or an applied one undone by
 *                          {@link Migrator#rollback(RollbackRequest)}), or {@code null}
 * @param appliedStepsCount the steps recorded by the last run
 * @param logs              the error recorded for a failed run, or {@code null}
 * @since 0.1
 */
public record MigrationInfo(String name, MigrationState state, String checksum, String appliedChecksum,
        Instant startedAt, Instant finishedAt, Instant rolledBackAt, int appliedStepsCount, String logs) {
}
