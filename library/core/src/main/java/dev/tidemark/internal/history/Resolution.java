package dev.tidemark.internal.history;

import dev.tidemark.ErrorCode;
import dev.tidemark.TidemarkException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.util.List;

/**
 * Prisma's {@code migrate resolve}: the two history edits a user makes after a failed or hand-made migration. Both
 * run on a connection that holds the migration lock.
 */
public final class Resolution {

    private static final Logger log = LoggerFactory.getLogger("dev.tidemark");

    private Resolution() {
    }

    /** {@code --rolled-back}: marks the failed run of a migration as rolled back, so the next deploy applies it. */
    public static void rolledBack(Connection connection, HistoryTable history, String migrationName, String target) {
        List<HistoryRow> mine = history.read(connection).orElse(List.of()).stream()
                .filter(r -> r.migrationName().equals(migrationName)).toList();
        if (mine.isEmpty()) {
            throw new TidemarkException(ErrorCode.NOT_IN_HISTORY, "Migration " + migrationName + " cannot be"
                    + " rolled back because it was never applied to " + target + ". Check the name with"
                    + " 'tidemark status'.");
        }
        if (mine.stream().noneMatch(HistoryRow::isFailed)) {
            throw new TidemarkException(ErrorCode.NOT_FAILED, "Migration " + migrationName + " cannot be"
                    + " rolled back because it is not in a failed state in " + target + ". Only failed"
                    + " migrations can be resolved as rolled back; to undo an applied migration, write a new"
                    + " migration that reverses it.");
        }
        history.markRolledBack(connection, migrationName);
        log.info("Marked {} as rolled back in {}; the next deploy applies it again", migrationName, target);
    }

    /** {@code --applied}: records a migration as applied without running it; its failed runs become rolled back. */
    public static void applied(Connection connection, HistoryTable history, List<HistoryRow> rows,
            String migrationName, String checksum, String target) {
        if (rows.stream().anyMatch(r -> r.migrationName().equals(migrationName) && r.isApplied())) {
            throw new TidemarkException(ErrorCode.ALREADY_APPLIED, "Migration " + migrationName + " is"
                    + " already recorded as applied in " + target + ". Nothing to resolve.");
        }
        history.markRolledBack(connection, migrationName);
        history.insertApplied(connection, migrationName, checksum);
        log.info("Recorded {} as applied in {} without running it", migrationName, target);
    }
}
