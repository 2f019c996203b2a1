package dev.tidemark.internal.plan;

import dev.tidemark.DeployPlan;
import dev.tidemark.ErrorCode;
import dev.tidemark.TidemarkException;
import dev.tidemark.internal.jdbc.ConnectionSource;
import dev.tidemark.internal.source.LocalMigration;
import dev.tidemark.internal.sql.MigrationPlan;
import dev.tidemark.internal.sql.SqlStatement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs pending migrations on a shadow database statement by statement, as deploy groups them, and reads after each
 * statement what its own backend did: the relation locks it holds ({@code pg_locks} of its pid), the tables whose
 * {@code relfilenode} changed (rewritten), the tables it scanned in full ({@code pg_stat_get_xact_numscans}), and how
 * long it took.
 *
 * <p>After each statement this costs one query: a rewrite or a scan of a table needs a lock on it, which a
 * transaction keeps until it ends, so reading the relations the backend has locked finds every table the statement
 * can have rewritten or scanned. The relations that exist when a transaction begins are read once, for their file
 * numbers.
 */
final class ShadowMeasurer {

    private static final Logger log = LoggerFactory.getLogger("dev.tidemark");

    /** Locks held by this backend on relations, with what is needed to tell rewrites and scans. */
    private static final String HELD = "SELECT l.relation::bigint, l.mode, c.relfilenode::bigint, c.relkind,"
            + " pg_stat_get_xact_numscans(l.relation) FROM pg_locks l LEFT JOIN pg_class c ON c.oid = l.relation"
            + " WHERE l.pid = pg_backend_pid() AND l.locktype = 'relation' AND l.granted"
            + " AND l.database::bigint = ?";
    /** Every relation outside the system schemas. */
    private static final String RELATIONS = "SELECT c.oid::bigint, n.nspname, c.relname, c.relkind,"
            + " c.relfilenode::bigint, pg_stat_get_xact_numscans(c.oid) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            + " WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')"
            + " AND n.nspname NOT LIKE 'pg\\_temp\\_%' AND n.nspname NOT LIKE 'pg\\_toast\\_temp\\_%'";
    /** Strongest first, as the documentation orders them. */
    private static final List<String> MODES = List.of("AccessExclusiveLock", "ExclusiveLock", "ShareRowExclusiveLock",
            "ShareLock", "ShareUpdateExclusiveLock", "RowExclusiveLock", "RowShareLock", "AccessShareLock");

    /** A relation as it was when a migration began. */
    record Relation(long oid, String schema, String name, char kind, String display) {
    }

    /** A statement's effect, and the relations its rewrites and scans name, for the estimate. */
    record Measured(DeployPlan.Effect effect, List<Relation> rewritten, List<Relation> scanned) {
    }

    private final ConnectionSource shadowDescription;
    private final String schema;
    private final int serverMajorVersion;

    /** Prepared once per run: pgjdbc then plans them once on the server. */
    private PreparedStatement held;
    private PreparedStatement relations;

    ShadowMeasurer(ConnectionSource shadowDescription, String schema, int serverMajorVersion) {
        this.shadowDescription = shadowDescription;
        this.schema = schema;
        this.serverMajorVersion = serverMajorVersion;
    }

