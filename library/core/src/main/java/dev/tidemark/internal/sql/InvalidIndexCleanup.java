package dev.tidemark.internal.sql;

import dev.tidemark.internal.source.LocalMigration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The INVALID indexes a failed {@code CREATE INDEX CONCURRENTLY} or {@code REINDEX ... CONCURRENTLY} leaves behind,
 * for one migration's run: found by comparing the invalid indexes before and after the statement, dropped so that a
 * retry or the next deploy can build them again, and left alone (with a note saying so) when they are not ours.
 */
final class InvalidIndexCleanup {

    private static final Logger log = LoggerFactory.getLogger("dev.tidemark");

    private final Connection connection;
    private final LocalMigration migration;
    private final LockWatcher watcher;
    /** Where what the failure report should say is collected. */
    private final List<String> notes;
    /** INVALID indexes our failed statement left, whose drop also timed out: dropped before the retry. */
    private final List<String> leftovers = new ArrayList<>();

    InvalidIndexCleanup(Connection connection, LocalMigration migration, LockWatcher watcher, List<String> notes) {
        this.connection = connection;
        this.migration = migration;
        this.watcher = watcher;
        this.notes = notes;
    }

    /** The index a {@code CREATE [UNIQUE] INDEX CONCURRENTLY [IF NOT EXISTS] name ON} statement names, or null. */
    static String concurrentIndexName(SqlStatement s) {
        int at = s.startsWith("CREATE", "UNIQUE") ? 2 : 1;
        if (!s.startsWith("CREATE") || !s.matchesAt(at, "INDEX", "CONCURRENTLY")) {
            return null;
        }
        at += 2;
        if (s.matchesAt(at, "IF", "NOT", "EXISTS")) {
            at += 3;
        }
        String name = s.keyword(at);
        if (name.isEmpty() || name.equals("ON") || s.keyword(at + 1).equals(".")) {
            return null;
        }
        String token = s.tokens().get(at);
        return token.startsWith("\"") ? token.substring(1, token.length() - 1).replace("\"\"", "\"")
                : token.toLowerCase(Locale.ROOT);
    }

    /** {@code CREATE INDEX CONCURRENTLY} or {@code REINDEX ... CONCURRENTLY}: may leave an INVALID index behind. */
    static boolean buildsIndexConcurrently(SqlStatement s) {
        int at = s.startsWith("CREATE", "UNIQUE") ? 2 : 1;
        return (s.startsWith("CREATE") && s.matchesAt(at, "INDEX", "CONCURRENTLY"))
                || (s.startsWith("REINDEX") && s.indexOf("CONCURRENTLY", 1) > 0);
    }


