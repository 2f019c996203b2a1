package dev.tidemark;

import java.time.Instant;

/**
 * One migration as {@link Migrator#status()} sees it.
 *
 * <p>Tidemark creates these. A record's canonical constructor is necessarily public, but it is not for users: a
 * later release may add a component, which changes that constructor. Read the accessors; to make an instance (in
 * Tidemark's own rooms, or in a test), use {@link #builder(String, MigrationState)}, whose setters are named and
 * which gets a new setter, not a new parameter, when a component is added.
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

    /**
     * A builder for the migration {@code name} in {@code state}, with nothing recorded: no checksums, times or logs,
     * and zero applied steps.
     *
     * @since 0.2
     */
    public static Builder builder(String name, MigrationState state) {
        return new Builder(name, state);
    }

    /**
     * Builds a {@link MigrationInfo}. Not thread-safe.
     *
     * @since 0.2
     */
    public static final class Builder {

        private final String name;
        private final MigrationState state;
        private String checksum;
        private String appliedChecksum;
        private Instant startedAt;
        private Instant finishedAt;
        private Instant rolledBackAt;
        private int appliedStepsCount;
        private String logs;

        private Builder(String name, MigrationState state) {
            this.name = name;
            this.state = state;
        }

        /** The checksum of the local file, or {@code null} if it is missing locally. */
        public Builder checksum(String checksum) {
            this.checksum = checksum;
            return this;
        }

        /** The checksum recorded in the database, or {@code null}. */
        public Builder appliedChecksum(String appliedChecksum) {
            this.appliedChecksum = appliedChecksum;
            return this;
        }

        /** When the last recorded run started, or {@code null}. */
        public Builder startedAt(Instant startedAt) {
            this.startedAt = startedAt;
            return this;
        }

        /** When the last recorded run finished, or {@code null}. */
        public Builder finishedAt(Instant finishedAt) {
            this.finishedAt = finishedAt;
            return this;
        }

        /** When the last run was rolled back, or {@code null}. */
        public Builder rolledBackAt(Instant rolledBackAt) {
            this.rolledBackAt = rolledBackAt;
            return this;
        }

        /** The steps recorded by the last run. */
        public Builder appliedStepsCount(int appliedStepsCount) {
            this.appliedStepsCount = appliedStepsCount;
            return this;
        }

        /** The error recorded for a failed run, or {@code null}. */
        public Builder logs(String logs) {
            this.logs = logs;
            return this;
        }

        /** The migration as set so far. */
        public MigrationInfo build() {
            return new MigrationInfo(name, state, checksum, appliedChecksum, startedAt, finishedAt, rolledBackAt,
                    appliedStepsCount, logs);
        }
    }
}
