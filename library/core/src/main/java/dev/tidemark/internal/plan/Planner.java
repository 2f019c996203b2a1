package dev.tidemark.internal.plan;

import dev.tidemark.DeployPlan;
import dev.tidemark.ErrorCode;
import dev.tidemark.LintFinding;
import dev.tidemark.MigrationInfo;
import dev.tidemark.MigrationState;
import dev.tidemark.TidemarkException;
import dev.tidemark.internal.history.HistoryRow;
import dev.tidemark.internal.history.HistoryTable;
import dev.tidemark.internal.history.Reconciliation;
import dev.tidemark.internal.jdbc.ConnectionSource;
import dev.tidemark.internal.lint.TargetLint;
import dev.tidemark.internal.source.LocalMigration;
import dev.tidemark.internal.sql.MigrationPlan;
import dev.tidemark.internal.sql.SqlStatement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.IntUnaryOperator;

/**
 * {@code plan}: what deploy would do, changing nothing. Reads the history once (no migration lock, as
 * {@code status}), reconciles it with the folder as deploy does, and plans each pending migration with deploy's own
 * transaction-mode detection; with {@code measure}, runs them on a shadow database ({@link ShadowMeasurer}) and
 * scales what they did by the target's table sizes ({@link Estimates}).
 */
public final class Planner {

    private static final Logger log = LoggerFactory.getLogger("dev.tidemark");

    private final ConnectionSource connections;
    private final HistoryTable history;
    private final String schema;
    private final String target;

    public Planner(ConnectionSource connections, HistoryTable history, String schema, String target) {
        this.connections = connections;
        this.history = history;
        this.schema = schema;
        this.target = target;
    }

    /** A plan without lint findings. */
    public DeployPlan plan(List<LocalMigration> local, boolean measure) {
        return plan(local, measure, null, null);
    }

    /**
     * A plan with the static lint findings of the pending migrations, linted as {@code Migrator.lint} does with
     * {@code rules} (none when null) at the version {@code pgVersion} gives for the server's, from the same history
     * read and the target's catalog.
     */
    public DeployPlan plan(List<LocalMigration> local, boolean measure, Set<String> rules,
            IntUnaryOperator pgVersion) {
        long start = System.nanoTime();
        try (Connection connection = connections.open()) {
            if (!connection.getAutoCommit()) {
                connection.setAutoCommit(true);
            }
            int serverMajorVersion = connection.getMetaData().getDatabaseMajorVersion();
            List<HistoryRow> rows = history.read(connection).orElse(List.of());
            List<MigrationInfo> infos = Reconciliation.reconcile(local, rows);
            List<LintFinding> findings = rules == null ? List.of()
                    : TargetLint.lint(connection, schema, local, infos,
                            info -> info.state() == MigrationState.PENDING
                                    || info.state() == MigrationState.ROLLED_BACK,
                            rules, pgVersion.applyAsInt(serverMajorVersion)).findings();
            List<String> warnings = new ArrayList<>();
            List<LocalMigration> applied = new ArrayList<>();
            List<LocalMigration> pending = new ArrayList<>();
            List<MigrationState> states = new ArrayList<>();
            for (int i = 0; i < infos.size(); i++) {
                MigrationInfo info = infos.get(i);
                switch (info.state()) {
                    case APPLIED -> applied.add(local.get(i));
                    case MODIFIED -> {
                        applied.add(local.get(i));
                        warnings.add(info.name() + " was modified since it was applied (recorded checksum "
                                + info.appliedChecksum() + ", file " + info.checksum() + "); the shadow database"
                                + " replays the file as it is now.");
                    }
                    case PENDING, ROLLED_BACK -> {
                        pending.add(local.get(i));
                        states.add(info.state());
                    }
                    case FAILED -> warnings.add(info.name() + " is recorded as failed: deploy refuses to run until it"
                            + " is resolved ('tidemark resolve'), unless it was interrupted and can be resumed.");
                    case MISSING_LOCALLY -> warnings.add(info.name() + " is applied but missing from the folder; the"
                            + " shadow database cannot replay it.");
                    default -> {
                    }
                }
            }
            List<MigrationPlan> plans = new ArrayList<>();
            for (LocalMigration migration : pending) {
                plans.add(MigrationPlan.of(migration, serverMajorVersion));
            }
            List<List<ShadowMeasurer.Measured>> measured = null;
            Map<String, Estimates.Size> sizes = Map.of();
            if (measure && !pending.isEmpty()) {
                measured = measure(applied, pending, plans, serverMajorVersion);
                Set<ShadowMeasurer.Relation> relations = new LinkedHashSet<>();
                for (List<ShadowMeasurer.Measured> statements : measured) {
                    for (ShadowMeasurer.Measured m : statements) {
                        if (m != null) {
                            relations.addAll(m.rewritten());
                            relations.addAll(m.scanned());
                        }
                    }
                }
                sizes = Estimates.sizes(connection, relations);
            }
            List<DeployPlan.Migration> migrations = new ArrayList<>();
            for (int i = 0; i < pending.size(); i++) {
                migrations.add(migration(pending.get(i), states.get(i), plans.get(i),
                        measured == null ? null : measured.get(i), sizes, serverMajorVersion));
            }
            DeployPlan plan = new DeployPlan(target, migrations, measure, warnings, findings,
                    measure ? Verdicts.of(findings, migrations) : List.of());
            log.info("Planned {} pending migration(s), {} statement(s), for {}{} in {} ms", migrations.size(),
                    plan.statementCount(), target, measure ? ", measured on a shadow database" : "",
                    Duration.ofNanos(System.nanoTime() - start).toMillis());
            return plan;
        } catch (SQLException e) {
            throw new TidemarkException(ErrorCode.DATABASE_ERROR, "Could not plan the"
                    + " deploy of " + target + ": " + connections.mask(e.getMessage()) + ".", e);
        }
    }

