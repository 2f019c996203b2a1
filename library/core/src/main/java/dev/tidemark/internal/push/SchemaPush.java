package dev.tidemark.internal.push;

import dev.tidemark.ErrorCode;
import dev.tidemark.SchemaChange;
import dev.tidemark.SchemaDiff;
import dev.tidemark.TidemarkException;
import dev.tidemark.internal.history.HistoryRow;
import dev.tidemark.internal.history.HistoryTable;
import dev.tidemark.internal.seed.OneTransaction;

import java.sql.Connection;
import java.util.List;
import java.util.Optional;

/**
 * Prisma's {@code db push}: applies the script of a diff from the database to a desired schema, without a migration.
 * The checks come first, on the connection that holds the migration lock; the script runs in one transaction.
 */
public final class SchemaPush {

    private SchemaPush() {
    }

    /** The steps that need consent: those that lose data, and those that fail on existing rows. */
    public static List<SchemaChange> risky(SchemaDiff diff) {
        return diff.changes().stream().filter(c -> c.destructive() || c.warning() != null).toList();
    }

    /** Refuses when the history table has rows, saying why. */
    public static void refuseHistory(Connection connection, HistoryTable history, String target) {
        Optional<List<HistoryRow>> rows = history.read(connection);
        if (rows.isPresent() && !rows.get().isEmpty()) {
            throw new TidemarkException(ErrorCode.PUSH_REFUSED, "Refusing to push to " + target + ": it has a"
                    + " migration history (" + rows.get().size() + " row(s) in " + history.qualifiedName() + "). A"
                    + " push changes the schema without a migration, so afterwards the migrations no longer build"
                    + " this schema: drift reports the difference and Prisma's migrate dev asks to reset. For a"
                    + " database with migrations, make the change a migration (tidemark create --from-schema FILE)"
                    + " and deploy it; pass --force (PushOption.FORCE) only for a prototype database whose history"
                    + " you will reset.");
        }
    }

    /** Refuses risky steps unless accepted, listing them. */
    public static void refuseDataLoss(SchemaDiff diff, String target) {
        List<SchemaChange> risky = risky(diff);
        if (risky.isEmpty()) {
            return;
        }
        StringBuilder list = new StringBuilder();
        for (SchemaChange change : risky) {
            list.append("\n  - ").append(change.description());
            if (change.warning() != null) {
                list.append(" (").append(change.warning()).append(')');
            }
        }
        throw new TidemarkException(ErrorCode.PUSH_REFUSED, "Refusing to push to " + target + ": " + risky.size()
                + " step(s) can lose data or fail on existing rows, and nothing was changed:" + list + "\nReview"
                + " the script (--dry-run) and pass --accept-data-loss (PushOption.ACCEPT_DATA_LOSS) if the data may"
                + " go; a step that fails on existing rows (NOT NULL on a column with NULLs) still fails then,"
                + " and rolls back the whole push.");
    }

    /** Runs the script in one transaction; returns the number of statements. */
    public static int apply(Connection connection, String schema, SchemaDiff diff) {
        return OneTransaction.run(connection, schema, "The push script (to " + diff.to() + ")", diff.script(),
                ErrorCode.MIGRATION_FAILED, "Fix the desired schema, or the data that blocks it, and push again;"
                        + " --dry-run prints the script with its line numbers.");
    }
}
