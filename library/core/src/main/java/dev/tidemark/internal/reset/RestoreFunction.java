package dev.tidemark.internal.reset;

import dev.tidemark.internal.lock.AdvisoryLock;
import dev.tidemark.internal.reset.ResetCatalog.Table;
import dev.tidemark.internal.reset.ResetCatalog.Trigger;

import java.util.List;
import java.util.Map;

import static dev.tidemark.internal.history.HistoryTable.quote;

/**
 * Generates the PL/pgSQL function {@code restore(expected text)} of a side schema: it checks the fingerprint, empties
 * every table, puts the seed rows back, repositions the sequences and refreshes populated materialized views.
 */
final class RestoreFunction {

    private RestoreFunction() {
    }

    /**
     * The {@code CREATE FUNCTION} statement.
     *
     * @param side    the quoted side schema
     * @param seeds   the quoted seed table of each table oid that had rows
     * @param replica whether the function may run as a replica (foreign keys and user triggers do not fire)
     */
    static String create(String side, ResetCatalog catalog, Map<Long, String> seeds, boolean replica) {
        StringBuilder body = new StringBuilder();
        body.append("CREATE FUNCTION ").append(side).append(".restore(expected text) RETURNS void")
                // The migrations' search_path, for trigger and check functions that name tables unqualified.
                .append(" LANGUAGE plpgsql SET search_path = ").append(quote(catalog.schema()))
                .append(" AS $tidemark$\nBEGIN\n")
                // Concurrent restores of one database queue instead of deadlocking, and wait for a running deploy.
                .append("  PERFORM pg_catalog.pg_advisory_xact_lock(").append(AdvisoryLock.KEY).append(");\n")
                .append("  IF NOT EXISTS (SELECT 1 FROM ").append(side).append(".state WHERE fingerprint = expected)")
                .append(" THEN\n    RAISE EXCEPTION 'the fast-reset state was prepared for other migrations'")
                .append(" USING ERRCODE = '").append(FastResetState.STALE_STATE).append("';\n  END IF;\n");
        // Test data need not survive a server crash: not waiting for the WAL flush at commit saves most of the time.
        body.append("  PERFORM pg_catalog.set_config('synchronous_commit', 'off', true);\n");
        if (replica) {
            body.append("  PERFORM pg_catalog.set_config('session_replication_role', 'replica', true);\n");
        }
        // User triggers that would fire in this mode are switched off for the restore, so that an audit trigger,
        // say, does not log the deletes; ALTER TABLE is transactional, so a failed restore leaves them on.
        List<Trigger> firing = catalog.triggers().stream()
                .filter(t -> replica ? t.enabled().equals("A") || t.enabled().equals("R")
                        : t.enabled().equals("O") || t.enabled().equals("A"))
                .toList();
        for (Trigger trigger : firing) {
            body.append("  ALTER TABLE ").append(trigger.table()).append(" DISABLE TRIGGER ").append(trigger.name())
                    .append(";\n");
        }
        // As a replica, foreign keys do not fire and any order does; otherwise children go first, and tables that
        // reference each other are truncated together.
        List<List<Table>> deleteOrder = replica ? singletons(catalog) : ForeignKeyOrder.childrenFirst(catalog);
        for (List<Table> group : deleteOrder) {
            if (group.size() == 1) {
                body.append("  DELETE FROM ").append(group.get(0).name()).append(";\n");
            } else {
                body.append("  TRUNCATE ").append(String.join(", ", group.stream().map(Table::name).toList()))
                        .append(" CASCADE;\n");
            }
        }
        List<List<Table>> insertOrder = replica ? singletons(catalog) : ForeignKeyOrder.parentsFirst(catalog);
        for (List<Table> group : insertOrder) {
            for (Table table : group) {
                String seed = seeds.get(table.oid());
                if (seed != null) {
                    body.append("  INSERT INTO ").append(table.name()).append(" (").append(table.columns())
                            .append(") OVERRIDING SYSTEM VALUE SELECT ").append(table.columns()).append(" FROM ")
                            .append(seed).append(";\n");
                }
            }
        }
        for (ResetCatalog.Sequence sequence : catalog.sequences()) {
            body.append("  PERFORM pg_catalog.setval('").append(sequence.name().replace("'", "''")).append("', ")
                    .append(sequence.lastValue()).append(", ").append(sequence.isCalled()).append(");\n");
        }
        for (String view : catalog.populatedMaterializedViews()) {
            body.append("  REFRESH MATERIALIZED VIEW ").append(view).append(";\n");
        }
        for (Trigger trigger : firing) {
            body.append("  ALTER TABLE ").append(trigger.table()).append(" ENABLE ")
                    .append(trigger.enabled().equals("A") ? "ALWAYS " : trigger.enabled().equals("R") ? "REPLICA " : "")
                    .append("TRIGGER ").append(trigger.name()).append(";\n");
        }
        return body.append("END\n$tidemark$").toString();
    }

    private static List<List<Table>> singletons(ResetCatalog catalog) {
        return catalog.tables().values().stream().map(List::of).toList();
    }
}