    private List<List<ShadowMeasurer.Measured>> measure(List<LocalMigration> applied, List<LocalMigration> pending,
            List<MigrationPlan> plans, int serverMajorVersion) {
        try (PlanShadow shadow = PlanShadow.create(connections, schema)) {
            log.debug("Replaying {} applied migration(s) on {}", applied.size(), shadow.name());
            shadow.database().apply(applied, Set.of(history.table()));
            try (Connection connection = shadow.database().open()) {
                return new ShadowMeasurer(connections, schema, serverMajorVersion).measure(connection, pending, plans);
            } catch (SQLException e) {
                throw ShadowMeasurer.failure(connections, e);
            }
        }
    }

    private DeployPlan.Migration migration(LocalMigration migration, MigrationState state, MigrationPlan plan,
            List<ShadowMeasurer.Measured> measured, Map<String, Estimates.Size> sizes, int serverMajorVersion) {
        boolean transactional = plan.transactional();
        List<DeployPlan.Statement> statements = new ArrayList<>();
        int index = 0;
        for (List<SqlStatement> unit : plan.units()) {
            for (SqlStatement sql : unit) {
                boolean autocommit = !transactional && unit.size() == 1
                        && MigrationPlan.needsAutocommit(sql, serverMajorVersion);
                ShadowMeasurer.Measured m = measured == null ? null : measured.get(index);
                statements.add(new DeployPlan.Statement(sql.line(), sql.sql(), autocommit,
                        m == null ? null : Estimates.withEstimate(m, sizes)));
                index++;
            }
        }
        return new DeployPlan.Migration(migration.name(), migration.file(), state,
                transactional ? DeployPlan.TransactionMode.PER_MIGRATION : DeployPlan.TransactionMode.NONE,
                plan.reasonWithinFile(), statements);
    }

    /** Orders of magnitude from the target's table sizes. */
    static final class Estimates {