    /** Invalid indexes in the database now, by oid, with their qualified names. */
    Map<Long, String> invalidIndexes() throws SQLException {
        Map<Long, String> invalid = new LinkedHashMap<>();
        try (Statement jdbc = connection.createStatement();
                ResultSet rs = jdbc.executeQuery("SELECT i.indexrelid::int8, quote_ident(n.nspname) || '.' ||"
                        + " quote_ident(c.relname), c.relname FROM pg_catalog.pg_index i"
                        + " JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid"
                        + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE NOT i.indisvalid")) {
            while (rs.next()) {
                invalid.put(rs.getLong(1), rs.getString(2) + "\u0000" + rs.getString(3));
            }
        }
        return invalid;
    }

    /**
     * A {@code CREATE INDEX CONCURRENTLY IF NOT EXISTS} that skipped an index left INVALID by an earlier failed
     * build would "succeed" without an index; that is reported as a failure instead.
     */
    void refuseInvalidIndexKept(SqlStatement statement, Map<Long, String> invalidBefore)
            throws SQLException {
        String name = concurrentIndexName(statement);
        if (name == null) {
            return;
        }
        Long target = indexNamed(name);
        String entry = target == null ? null : invalidIndexes().get(target);
        if (entry != null && entry.equals(invalidBefore.get(target))) {
            throw new SQLException("the index " + entry.split("\u0000")[0] + " already exists but is INVALID (left"
                    + " by an earlier failed concurrent build), so IF NOT EXISTS skipped building it", "55000");
        }
    }

    /**
     * The oid of the index an unqualified {@code CREATE INDEX CONCURRENTLY} names, resolved through the session's
     * search_path as the statement was; null if there is none. Same-named indexes of other schemas (another
     * tenant's build in progress, INVALID until it finishes) are not it.
     */
    private Long indexNamed(String name) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT to_regclass(quote_ident(?))::oid::int8")) {
            query.setString(1, name);
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                long oid = rs.getLong(1);
                return rs.wasNull() ? null : oid;
            }
        }
    }

    /** Drops the INVALID indexes a failed {@code CONCURRENTLY} statement left behind, so a retry can succeed. */
    void dropInvalidIndexesLeftBy(SqlStatement statement, Map<Long, String> invalidBefore) {
        try {
            Map<Long, String> now = invalidIndexes();
            String name = concurrentIndexName(statement);
            Long target = name == null ? null : indexNamed(name);
            for (Map.Entry<Long, String> entry : now.entrySet()) {
                String[] parts = entry.getValue().split("\u0000");
                if (invalidBefore.containsKey(entry.getKey())) {
                    if (entry.getKey().equals(target)) {
                        notes.add("The INVALID index " + parts[0] + " existed before this migration (left by an"
                                + " earlier failed build); Tidemark did not create it, so it did not drop it. Run"
                                + " DROP INDEX CONCURRENTLY " + parts[0] + " before deploying again.");
                    }
                    continue;
                }
                if (buildInProgressElsewhere(entry.getKey())) {
                    notes.add("The INVALID index " + parts[0] + " appeared while the statement ran, but another"
                            + " session is using its table, so Tidemark left it alone; if it is a leftover of"
                            + " this statement, run DROP INDEX CONCURRENTLY " + parts[0] + ".");
                    continue;
                }
                try (Statement jdbc = connection.createStatement()) {
                    jdbc.execute("DROP INDEX CONCURRENTLY IF EXISTS " + parts[0]);
                    log.warn("{}: dropped the INVALID index {} that the failed statement at {}:{} left behind",
                            migration.name(), parts[0], migration.file(), statement.line());
                    notes.add("The failed statement left the INVALID index " + parts[0] + " behind; Tidemark"
                            + " dropped it, so the migration can run again.");
                } catch (SQLException e) {
                    if (FailureReport.LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
                        // Dropping waits for the same transactions the build waited for: try again before the
                        // retry, under the same lock timeout and backoff.
                        leftovers.add(parts[0]);
                        continue;
                    }
                    notes.add("The failed statement left the INVALID index " + parts[0] + " behind and"
                            + " Tidemark could not drop it (" + e.getMessage() + "); run DROP INDEX"
                            + " CONCURRENTLY " + parts[0] + " before deploying again.");
                }
            }
        } catch (SQLException e) {
            notes.add("Tidemark could not check for INVALID indexes left behind (" + e.getMessage() + "); look"
                    + " for them with SELECT indexrelid::regclass FROM pg_index WHERE NOT indisvalid.");
        }
    }

    /** Drops the INVALID indexes an earlier attempt left; a lock timeout here counts as the attempt's. */
    void dropLeftovers() throws SQLException {
        while (!leftovers.isEmpty()) {
            String index = leftovers.get(0);
            watcher.start();
            try (Statement jdbc = connection.createStatement()) {
                jdbc.execute("DROP INDEX CONCURRENTLY IF EXISTS " + index);
            } finally {
                watcher.stop();
            }
            leftovers.remove(0);
            log.warn("{}: dropped the INVALID index {} that an earlier attempt left behind", migration.name(),
                    index);
        }
    }

    /** Another session holds SHARE UPDATE EXCLUSIVE on the index or its table, as a concurrent build does. */
    private boolean buildInProgressElsewhere(long indexOid) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT EXISTS (SELECT 1 FROM"
                + " pg_catalog.pg_locks l JOIN pg_catalog.pg_index i ON l.relation IN (i.indexrelid, i.indrelid)"
                + " WHERE i.indexrelid = ?::oid AND l.pid <> pg_backend_pid()"
                + " AND l.mode = 'ShareUpdateExclusiveLock')")) {
            query.setLong(1, indexOid);
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** The INVALID indexes left behind that Tidemark could not drop within the lock timeout. */
    List<String> leftovers() {
        return List.copyOf(leftovers);
    }
}
