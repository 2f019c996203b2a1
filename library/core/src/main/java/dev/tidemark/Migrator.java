package dev.tidemark;

import dev.tidemark.internal.history.HistoryRow;
import dev.tidemark.internal.history.HistoryTable;
import dev.tidemark.internal.history.Reconciliation;
import dev.tidemark.internal.jdbc.ConnectionSource;
import dev.tidemark.internal.jdbc.DatabaseUrl;
import dev.tidemark.internal.lint.DeployLint;
import dev.tidemark.internal.lint.TargetLint;
import dev.tidemark.internal.lock.AdvisoryLock;
import dev.tidemark.internal.reset.FastResetState;
import dev.tidemark.internal.reset.SchemaCleaner;
import dev.tidemark.internal.source.LocalMigration;
import dev.tidemark.internal.source.MigrationSource;
import dev.tidemark.internal.sql.MigrationRunner;
import dev.tidemark.internal.sql.SessionState;
import dev.tidemark.internal.sql.SqlStatement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * Applies a Prisma Migrate migrations folder to a PostgreSQL schema, and reports and repairs its history.
 *
 * <pre>{@code
 * DeployResult result = Migrator.builder()
 *         .url("postgresql://app:secret@db:5432/app?schema=public")
 *         .location("prisma/migrations")
 *         .build()
 *         .deploy();
 * }</pre>
 *
 * <p>A {@code Migrator} is immutable and safe to share; each call opens one connection, uses it, and closes it (or
 * returns it to the {@link DataSource}).
 *
 * @since 0.1
 */
public final class Migrator {

    private static final Logger log = LoggerFactory.getLogger("dev.tidemark");

    private final MigrationSource source;
    /** The folder as {@link #rollback} reads it: with the down directory, when one is configured. */
    private final MigrationSource rollbackSource;
    private final ConnectionSource connections;
    private final String schema;
    private final HistoryTable history;
    private final Duration lockWait;
    private final boolean strict;
    private final MigrationRunner runner;
    private final String target;
    private final boolean allowReset;
    private final String historyTableName;
    private final boolean resumeInterrupted;
    private final String seed;
    private final ClassLoader classLoader;
    private final LintMode lint;