        /**
         * Sequential read, and rewrite (new heap, WAL, index rebuilds), in bytes per second: deliberately rough, set
         * from a 2-core build machine where rewriting and validating an 85 MB table took 10 s (README, plan limits).
         */
        static final long SCAN_BYTES_PER_SECOND = 100L * 1024 * 1024;
        static final long REWRITE_BYTES_PER_SECOND = 20L * 1024 * 1024;

        record Size(long bytes, long rows) {
        }

        private Estimates() {
        }

        /** The target's size of each relation that exists there (read-only: pg_class and pg_relation_size). */
        static Map<String, Size> sizes(Connection target, Set<ShadowMeasurer.Relation> relations)
                throws SQLException {
            Map<String, Size> sizes = new HashMap<>();
            if (relations.isEmpty()) {
                return sizes;
            }
            List<String> qualified = relations.stream().map(r -> r.schema() + "\1" + r.name()).toList();
            try (PreparedStatement ps = target.prepareStatement("SELECT n.nspname || chr(1) || c.relname,"
                    + " greatest(c.relpages::bigint * current_setting('block_size')::bigint, pg_relation_size(c.oid)),"
                    + " c.reltuples::bigint FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE n.nspname || chr(1) || c.relname = ANY (?)")) {
                ps.setArray(1, target.createArrayOf("text", qualified.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        sizes.put(rs.getString(1), new Size(rs.getLong(2), Math.max(0, rs.getLong(3))));
                    }
                }
            }
            return sizes;
        }

        static DeployPlan.Effect withEstimate(ShadowMeasurer.Measured m, Map<String, Size> sizes) {
            DeployPlan.Effect e = m.effect();
            if (m.rewritten().isEmpty() && m.scanned().isEmpty()) {
                return e;
            }
            double seconds = 0;
            List<String> basis = new ArrayList<>();
            Set<ShadowMeasurer.Relation> seen = new LinkedHashSet<>();
            for (ShadowMeasurer.Relation r : m.rewritten()) {
                seconds += cost(r, sizes, REWRITE_BYTES_PER_SECOND, basis, seen);
            }
            for (ShadowMeasurer.Relation r : m.scanned()) {
                if (!m.rewritten().contains(r)) {
                    seconds += cost(r, sizes, SCAN_BYTES_PER_SECOND, basis, seen);
                }
            }
            return new DeployPlan.Effect(e.measured(), e.locks(), e.rewrites(), e.scans(), e.duration(),
                    magnitude(seconds), String.join(", ", basis), e.error());
        }

        private static double cost(ShadowMeasurer.Relation r, Map<String, Size> sizes, long rate, List<String> basis,
                Set<ShadowMeasurer.Relation> seen) {
            Size size = sizes.get(r.schema() + "\1" + r.name());
            if (!seen.add(r)) {
                return 0;
            }
            if (size == null) {
                basis.add(r.display() + ": not on the target yet");
                return 0;
            }
            basis.add(r.display() + ": " + bytes(size.bytes()) + ", ~" + rows(size.rows()) + " rows");
            return (double) size.bytes() / rate;
        }

        /** The power of ten of seconds at or above the estimate: 1 s, 10 s, 100 s, ... (zero under half a second). */
        static Duration magnitude(double seconds) {
            if (seconds < 0.5) {
                return Duration.ZERO;
            }
            return Duration.ofSeconds((long) Math.pow(10, Math.max(0, Math.round(Math.log10(seconds)))));
        }

        static String bytes(long bytes) {
            String[] units = {"B", "kB", "MB", "GB", "TB"};
            double value = bytes;
            int unit = 0;
            while (value >= 1024 && unit < units.length - 1) {
                value /= 1024;
                unit++;
            }
            return unit == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
        }

        static String rows(long rows) {
            if (rows < 1000) {
                return Long.toString(rows);
            }
            String[] units = {"k", "M", "G"};
            double value = rows;
            int unit = -1;
            while (value >= 1000 && unit < units.length - 1) {
                value /= 1000;
                unit++;
            }
            return String.format(Locale.ROOT, "%.0f%s", value, units[unit]);
        }
    }
}