    /**
     * Measures each migration's statements in order; an element is null where measuring stopped (after a statement
     * failed, the later ones cannot be run on the schema deploy would have).
     *
     * @param plans the execution plans of the pending migrations, in order
     */
    List<List<Measured>> measure(Connection connection, List<LocalMigration> migrations,
            List<MigrationPlan> plans) throws SQLException {
        long database;
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET search_path TO \"" + schema.replace("\"", "\"\"") + "\"");
            try (ResultSet rs = statement.executeQuery("SELECT oid::bigint FROM pg_database"
                    + " WHERE datname = current_database()")) {
                rs.next();
                database = rs.getLong(1);
            }
        }
        held = connection.prepareStatement(HELD);
        held.setLong(1, database);
        relations = connection.prepareStatement(RELATIONS);
        try {
            return measureAll(connection, migrations, plans);
        } finally {
            held.close();
            relations.close();
        }
    }

    private List<List<Measured>> measureAll(Connection connection, List<LocalMigration> migrations,
            List<MigrationPlan> plans) throws SQLException {
        List<List<Measured>> all = new ArrayList<>();
        boolean failed = false;
        for (int i = 0; i < migrations.size(); i++) {
            List<Measured> measured = new ArrayList<>();
            MigrationPlan plan = plans.get(i);
            if (failed) {
                plan.units().forEach(u -> u.forEach(s -> measured.add(null)));
            } else {
                failed = measureMigration(connection, migrations.get(i), plan, measured);
            }
            all.add(measured);
        }
        return all;
    }

    /** Returns whether a statement failed. */
    private boolean measureMigration(Connection connection, LocalMigration migration, MigrationPlan plan,
            List<Measured> out) throws SQLException {
        boolean transactional = plan.transactional();
        // in one transaction, the relations read at its start are those that existed before the migration
        Map<Long, Relation> existing = transactional ? null : relations(null, null);
        boolean failed = false;
        for (List<SqlStatement> unit : plan.units()) {
            if (failed) {
                unit.forEach(s -> out.add(null));
                continue;
            }
            boolean autocommit = !transactional && unit.size() == 1
                    && MigrationPlan.needsAutocommit(unit.get(0), serverMajorVersion);
            if (autocommit) {
                failed = runAutocommit(connection, migration, unit.get(0), out);
            } else {
                failed = runTransaction(connection, migration, unit, existing, out);
            }
        }
        return failed;
    }

    private boolean runAutocommit(Connection connection, LocalMigration migration, SqlStatement sql,
            List<Measured> out) {
        long start = System.nanoTime();
        String error = null;
        try (Statement statement = connection.createStatement()) {
            connection.setAutoCommit(true);
            statement.execute(sql.sql());
        } catch (SQLException e) {
            error = describe(migration, sql, e);
        }
        out.add(new Measured(new DeployPlan.Effect(false, List.of(), List.of(), List.of(),
                Duration.ofNanos(System.nanoTime() - start), null, null, error), List.of(), List.of()));
        return error != null;
    }

    private boolean runTransaction(Connection connection, LocalMigration migration, List<SqlStatement> unit,
            Map<Long, Relation> existing, List<Measured> out) throws SQLException {
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            Map<Long, Long> files = new HashMap<>();
            Map<Long, Long> scans = new HashMap<>();
            Map<Long, Relation> now = relations(files, scans);
            if (existing == null) {
                existing = now;
            }
            Set<String> heldModes = new HashSet<>();
            for (int i = 0; i < unit.size(); i++) {
                SqlStatement sql = unit.get(i);
                long start = System.nanoTime();
                try {
                    statement.execute(sql.sql());
                } catch (SQLException e) {
                    connection.rollback();
                    out.add(new Measured(new DeployPlan.Effect(true, List.of(), List.of(), List.of(),
                            Duration.ofNanos(System.nanoTime() - start), null, null, describe(migration, sql, e)),
                            List.of(), List.of()));
                    for (int j = i + 1; j < unit.size(); j++) {
                        out.add(null);
                    }
                    return true;
                }
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                out.add(existing.isEmpty() ? new Measured(new DeployPlan.Effect(true, List.of(), List.of(),
                        List.of(), took, null, null, null), List.of(), List.of())
                        : observe(existing, files, heldModes, scans, took));
            }
            connection.commit();
            return false;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    /** Reads what the statement just run added to the transaction's locks, file numbers and scans. */
    private Measured observe(Map<Long, Relation> existing, Map<Long, Long> files, Set<String> heldModes,
            Map<Long, Long> scans, Duration took) throws SQLException {
        Map<Long, String> strongest = new LinkedHashMap<>();
        List<Relation> rewritten = new ArrayList<>();
        List<Relation> scanned = new ArrayList<>();
        try (ResultSet rs = held.executeQuery()) {
            while (rs.next()) {
                long oid = rs.getLong(1);
                String mode = rs.getString(2);
                Relation relation = existing.get(oid);
                if (relation == null) {
                    continue; // created by this migration (no one else can wait for it), or a system catalog
                }
                if (heldModes.add(oid + "/" + mode) && MODES.contains(mode)) {
                    strongest.merge(oid, mode, (a, b) -> MODES.indexOf(a) <= MODES.indexOf(b) ? a : b);
                }
                long file = rs.getLong(3);
                boolean dropped = rs.getString(4) == null;
                if (!dropped && (relation.kind() == 'r' || relation.kind() == 'm')) {
                    Long before = files.put(oid, file);
                    if (before != null && before != file && !rewritten.contains(relation)) {
                        rewritten.add(relation);
                    }
                }
                long scanCount = rs.getLong(5);
                if (!dropped && (relation.kind() == 'r' || relation.kind() == 'm')) {
                    Long before = scans.put(oid, scanCount);
                    if (scanCount > (before == null ? 0 : before) && !scanned.contains(relation)) {
                        scanned.add(relation);
                    }
                }
            }
        }
        List<DeployPlan.Lock> locks = new ArrayList<>();
        strongest.forEach((oid, mode) -> {
            Relation relation = existing.get(oid);
            locks.add(new DeployPlan.Lock(relation.display(), kind(relation.kind()), mode));
        });
        locks.sort(Comparator.comparingInt((DeployPlan.Lock l) -> MODES.indexOf(l.mode()))
                .thenComparing(DeployPlan.Lock::relation));
        rewritten.sort(Comparator.comparing(Relation::display));
        scanned.sort(Comparator.comparing(Relation::display));
        return new Measured(new DeployPlan.Effect(true, locks, rewritten.stream().map(Relation::display).toList(),
                scanned.stream().map(Relation::display).toList(), took, null, null, null), rewritten, scanned);
    }

    /**
     * The relations outside the system schemas by oid; with {@code files} and {@code scans}, also their file numbers
     * and scan counts into them. The scan counts are a baseline: the server's "transaction" counters also hold what
     * earlier transactions counted until the backend reports them, which it does only between transactions.
     */
    private Map<Long, Relation> relations(Map<Long, Long> files, Map<Long, Long> scans) throws SQLException {
        Map<Long, Relation> byOid = new HashMap<>();
        try (ResultSet rs = relations.executeQuery()) {
            while (rs.next()) {
                String nspname = rs.getString(2);
                String relname = rs.getString(3);
                byOid.put(rs.getLong(1), new Relation(rs.getLong(1), nspname, relname, rs.getString(4).charAt(0),
                        nspname.equals(schema) ? relname : nspname + "." + relname));
                if (files != null) {
                    files.put(rs.getLong(1), rs.getLong(5));
                    scans.put(rs.getLong(1), rs.getLong(6));
                }
            }
        }
        return byOid;
    }

    private static String kind(char relkind) {
        return switch (relkind) {
            case 'r', 'p' -> "table";
            case 'i', 'I' -> "index";
            case 'S' -> "sequence";
            case 'v' -> "view";
            case 'm' -> "materialized view";
            case 'f' -> "foreign table";
            default -> "relation";
        };
    }

    private String describe(LocalMigration migration, SqlStatement sql, SQLException e) {
        String message = shadowDescription.mask(e.getMessage()) + (e.getSQLState() == null ? ""
                : " (SQLSTATE " + e.getSQLState() + ")");
        log.warn("{} failed at line {} on the shadow database of plan --measure: {}. Deploy would fail there too"
                + " (unless the target differs from what its history builds); the later statements are not measured.",
                migration.file(), sql.line(), message);
        return message;
    }

    static TidemarkException failure(ConnectionSource shadow, SQLException e) {
        return new TidemarkException(ErrorCode.SHADOW_DATABASE_FAILED, "Could not measure the pending migrations on"
                + " the shadow database " + shadow.description() + ": " + shadow.mask(e.getMessage()) + ".", e);
    }
}
