package dev.tidemark.internal.push;

import dev.tidemark.ErrorCode;
import dev.tidemark.PushOption;
import dev.tidemark.PushResult;
import dev.tidemark.SchemaChange;
import dev.tidemark.SchemaDiff;
import dev.tidemark.TidemarkException;
import dev.tidemark.internal.history.HistoryRow;
import dev.tidemark.internal.history.HistoryTable;
import dev.tidemark.internal.seed.OneTransaction;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Prisma's {@code db push}: applies the script of a diff from the database to a desired schema, without a migration.
 * The checks come first, on the connection that holds the migration lock; the script runs in one transaction.
 */
public final class SchemaPush {

    private static final Logger log = LoggerFactory.getLogger("dev.tidemark");

    private SchemaPush() {
    }

    /**
     * The whole push on a connection that holds the migration lock: the history check (unless forced), the diff
     * from the database to the desired schema, the data-loss check (unless accepted), then the script.
     */
    public static PushResult run(Connection connection, HistoryTable history, String schema, String target,
            Set<PushOption> options, Supplier<SchemaDiff> diffFromDatabase) {
        if (!options.contains(PushOption.FORCE)) {
            refuseHistory(connection, history, target);
        }
        SchemaDiff diff = diffFromDatabase.get();
        List<SchemaChange> risky = risky(diff);
        if (options.contains(PushOption.DRY_RUN) || !diff.hasDifferences()) {
            return new PushResult(diff, risky, false);
        }
        if (!options.contains(PushOption.ACCEPT_DATA_LOSS)) {
            refuseDataLoss(diff, target);
        }
        int count = apply(connection, schema, diff);
        log.info("Pushed {} change(s) ({} statement(s)) to {}, without a migration", diff.changes().size(), count,
                target);
        return new PushResult(diff, risky, true);
    }

    /** The steps that need consent: those that lose data, and those that fail on existing rows. */
    private static List<SchemaChange> risky(SchemaDiff diff) {
        return diff.changes().stream().filter(c -> c.destructive() || c.warning() != null).toList();
    }

    /** Refuses when the history table has rows, saying why. */
    private static void refuseHistory(Connection connection, HistoryTable history, String target) {
        Optional<List<HistoryRow>> rows = history.read(connection);
        if (rows.isPresent() && !rows.get().isEmpty()) {
            throw new TidemarkException(ErrorCode.PUSH_REFUSED, "Refusing to push to " + target + ": it has a"
                    + " migration history (" + rows.get().size() + " row(s) in " + history.qualifiedName() + "). A"
                    + " push changes the schema without a migration, so afterwards the migrations no longer build"
                    + " this schema: drift reports the difference and Prisma's migrate dev asks to reset. For a"
                    + " database with migrations, make the change a migration (tidemark create --from-schema FILE)"
                    + " and deploy it; force the push (PushOption.FORCE) only for a prototype database whose history"
                    + " you will reset.");
        }
    }

    /** Refuses risky steps unless accepted, listing them. */
    private static void refuseDataLoss(SchemaDiff diff, String target) {
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
                + " the script (a dry run) and accept data loss (PushOption.ACCEPT_DATA_LOSS) if the data may"
                + " go; a step that fails on existing rows (NOT NULL on a column with NULLs) still fails then,"
                + " and rolls back the whole push.");
    }

    /** Runs the script in one transaction; returns the number of statements. */
    private static int apply(Connection connection, String schema, SchemaDiff diff) {
        return OneTransaction.run(connection, schema, "The push script (to " + diff.to() + ")", diff.script(),
                ErrorCode.MIGRATION_FAILED, "Fix the desired schema, or the data that blocks it, and push again;"
                        + " a dry run prints the script with its line numbers.");
    }
}