    private Migrator(Builder b) {
        this.source = new MigrationSource(b.location, b.classLoader);
        this.rollbackSource = b.downLocation == null ? source
                : new MigrationSource(b.location, b.classLoader, b.downLocation);
        DatabaseUrl url = b.url == null ? null : DatabaseUrl.parse(b.url);
        this.schema = b.schema != null ? b.schema : url != null && url.schema() != null ? url.schema() : "public";
        this.connections = b.dataSource != null
                ? ConnectionSource.of(b.dataSource, b.connectWait)
                : ConnectionSource.of(url, b.user, b.password, b.connectWait).startingIn(schema);
        this.history = new HistoryTable(schema, b.historyTable);
        this.lockWait = b.lockWait;
        this.strict = b.strict;
        this.runner = new MigrationRunner(history, b.lockTimeout, b.statementTimeout, b.lockRetryBudget,
                connections::open).resumeInterrupted(b.resumeInterrupted);
        this.resumeInterrupted = b.resumeInterrupted;
        this.target = connections.description() + " (schema " + schema + ")";
        this.allowReset = b.allowReset;
        this.historyTableName = b.historyTable;
        this.seed = b.seed;
        this.classLoader = b.classLoader;
        this.lint = b.lint;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The target schema. */
    public String schema() {
        return schema;
    }

    /**
     * Applies every pending migration in order and returns what was applied.
     *
     * <p>The folder is scanned once, the migration lock taken, the history read once; then each pending migration
     * runs in one transaction together with the insert of its history row, or, if it holds a statement PostgreSQL
     * refuses in a transaction block, statement by statement in autocommit. A database already up to date costs
     * exactly that: one scan, one lock, one read.
     *
     * @throws TidemarkException if the folder is malformed, the database unreachable, the lock unavailable, a failed
     *                           migration is recorded, or a migration fails (a transactional one is rolled back)
     */
    public DeployResult deploy() {
        long start = System.nanoTime();
        List<LocalMigration> local = source.scan();
        return locked(session -> deployLocked(session, local, start));
    }

    /** The body of {@link #deploy()}, on a session that already holds the migration lock. */
    private DeployResult deployLocked(Session session, List<LocalMigration> local, long start) {
        List<HistoryRow> rows = readOrCreateHistory(session.connection);
        List<MigrationInfo> infos = Reconciliation.reconcile(local, rows);
        Map<String, Resumption> resumptions = resumptions(session.connection, local, infos, rows);
        refuseFailed(infos, resumptions.keySet(), local, rows);
        List<String> warnings = warnAboutDrift(infos);
        if (lint != LintMode.OFF) {
            DeployLint.check(lint == LintMode.ERROR, local, infos,
                    info -> MigrationStatus.isApplyable(info.state()), serverVersion(session.connection), target);
        }

        List<AppliedMigration> applied = new ArrayList<>();
        int alreadyApplied = 0;
        for (int i = 0; i < local.size(); i++) {
            Resumption resumption = resumptions.get(local.get(i).name());
            if (resumption == null && !MigrationStatus.isApplyable(infos.get(i).state())) {
                alreadyApplied++;
                continue;
            }
            if (session.state == null) {
                session.state = runner.prepareSession(session.connection, schema);
            }
            applied.add(resumption != null ? resume(session.connection, session.state, local.get(i), resumption)
                    : apply(session.connection, session.state, local.get(i)));
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        if (applied.isEmpty()) {
            log.info("{} is up to date: {} migration(s) applied, nothing to do ({} ms)", target,
                    alreadyApplied, took.toMillis());
        } else {
            log.info("Applied {} migration(s) to {} in {} ms", applied.size(), target, took.toMillis());
        }
        return new DeployResult(applied, alreadyApplied, warnings, took);
    }

    /**
     * Compares the folder with the history. Takes no lock and writes nothing.
     */
    public MigrationStatus status() {
        List<LocalMigration> local = source.scan();
        try (Session session = open()) {
            Optional<List<HistoryRow>> rows = history.read(session.connection);
            return new MigrationStatus(Reconciliation.reconcile(local, rows.orElse(List.of())), rows.isPresent());
        }
    }

    /**
     * Checks that the database is up to date without changing it: for applications whose migrations ran elsewhere
     * (an init container, a Helm hook) and must not start against an older schema.
     *
     * @return the status, when nothing is pending, failed or modified
     * @throws TidemarkException with {@link ErrorCode#NOT_UP_TO_DATE} naming every such migration
     */
    public MigrationStatus validate() {
        MigrationStatus status = status();
        if (status.upToDate() && status.modified().isEmpty()) {
            return status;
        }
        StringBuilder problems = new StringBuilder();
        appendNames(problems, "pending", status.pending());
        appendNames(problems, "failed", status.failed());
        appendNames(problems, "modified since applied", status.modified());
        throw new TidemarkException(ErrorCode.NOT_UP_TO_DATE, "Validation failed: " + target + " is not up to date with "
                + source.location() + ": " + problems + ". Run 'tidemark deploy' (or let the init container or"
                + " migration Job finish) before starting the application; resolve failed migrations with"
                + " 'tidemark resolve'.");
    }

    /**
     * Prisma's {@code migrate resolve --rolled-back}: marks the failed run of a migration as rolled back, so that the
     * next deploy applies it again. Use it after fixing the migration or undoing its partial effects.
     */
    public void resolveRolledBack(String migrationName) {
        Objects.requireNonNull(migrationName, "migrationName");
        locked(session -> {
            List<HistoryRow> rows = history.read(session.connection).orElse(List.of());
            List<HistoryRow> mine = rows.stream().filter(r -> r.migrationName().equals(migrationName)).toList();
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
            history.markRolledBack(session.connection, migrationName);
            log.info("Marked {} as rolled back in {}; the next deploy applies it again", migrationName, target);
            return null;
        });
    }

    /**
     * Prisma's {@code migrate resolve --applied}: records a migration as applied without running it, for changes made
     * by hand and for baselining an existing database. Failed runs of it are marked rolled back.
     */
    public void resolveApplied(String migrationName) {
        Objects.requireNonNull(migrationName, "migrationName");
        LocalMigration migration = source.scan().stream()
                .filter(m -> m.name().equals(migrationName))
                .findFirst()
                .orElseThrow(() -> new TidemarkException(ErrorCode.MIGRATION_NOT_FOUND, "Migration " + migrationName
                        + " was not found in " + source.location() + ". Use the name of one of its directories,"
                        + " as 'tidemark status' lists them."));
        locked(session -> {
            List<HistoryRow> rows = readOrCreateHistory(session.connection);
            if (rows.stream().anyMatch(r -> r.migrationName().equals(migrationName) && r.isApplied())) {
                throw new TidemarkException(ErrorCode.ALREADY_APPLIED, "Migration " + migrationName + " is"
                        + " already recorded as applied in " + target + ". Nothing to resolve.");
            }
            history.markRolledBack(session.connection, migrationName);
            history.insertApplied(session.connection, migrationName, migration.checksum());
            log.info("Recorded {} as applied in {} without running it", migrationName, target);
            return null;
        });
    }

    /**
     * Compares two schemas and returns what differs, with the SQL script that takes {@code from} to {@code to}: as
     * Prisma's {@code migrate diff}. Migrations folders and SQL files are applied to a shadow database first (see
     * {@link SchemaSource}). Writes nothing to the Migrator's database.
     *
     * <pre>{@code
     * SchemaDiff diff = migrator.diff(SchemaSource.migrations(), SchemaSource.sqlFile(Path.of("schema.sql")));
     * Files.writeString(dir.resolve("migration.sql"), diff.script());
     * }</pre>
     *
     * @throws TidemarkException if a database is unreachable, the shadow database cannot be created
     *                           ({@link ErrorCode#SHADOW_DATABASE_FAILED}) or a script fails on it
     *                           ({@link ErrorCode#SHADOW_APPLY_FAILED})
     * @since 0.1
     */
    public SchemaDiff diff(SchemaSource from, SchemaSource to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        long start = System.nanoTime();
        dev.tidemark.internal.schema.SchemaModel a = schemaModel(from);
        dev.tidemark.internal.schema.SchemaModel b = schemaModel(to);
        List<dev.tidemark.internal.schema.Change> changes = dev.tidemark.internal.schema.SchemaDiffer.diff(a, b);
        List<SchemaChange> reported = changes.stream()
                .filter(c -> !c.implied())
                .map(c -> new SchemaChange(SchemaChange.Kind.valueOf(c.kind().name()), c.objectType(), c.object(),
                        c.description(), c.destructive(), c.warning()))
                .toList();
        log.info("Compared {} with {} (schema {}): {} in {} ms", describeSource(from), describeSource(to), schema,
                reported.isEmpty() ? "no difference" : reported.size() + " difference(s)",
                Duration.ofNanos(System.nanoTime() - start).toMillis());
        return new SchemaDiff(describeSource(from), describeSource(to), reported,
                dev.tidemark.internal.schema.DiffScript.summary(changes),
                dev.tidemark.internal.schema.DiffScript.script(changes));
    }

    /**
     * Drift detection: compares the schema the migrations build (applied to a shadow database) with the live
     * database, so the result names what was changed by hand; its script reproduces those changes on top of the
     * migrations. Equivalent to {@code diff(SchemaSource.migrations(), SchemaSource.database())}.
     *
     * @since 0.1
     */
    public SchemaDiff drift() {
        return diff(SchemaSource.migrations(), SchemaSource.database());
    }

    /**
     * The schema of a source as stable, readable text: every table, column, constraint, index, enum, sequence,
     * view, routine, trigger and extension, sorted by name.
     *
     * @since 0.1
     */
    public String describeSchema(SchemaSource source) {
        Objects.requireNonNull(source, "source");
        return dev.tidemark.internal.schema.SchemaRenderer.render(schemaModel(source));
    }

    private dev.tidemark.internal.schema.SchemaModel schemaModel(SchemaSource source) {
        java.util.Set<String> excluded = java.util.Set.of(history.table());
        switch (source.kind()) {
            case EMPTY:
                return dev.tidemark.internal.schema.SchemaModel.empty(schema);
            case DATABASE:
                try (Session session = open()) {
                    return new dev.tidemark.internal.schema.SchemaIntrospector(schema, excluded)
                            .read(session.connection);
                }
            case URL: {
                DatabaseUrl url = DatabaseUrl.parse(source.value());
                ConnectionSource other = ConnectionSource.of(url, null, null, Duration.ZERO);
                try (Connection connection = other.open()) {
                    return new dev.tidemark.internal.schema.SchemaIntrospector(
                            url.schema() != null ? url.schema() : schema, excluded).read(connection);
                } catch (SQLException e) {
                    throw new TidemarkException(ErrorCode.DATABASE_ERROR, "Could not read " + source + ": "
                            + other.mask(e.getMessage()) + ".", e);
                }
            }
            default:
                break;
        }
        List<LocalMigration> scripts;
        if (source.kind() == SchemaSource.Kind.MIGRATIONS) {
            scripts = (source.value() == null ? this.source
                    : new MigrationSource(source.value(), Thread.currentThread().getContextClassLoader() != null
                            ? Thread.currentThread().getContextClassLoader() : Migrator.class.getClassLoader()))
                    .scan();
        } else {
            java.nio.file.Path file = java.nio.file.Path.of(source.value());
            try {
                byte[] bytes = java.nio.file.Files.readAllBytes(file);
                scripts = List.of(new LocalMigration(file.getFileName().toString(), file.toString(),
                        new String(bytes, java.nio.charset.StandardCharsets.UTF_8), "", false));
            } catch (java.io.IOException e) {
                throw new TidemarkException(ErrorCode.CONFIGURATION_INVALID, "Could not read the schema file "
                        + file + ": " + e + ". Give the path of a SQL file describing the desired schema.", e);
            }
        }
        try (dev.tidemark.internal.schema.ShadowDatabase shadow = source.shadowDatabaseUrl() != null
                ? dev.tidemark.internal.schema.ShadowDatabase.given(ConnectionSource.of(
                        DatabaseUrl.parse(source.shadowDatabaseUrl()), null, null, Duration.ZERO), schema)
                : dev.tidemark.internal.schema.ShadowDatabase.create(connections, schema)) {
            return shadow.apply(scripts, excluded);
        }
    }

    private String describeSource(SchemaSource source) {
        return switch (source.kind()) {
            case DATABASE -> "the database " + connections.description();
            case MIGRATIONS -> "the migrations in " + (source.value() == null ? this.source.location()
                    : source.value());
            default -> source.toString();
        };
    }

    /** The environment variable that allows {@link #reset()} when set to {@code true}. */
    public static final String ALLOW_RESET_VARIABLE = "TIDEMARK_ALLOW_RESET";

    /**
     * Prisma's {@code migrate reset}: drops every object of the schema (tables, views, materialized views, sequences,
     * enums and other types, functions and procedures, extensions installed in it, and the history table), then
     * deploys every migration again. The schema itself, its owner and its grants stay. Dropping and deploying happen
     * under the migration lock; the drop is one transaction.
     *
     * <p>This destroys all data in the schema, so it is refused unless allowed: {@link Builder#allowReset(boolean)},
     * or the environment variable {@code TIDEMARK_ALLOW_RESET=true}. For resetting between tests, {@link FastReset}
     * is much faster.
     *
     * @return what the deploy after the drop applied
     * @throws TidemarkException with {@link ErrorCode#RESET_REFUSED} when reset is not allowed, or as {@link #deploy()}
     */
    public DeployResult reset() {
        requireResetAllowed("reset");
        long start = System.nanoTime();
        List<LocalMigration> local = source.scan();
        return locked(session -> resetLocked(session, local, start));
    }

    private DeployResult resetLocked(Session session, List<LocalMigration> local, long start) {
        SchemaCleaner.Dropped dropped = SchemaCleaner.dropAll(session.connection, schema);
        log.info("Reset {}: dropped {}", target, dropped);
        DeployResult result = deployLocked(session, local, start);
        if (seed != null) {
            seedLocked(session);
        }
        return result;
    }

    /**
     * Behind {@link FastReset#prepare(Migrator)}: under the migration lock, reuses the database's recorded migrated
     * state when it was taken for exactly these migrations, else resets the schema, deploys, and records it.
     */
    FastReset prepareFastReset() {
        requireResetAllowed("fast reset");
        long start = System.nanoTime();
        List<LocalMigration> local = source.scan();
        String fingerprint = seeded(FastResetState.fingerprint(schema, historyTableName, local));
        return locked(session -> {
            Optional<String> stored = FastResetState.storedFingerprint(session.connection, schema);
            if (stored.isPresent() && stored.get().equals(fingerprint)) {
                log.info("Fast reset of {} reuses the migrated state recorded for these migrations", target);
                return new FastReset(this, fingerprint, false);
            }
            log.info("Fast reset of {}: {}; resetting the schema and deploying", target, stored.isPresent()
                    ? "the recorded state is stale (the migrations changed)" : "no migrated state is recorded");
            resetLocked(session, local, start);
            FastResetState.Snapshot snapshot = FastResetState.take(session.connection, schema,
                    historyTableName, fingerprint);
            log.info("Recorded the migrated state of {} for fast resets: {} table(s), {} seed row(s) in {}"
                    + " table(s), {} sequence(s){} ({} ms)", target, snapshot.tables(), snapshot.seedRows(),
                    snapshot.seededTables(), snapshot.sequences(), snapshot.replica() ? ""
                            : "; without permission to set session_replication_role, so rows are deleted"
                            + " children first and triggers are switched off table by table",
                    Duration.ofNanos(System.nanoTime() - start).toMillis());
            return new FastReset(this, fingerprint, true);
        });
    }

    /** A connection for {@link FastReset}, from the configured DataSource or URL. */
    Connection connectForReset() {
        return connections.open();
    }

    private void requireResetAllowed(String what) {
        if (allowReset || "true".equalsIgnoreCase(System.getenv(ALLOW_RESET_VARIABLE))) {
            return;
        }
        throw new TidemarkException(ErrorCode.RESET_REFUSED, "Refusing to " + what + " " + target + ": it deletes"
                + " all data in the schema, so it must be allowed explicitly. Allow it only for development and"
                + " test databases: set the environment variable " + ALLOW_RESET_VARIABLE + "=true, or call"
                + " allowReset(true) on the Migrator builder.");
    }

    private AppliedMigration apply(Connection connection, SessionState state, LocalMigration migration) {
        long start = System.nanoTime();
        List<SqlStatement> statements = MigrationRunner.statements(migration);
        MigrationRunner.Mode mode = MigrationRunner.mode(migration, statements);
        // A transactional migration writes its history row inside its own transaction (one commit, so one WAL
        // flush, per migration); only one that runs without a transaction needs its row up front, to record progress.
        String rowId = mode == MigrationRunner.Mode.NONE
                ? history.start(connection, migration.name(), migration.checksum())
                : null;
        int count = runner.apply(connection, state, migration, statements, mode, rowId);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        log.info("Applied {} ({} statement(s){}) in {} ms", migration.name(), count,
                mode == MigrationRunner.Mode.NONE ? ", without a transaction" : "", took.toMillis());
        return new AppliedMigration(migration.name(), migration.checksum(), count, took);
    }

    /**
     * How an interrupted migration goes on: an autocommit one resumes its row after {@code row}'s recorded steps; a
     * transactional one that was rolled back after a failure of the connection or the moment runs again.
     */
    private record Resumption(HistoryRow row, List<SqlStatement> statements, boolean runAgain) {
    }

    /**
     * The failed migrations this deploy goes on with instead of refusing (Prisma's P3009): those interrupted by a
     * kill, a terminated backend, a lost connection, a lock timeout or a cancellation, never those whose file
     * failed. An unfinished row cannot belong to a running deployer: its writer held the migration lock, which this
     * deploy holds now. An autocommit migration whose interrupted statement's outcome cannot be checked is refused
     * here, before anything runs, with what to check and do.
     */
    private Map<String, Resumption> resumptions(Connection connection, List<LocalMigration> local,
            List<MigrationInfo> infos, List<HistoryRow> rows) {
        Map<String, Resumption> result = new HashMap<>();
        if (!resumeInterrupted) {
            return result;
        }
        for (int i = 0; i < local.size(); i++) {
            if (infos.get(i).state() != MigrationState.FAILED) {
                continue;
            }
            LocalMigration migration = local.get(i);
            List<HistoryRow> mine = rows.stream().filter(r -> r.migrationName().equals(migration.name())).toList();
            List<HistoryRow> failed = mine.stream().filter(HistoryRow::isFailed).toList();
            if (failed.size() != 1 || mine.stream().anyMatch(HistoryRow::isApplied)) {
                continue;
            }
            HistoryRow row = failed.get(0);
            if (!MigrationRunner.interrupted(row.logs())) {
                continue;
            }
            List<SqlStatement> statements = MigrationRunner.statements(migration);
            if (MigrationRunner.mode(migration, statements) == MigrationRunner.Mode.PER_MIGRATION) {
                if (MigrationRunner.rolledBack(row.logs())) {
                    result.put(migration.name(), new Resumption(row, statements, true));
                }
                continue;
            }
            if (!migration.matches(row.checksum())) {
                throw new TidemarkException(ErrorCode.FAILED_MIGRATION_PRESENT, "Migration " + migration.name()
                        + " was interrupted " + MigrationRunner.interruptedStatement(migration, statements,
                                row.appliedStepsCount()) + " of the file as it is now, but " + migration.file()
                        + " has changed since that run (recorded checksum " + row.checksum() + ", file checksum "
                        + migration.checksum() + "), so Tidemark cannot tell which of its statements are applied."
                        + " Restore the file as it was and deploy again to resume it; or compare the database with"
                        + " the file, complete or undo the migration by hand, and run 'tidemark resolve --applied "
                        + migration.name() + "' or 'tidemark resolve --rolled-back " + migration.name() + "'.");
            }
            String refusal = runner.resumeRefusal(connection, migration, statements, row.id(),
                    row.appliedStepsCount());
            if (refusal != null) {
                throw new TidemarkException(ErrorCode.FAILED_MIGRATION_PRESENT, refusal);
            }
            result.put(migration.name(), new Resumption(row, statements, false));
        }
        return result;
    }

    private AppliedMigration resume(Connection connection, SessionState state, LocalMigration migration,
            Resumption resumption) {
        if (resumption.runAgain()) {
            log.info("{} was rolled back after its connection failed or it gave up waiting ({}); running it again",
                    migration.name(), firstLine(resumption.row().logs()));
            history.markRolledBack(connection, migration.name());
            return apply(connection, state, migration);
        }
        long start = System.nanoTime();
        log.info("{} was interrupted {}; resuming it", migration.name(), MigrationRunner.interruptedStatement(
                migration, resumption.statements(), resumption.row().appliedStepsCount()));
        int count = runner.resume(connection, state, migration, resumption.statements(), resumption.row().id(),
                resumption.row().appliedStepsCount());
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        log.info("Resumed {} ({} more statement(s), without a transaction) in {} ms", migration.name(), count,
                took.toMillis());
        return new AppliedMigration(migration.name(), migration.checksum(), count, took);
    }

    private List<HistoryRow> readOrCreateHistory(Connection connection) {
        Optional<List<HistoryRow>> rows = history.read(connection);
        if (rows.isPresent()) {
            return rows.get();
        }
        history.create(connection);
        log.info("Created the history table {} in {}", history.qualifiedName(), connections.description());
        return List.of();
    }

    private void refuseFailed(List<MigrationInfo> infos, java.util.Set<String> resumed, List<LocalMigration> local,
            List<HistoryRow> rows) {
        for (MigrationInfo info : infos) {
            if (info.state() == MigrationState.FAILED && !resumed.contains(info.name())) {
                String interruption = interruption(info, local);
                throw new TidemarkException(ErrorCode.FAILED_MIGRATION_PRESENT, "Found a failed migration in "
                        + target + ", so no new migration is applied: " + info.name() + " started at "
                        + info.startedAt() + " and failed" + (info.logs() == null || info.logs().isBlank() ? ""
                                : " (" + firstLine(info.logs()) + ")")
                        + "." + interruption
                        + " If you fixed the migration or undid its partial changes, run 'tidemark resolve"
                        + " --rolled-back " + info.name() + "' and deploy again; if you completed its changes by hand,"
                        + " run 'tidemark resolve --applied " + info.name() + "'.");
            }
        }
    }

    /**
     * For a refused autocommit migration that was interrupted rather than failed: where it stopped, and that the
     * statement there may have completed.
     */
    private String interruption(MigrationInfo info, List<LocalMigration> local) {
        if (!MigrationRunner.interrupted(info.logs())) {
            return "";
        }
        for (LocalMigration migration : local) {
            if (migration.name().equals(info.name())) {
                List<SqlStatement> statements = MigrationRunner.statements(migration);
                if (MigrationRunner.mode(migration, statements) == MigrationRunner.Mode.PER_MIGRATION) {
                    return "";
                }
                return " It runs without a transaction and was interrupted " + MigrationRunner.interruptedStatement(
                        migration, statements, info.appliedStepsCount()) + ": the statements before it are applied and"
                        + " that one may have completed, so check its effect before resolving"
                        + (resumeInterrupted ? "." : "; resuming such a migration is turned off"
                                + " (resumeInterrupted false), which would check it and go on.");
            }
        }
        return "";
    }

    private List<String> warnAboutDrift(List<MigrationInfo> infos) {
        List<String> warnings = new ArrayList<>();
        List<String> modified = new ArrayList<>();
        for (MigrationInfo info : infos) {
            if (info.state() == MigrationState.MODIFIED) {
                modified.add(info.name());
                warnings.add("Migration " + info.name() + " was modified after it was applied (recorded checksum "
                        + info.appliedChecksum() + ", file checksum " + info.checksum() + ").");
            } else if (info.state() == MigrationState.MISSING_LOCALLY) {
                warnings.add("Migration " + info.name() + " is applied to the database but missing from "
                        + source.location() + ".");
            }
        }
        if (strict && !modified.isEmpty()) {
            throw new TidemarkException(ErrorCode.MODIFIED_MIGRATION, "Strict mode refuses to deploy because applied"
                    + " migration(s) were modified since they ran: " + String.join(", ", modified) + ". Restore"
                    + " the original files (git checkout) and put further changes in a new migration; if the edit"
                    + " only changed comments or formatting, turn strict mode off for this deploy.");
        }
        for (String warning : warnings) {
            log.warn("{}: {}", target, warning);
        }
        return warnings;
    }

    private static void appendNames(StringBuilder out, String label, List<MigrationInfo> infos) {
        if (infos.isEmpty()) {
            return;
        }
        if (out.length() > 0) {
            out.append("; ");
        }
        out.append(label).append(": ").append(String.join(", ", infos.stream().map(MigrationInfo::name).toList()));
    }

    private static String firstLine(String text) {
        String stripped = text.strip();
        int newline = stripped.indexOf('\n');
        return newline < 0 ? stripped : stripped.substring(0, newline);
    }

    /** Runs {@code work} on one connection that holds the migration lock, releasing the lock however it ends. */
    private <T> T locked(Function<Session, T> work) {
        try (Session session = open()) {
            AdvisoryLock.acquire(session.connection, schema, lockWait);
            try {
                return work.apply(session);
            } finally {
                AdvisoryLock.release(session.connection, schema);
            }
        }
    }

    private Session open() {
        return new Session(connections.open());
    }

    /**
     * The one connection of a command: autocommit on, and, once migrations ran on it, the caller's search_path,
     * timeouts and role restored at the end.
     */
    private static final class Session implements AutoCloseable {
        final Connection connection;
        private final boolean autoCommit;
        /** Set before the first migration runs; see {@link SessionState}. */
        SessionState state;

        Session(Connection connection) {
            this.connection = connection;
            try {
                this.autoCommit = connection.getAutoCommit();
                if (!autoCommit) {
                    connection.setAutoCommit(true);
                }
            } catch (SQLException e) {
                close();
                throw new TidemarkException(ErrorCode.DATABASE_ERROR, "Could not prepare the connection: "
                        + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            try {
                if (state != null && !connection.isClosed()) {
                    state.restore(connection);
                }
                if (!autoCommit && !connection.isClosed()) {
                    connection.setAutoCommit(false);
                }
            } catch (SQLException e) {
                log.debug("Could not restore the connection's settings: {}", e.getMessage());
            } finally {
                try {
                    connection.close();
                } catch (SQLException e) {
                    log.debug("Could not close the connection: {}", e.getMessage());
                }
            }
        }
    }

    /**
     * Records in the history what Flyway or Liquibase applied to this database, read from the tool's history table
     * ({@link ImportPlan#historyTable()}), so that the next {@link #deploy()} applies nothing already applied and
     * {@link #status()} (and Prisma's {@code migrate status}) say up to date. Each migration the tool applied
     * successfully gets the row {@link #resolveApplied(String)} writes, with the converted file's checksum, all in one
     * transaction under the migration lock; failed runs are reported, not recorded. The converted files must be in
     * this Migrator's migrations folder ({@link ImportPlan#write(java.nio.file.Path)}).
     *
     * @param apply false for a dry run: report what would be recorded, write nothing
     * @throws TidemarkException with {@link ErrorCode#IMPORT_INVALID} if the tool's history table is missing or a
     *                           converted file is not in the folder
     * @since 0.1
     */
    public HistoryImport importHistory(ImportPlan plan, boolean apply) {
        Objects.requireNonNull(plan, "plan");
        List<LocalMigration> local = source.scan();
        HistoryImport result = locked(session -> dev.tidemark.internal.importer.HistoryImporter.run(
                session.connection, history, schema, local, plan, apply));
        log.info("{} {} migration(s) applied by {} as applied in {}", apply ? "Recorded" : "Would record (dry run)",
                result.recorded().size(), plan.tool().displayName(), target);
        return result;
    }

    /**
     * Prisma's {@code db seed} for SQL: runs the configured seed file ({@link Builder#seed(String)}) in one
     * transaction, under the migration lock, with {@code search_path} set to the target schema. {@link #reset()} and
     * {@link FastReset} run it after migrating, so that per-test resets restore the seeded rows.
     *
     * @throws TidemarkException with {@link ErrorCode#CONFIGURATION_INVALID} when no seed file is configured or it
     *                           does not exist, {@link ErrorCode#SEED_FAILED} when a statement fails (nothing is kept)
     * @since 0.1
     */
    public SeedResult seed() {
        if (seed == null) {
            throw new TidemarkException(ErrorCode.CONFIGURATION_INVALID, "No seed file is configured. Set it with"
                    + " seed(\"prisma/seed.sql\") on the builder (CLI: tidemark seed --file FILE; starter:"
                    + " tidemark.seed).");
        }
        return locked(this::seedLocked);
    }

    private SeedResult seedLocked(Session session) {
        long start = System.nanoTime();
        dev.tidemark.internal.seed.SeedFile file = dev.tidemark.internal.seed.SeedFile.read(seed, classLoader);
        int count = dev.tidemark.internal.seed.OneTransaction.run(session.connection, schema, "The seed file "
                + seed, file.script(), ErrorCode.SEED_FAILED, "Fix the statement and seed again.");
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        log.info("Seeded {} from {} ({} statement(s)) in {} ms", target, seed, count, took.toMillis());
        return new SeedResult(seed, count, took);
    }

    /** The fast-reset fingerprint, including the seed file: an edited seed makes the recorded state stale. */
    private String seeded(String fingerprint) {
        return seed == null ? fingerprint : dev.tidemark.internal.source.Checksums.sha256((fingerprint + " seed "
                + dev.tidemark.internal.seed.SeedFile.read(seed, classLoader).checksum())
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * Prisma's {@code db push}: makes the database's schema match {@code desired} through the diff engine, without
     * a migration and without touching the history. Refused on a database with a migration history unless
     * {@link PushOption#FORCE}, and when a step can lose data or fail on existing rows unless
     * {@link PushOption#ACCEPT_DATA_LOSS}; {@link PushOption#DRY_RUN} checks and returns the script only. The
     * script runs in one transaction under the migration lock.
     *
     * @throws TidemarkException with {@link ErrorCode#PUSH_REFUSED} for a refusal, {@link ErrorCode#MIGRATION_FAILED}
     *                           for a failing step (then nothing is changed), or as
     *                           {@link #diff(SchemaSource, SchemaSource)}
     * @since 0.1
     */
    public PushResult push(SchemaSource desired, PushOption... options) {
        Objects.requireNonNull(desired, "desired");
        java.util.Set<PushOption> set = java.util.EnumSet.noneOf(PushOption.class);
        set.addAll(List.of(options));
        return locked(session -> {
            if (!set.contains(PushOption.FORCE)) {
                dev.tidemark.internal.push.SchemaPush.refuseHistory(session.connection, history, target);
            }
            SchemaDiff diff = diff(SchemaSource.database(), desired);
            List<SchemaChange> risky = dev.tidemark.internal.push.SchemaPush.risky(diff);
            if (set.contains(PushOption.DRY_RUN) || !diff.hasDifferences()) {
                return new PushResult(diff, risky, false);
            }
            if (!set.contains(PushOption.ACCEPT_DATA_LOSS)) {
                dev.tidemark.internal.push.SchemaPush.refuseDataLoss(diff, target);
            }
            int count = dev.tidemark.internal.push.SchemaPush.apply(session.connection, schema, diff);
            log.info("Pushed {} change(s) ({} statement(s)) to {}, without a migration", diff.changes().size(),
                    count, target);
            return new PushResult(diff, risky, true);
        });
    }

    /**
     * Rolls back the newest applied migrations with their down scripts ({@code down.sql} beside each
     * {@code migration.sql}, or the {@link Builder#downLocation(String) down directory}), newest first, under the
     * migration lock. Each history row gets {@code rolled_back_at} (nothing is deleted), so Prisma and Tidemark both
     * count those migrations as pending again and the next deploy applies them. Everything that can refuse is checked
     * before the first down script runs.
     *
     * @throws TidemarkException {@link ErrorCode#ROLLBACK_REFUSED} when a migration to roll back has no down script,
     *                           was modified (without force) or is not applied; {@link ErrorCode#MIGRATION_NOT_FOUND}
     *                           for an unknown {@code to}; {@link ErrorCode#FAILED_MIGRATION_PRESENT} when a failed
     *                           migration is recorded; {@link ErrorCode#MIGRATIONS_INVALID} for a down script that
     *                           does not parse; {@link MigrationFailedException} when a down script fails (its
     *                           migration stays applied)
     * @since 0.1
     */
    public RollbackResult rollback(RollbackRequest request) {
        Objects.requireNonNull(request, "request");
        long start = System.nanoTime();
        List<LocalMigration> local = rollbackSource.scan();
        dev.tidemark.internal.rollback.Rollback rollback = new dev.tidemark.internal.rollback.Rollback(history, runner,
                target, source.location());
        return locked(session -> rollback.run(session.connection, local, request, start, () -> {
            if (session.state == null) {
                session.state = runner.prepareSession(session.connection, schema);
            }
            return session.state;
        }));
    }

    /** {@link #lint(Lint)} with the default rules and the target's server version. */
    public LintReport lint() {
        return lint(Lint.defaults());
    }

    /**
     * Lints the pending migrations against the database, changing nothing (no lock, no history table created): the
     * applied migrations and the target's catalog (tables, column types, enums, {@code pg_class.reltuples}) give
     * the state the rules see.
     */
    public LintReport lint(Lint settings) {
        List<LocalMigration> local = source.scan();
        try (Session session = open()) {
            List<MigrationInfo> infos = Reconciliation.reconcile(local,
                    history.read(session.connection).orElse(List.of()));
            return TargetLint.lint(session.connection, schema, local, infos,
                    info -> MigrationStatus.isApplyable(info.state()), settings.ruleIds(),
                    settings.effectiveVersion(serverVersion(session.connection)));
        }
    }

    private static int serverVersion(Connection connection) {
        try {
            return connection.getMetaData().getDatabaseMajorVersion();
        } catch (SQLException e) {
            return 0;
        }
    }

    /**
     * What {@link #deploy()} would do, changing nothing: the pending migrations in order, each with its statements,
     * transaction mode and why. Takes no migration lock and reads the history once, as {@link #status()}. With
     * {@code measure}, the applied migrations are replayed on a temporary shadow database (CREATEDB privilege), the
     * pending ones run there statement by statement, and each statement's locks, rewrites, scans and duration are
     * read from its own backend; the target is only read ({@code pg_class} sizes for the estimates).
     *
     * @throws TidemarkException if the folder is malformed, the database unreachable, or the shadow database cannot
     *                           be created ({@link ErrorCode#SHADOW_DATABASE_FAILED})
     * @since 0.1
     */
    public DeployPlan plan(boolean measure) {
        return new dev.tidemark.internal.plan.Planner(connections, history, schema, target).plan(source.scan(),
                measure);
    }

    /**
     * Generates the down script of a migration: the SQL that takes the schema after it back to the schema before it,
     * found by applying the migrations to a temporary shadow database. The data it loses is stated at the top; the
     * migration's data changes, which no schema diff can undo, are listed there for the author. Writes nothing.
     *
     * @param migrationName the migration's directory name (or the part after its timestamp, when unique)
     * @param shadowDatabaseUrl an empty database to apply the migrations in, or null for a temporary one
     * @since 0.2
     */
    public DownScript generateDown(String migrationName, String shadowDatabaseUrl) {
        Objects.requireNonNull(migrationName, "migrationName");
        return new dev.tidemark.internal.reverse.DownGenerator(source, dev.tidemark.internal.reverse.Shadows.of(
                connections, shadowDatabaseUrl, schema), java.util.Set.of(history.table())).generate(migrationName);
    }

    /** {@link #generateDown(String, String)} on a temporary shadow database. */
    public DownScript generateDown(String migrationName) {
        return generateDown(migrationName, null);
    }

    /**
     * Checks down scripts on a shadow database: per migration, in order, up, down (the schema must equal the one
     * before up, as drift compares), up again (it must equal the one after the first up). Writes nothing to the
     * Migrator's database.
     *
     * @since 0.2
     */
    public DownVerification verifyDown(VerifyDownRequest request) {
        Objects.requireNonNull(request, "request");
        return new dev.tidemark.internal.reverse.DownVerifier(rollbackSource,
                dev.tidemark.internal.reverse.Shadows.of(connections, request.shadowDatabaseUrl(), schema), schema,
                java.util.Set.of(history.table())).verify(request, this::status);
    }

    /**
     * Configures a {@link Migrator}. Every setting is checked in {@link #build()}; nothing changes afterwards.
     *
     * @since 0.1
     */
    public static final class Builder {

        /** The default {@link #location(String)}: {@code classpath:db/migrations}. */
        public static final String DEFAULT_LOCATION = "classpath:db/migrations";
        /** The default {@link #historyTable(String)}: {@code _prisma_migrations}, shared with Prisma Migrate. */
        public static final String DEFAULT_HISTORY_TABLE = HistoryTable.DEFAULT_NAME;
        /** The default {@link #lockWait(Duration)}: 10 s, as Prisma's. */
        public static final Duration DEFAULT_LOCK_WAIT = Duration.ofSeconds(10);
        /** The default {@link #connectWait(Duration)}: zero, fail at once. */
        public static final Duration DEFAULT_CONNECT_WAIT = Duration.ZERO;
        /** The default {@link #lockTimeout(Duration)}: 3 s. */
        public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(3);
        /** The default {@link #statementTimeout(Duration)}: zero, none. */
        public static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ZERO;
        /** The default {@link #lockRetryBudget(Duration)}: 5 minutes. */
        public static final Duration DEFAULT_LOCK_RETRY_BUDGET = Duration.ofMinutes(5);
        /** The default {@link #lint(LintMode)}: {@link LintMode#WARN}. */
        public static final LintMode DEFAULT_LINT = LintMode.WARN;

        private DataSource dataSource;
        private String url;
        private String user;
        private String password;
        private String location = DEFAULT_LOCATION;
        private ClassLoader classLoader;
        private String schema;
        private String historyTable = DEFAULT_HISTORY_TABLE;
        private Duration lockWait = DEFAULT_LOCK_WAIT;
        private Duration connectWait = DEFAULT_CONNECT_WAIT;
        private boolean strict;
        private Duration lockTimeout = DEFAULT_LOCK_TIMEOUT;
        private Duration statementTimeout = DEFAULT_STATEMENT_TIMEOUT;
        private Duration lockRetryBudget = DEFAULT_LOCK_RETRY_BUDGET;
        private boolean allowReset;
        private boolean resumeInterrupted = true;
        private String seed;
        private String downLocation;
        private LintMode lint = DEFAULT_LINT;

        private Builder() {
        }

        /** Connections come from this DataSource (a pool is fine: one connection is borrowed per call). */
        public Builder dataSource(DataSource dataSource) {
            this.dataSource = dataSource;
            return this;
        }

        /**
         * The database, as {@code postgresql://user:password@host:5432/db?schema=public} (Prisma's and libpq's form,
         * percent-encoded) or {@code jdbc:postgresql://host:5432/db}.
         */
        public Builder url(String url) {
            this.url = url;
            return this;
        }

        /** The user, overriding any in the URL. */
        public Builder user(String user) {
            this.user = user;
            return this;
        }

        /** The password, overriding any in the URL. Never logged. */
        public Builder password(String password) {
            this.password = password;
            return this;
        }

        /**
         * The migrations folder: a file-system path, or {@code classpath:db/migrations} (a directory or a jar,
         * including a Spring Boot fat jar). Default {@code classpath:db/migrations}.
         */
        public Builder location(String location) {
            this.location = location;
            return this;
        }

        /** The class loader for {@code classpath:} locations; default the thread's context class loader. */
        public Builder classLoader(ClassLoader classLoader) {
            this.classLoader = classLoader;
            return this;
        }

        /** The target schema; default the URL's {@code schema}/{@code currentSchema}, else {@code public}. */
        public Builder schema(String schema) {
            this.schema = schema;
            return this;
        }

        /** The history table's name; default {@code _prisma_migrations}, shared with Prisma Migrate. */
        public Builder historyTable(String historyTable) {
            this.historyTable = historyTable;
            return this;
        }

        /** How long to wait for another deployer's migration lock; default 10 s, as Prisma. Zero: do not wait. */
        public Builder lockWait(Duration lockWait) {
            this.lockWait = lockWait;
            return this;
        }

        /** How long to keep retrying while the database is unreachable; default zero (fail at once). */
        public Builder connectWait(Duration connectWait) {
            this.connectWait = connectWait;
            return this;
        }

        /** Refuse to deploy when an applied migration's file was modified; default off (warn only). */
        public Builder strict(boolean strict) {
            this.strict = strict;
            return this;
        }

        /**
         * PostgreSQL's {@code lock_timeout} for migration statements; default 3 s, zero disables. A statement that
         * waits longer for a table lock gives up instead of queueing every other query on that table behind it.
         */
        public Builder lockTimeout(Duration lockTimeout) {
            this.lockTimeout = lockTimeout;
            return this;
        }

        /** PostgreSQL's {@code statement_timeout} for migration statements; default zero (none). */
        public Builder statementTimeout(Duration statementTimeout) {
            this.statementTimeout = statementTimeout;
            return this;
        }

        /**
         * How long a transactional migration that hit its lock timeout keeps being retried, with exponential backoff
         * and jitter; default 5 minutes, zero: fail at the first lock timeout.
         */
        public Builder lockRetryBudget(Duration lockRetryBudget) {
            this.lockRetryBudget = lockRetryBudget;
            return this;
        }

        /**
         * Allows {@link Migrator#reset()} and {@link FastReset}, which delete all data in the schema; default off.
         * The environment variable {@code TIDEMARK_ALLOW_RESET=true} allows them too.
         */
        public Builder allowReset(boolean allowReset) {
            this.allowReset = allowReset;
            return this;
        }

        /**
         * Whether a deploy goes on with a migration that was interrupted (its deployer killed, its backend
         * terminated, its connection lost, or it gave up on a lock) instead of refusing as Prisma does (P3009);
         * default true. An autocommit migration resumes after the statements its history row records as done,
         * checking first whether the interrupted statement completed; a transactional one, rolled back, runs again.
         * Off: every unfinished row blocks deploys until resolved, as with Prisma.
         */
        public Builder resumeInterrupted(boolean resumeInterrupted) {
            this.resumeInterrupted = resumeInterrupted;
            return this;
        }

        /**
         * The seed file (Prisma's {@code db seed}, for SQL): a path, or {@code classpath:db/seed.sql}. Run by
         * {@link Migrator#seed()}, and after {@link Migrator#reset()} and a fast reset's migration; default none.
         */
        public Builder seed(String seed) {
            this.seed = seed;
            return this;
        }

        /**
         * A directory of hand-written rollback scripts for {@link Migrator#rollback}, named {@code <migration>.sql}
         * (as in a {@code down-migrations} folder) or {@code rollback_<timestamp>.sql}; default none: each migration's
         * own {@code down.sql}. A file system path only.
         */
        public Builder downLocation(String downLocation) {
            this.downLocation = downLocation;
            return this;
        }

        /**
         * What {@link Migrator#deploy()} does with the static lint findings of the pending migrations: log them
         * ({@link LintMode#WARN}, the default), also refuse on a finding of severity error ({@link LintMode#ERROR}),
         * or nothing ({@link LintMode#OFF}).
         */
        public Builder lint(LintMode lint) {
            this.lint = lint;
            return this;
        }

        public Migrator build() {
            if (dataSource == null && (url == null || url.isBlank())) {
                throw invalid("No database is configured. Set a DataSource or a URL such as"
                        + " postgresql://user:password@host:5432/db (CLI: DATABASE_URL or --url).");
            }
            if (dataSource != null && url != null) {
                throw invalid("Both a DataSource and a URL are configured; set only one.");
            }
            if (location == null || location.isBlank()) {
                throw invalid("The migrations location is empty. Set it to the folder holding the migration"
                        + " directories, for example prisma/migrations or classpath:db/migrations.");
            }
            if (schema != null && schema.isBlank()) {
                throw invalid("The schema is blank. Leave it unset for public, or name a schema.");
            }
            if (historyTable == null || historyTable.isBlank()) {
                throw invalid("The history table name is blank. Leave it unset for _prisma_migrations.");
            }
            if (seed != null && seed.isBlank()) {
                throw invalid("The seed file is blank. Leave it unset for no seeding, or give a path such as"
                        + " prisma/seed.sql.");
            }
            if (downLocation != null && (downLocation.isBlank()
                    || downLocation.startsWith(MigrationSource.CLASSPATH_PREFIX))) {
                throw invalid("The down location '" + downLocation + "' must be a directory on the file system"
                        + " holding <migration>.sql or rollback_<timestamp>.sql files; leave it unset to use each"
                        + " migration's own down.sql.");
            }
            checkDuration("lockWait", lockWait);
            checkDuration("connectWait", connectWait);
            checkDuration("lockTimeout", lockTimeout);
            checkDuration("statementTimeout", statementTimeout);
            checkDuration("lockRetryBudget", lockRetryBudget);
            if (lint == null) {
                throw invalid("The lint mode is null; use off, warn or error.");
            }
            if (classLoader == null) {
                classLoader = Thread.currentThread().getContextClassLoader() != null
                        ? Thread.currentThread().getContextClassLoader()
                        : Migrator.class.getClassLoader();
            }
            return new Migrator(this);
        }

        private static void checkDuration(String name, Duration value) {
            if (value == null || value.isNegative()) {
                throw invalid(name + " must be zero or positive (got " + value + ").");
            }
        }

        private static TidemarkException invalid(String message) {
            return new TidemarkException(ErrorCode.CONFIGURATION_INVALID, message);
        }
    }
}
