package dev.tidemark.internal.history;

import java.time.Instant;

/** One row of {@code _prisma_migrations}, as Prisma Migrate writes it. */
public record HistoryRow(String id, String checksum, Instant finishedAt, String migrationName, String logs,
        Instant rolledBackAt, Instant startedAt, int appliedStepsCount) {

    /** Finished and not rolled back: the migration counts as applied. */
    public boolean isApplied() {
        return finishedAt != null && rolledBackAt == null;
    }

    /** Started, never finished, not resolved: blocks deploys (Prisma's P3009). */
    public boolean isFailed() {
        return finishedAt == null && rolledBackAt == null;
    }
}
