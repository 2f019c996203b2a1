package dev.tidemark;

import dev.tidemark.internal.events.Events;
import dev.tidemark.internal.history.HistoryChecks;
import dev.tidemark.internal.history.HistoryRow;
import dev.tidemark.internal.history.HistoryTable;
import dev.tidemark.internal.history.Reconciliation;
import dev.tidemark.internal.history.Reconciliation.Reconciled;
import dev.tidemark.internal.history.Resolution;
import dev.tidemark.internal.importer.HistoryImporter;
import dev.tidemark.internal.jdbc.ConnectionSource;
import dev.tidemark.internal.jdbc.DatabaseUrl;
import dev.tidemark.internal.jdbc.Session;
import dev.tidemark.internal.fleet.SharedScans;
import dev.tidemark.internal.lint.DeployLint;
import dev.tidemark.internal.lint.TargetLint;
import dev.tidemark.internal.lock.AdvisoryLock;
import dev.tidemark.internal.plan.Planner;
import dev.tidemark.internal.push.SchemaPush;
import dev.tidemark.internal.reset.SchemaCleaner;
import dev.tidemark.internal.reverse.DownGenerator;
import dev.tidemark.internal.reverse.DownVerifier;
import dev.tidemark.internal.reverse.Shadows;
import dev.tidemark.internal.rollback.Rollback;
import dev.tidemark.internal.schema.SchemaSources;
import dev.tidemark.internal.seed.Seeding;
import dev.tidemark.internal.source.LocalMigration;
import dev.tidemark.internal.source.MigrationSource;
import dev.tidemark.internal.sql.MigrationApplier;
import dev.tidemark.internal.sql.MigrationPlan;
import dev.tidemark.internal.sql.MigrationRunner;
import dev.tidemark.internal.sql.Resumption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
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
    private final boolean resumeInterrupted;
    private final SchemaSources schemas;
    private final Seeding seeding;
    private final LintMode lint;
    private final Events events;

    private Migrator(Builder b) {
        this.source = b.scans != null ? b.scans.source(b.location, b.classLoader, null)
                : new MigrationSource(b.location, b.classLoader);
        this.rollbackSource = b.downLocation == null ? source : b.scans != null
                ? b.scans.source(b.location, b.classLoader, b.downLocation)
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
        this.events = new Events(b.listeners, b.eventTarget, target, b.slowMigrationWarning);
        runner.events(events);
        this.allowReset = b.allowReset;
        this.schemas = new SchemaSources(schema, history.table(), connections, source);
        this.seeding = new Seeding(b.seed, b.classLoader);
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
        return events.deploy(start, () -> {
            List<LocalMigration> local = source.scanScripts();
            return locked(session -> deployLocked(session, local,
                    history.readOrCreate(session.connection(), connections.description()), start));
        });
    }

    /**
     * A fleet's {@link #deploy()} of an up-to-date target on a connection its worker keeps for several targets: the
     * lock, the history read, the unlock, and the no-op result with its events. Empty, with nothing changed and no
     * event, when the history is missing, something is to be applied, resumed or refused, another deployer holds the
     * lock, or the connection was lost: the caller then runs {@link #deploy()} on a connection of this target's own,
     * which starts in its schema (what a migration's {@code RESET ALL} returns to), and waits for the lock there.
     */
    Optional<DeployResult> deployIfUpToDate(Connection shared) {
        long start = System.nanoTime();
        return events.deployIfUpToDate(start, () -> {
            List<LocalMigration> local = source.scanScripts();
            try (Session session = Session.borrowed(shared)) {
                try {
                    AdvisoryLock.acquire(session.connection(), schema, Duration.ZERO);
                } catch (LockTimeoutException busy) {
                    return Optional.empty(); // another deployer has the schema: the target's own deploy waits
                }
                try {
                    Optional<List<HistoryRow>> rows = history.read(session.connection());
                    if (rows.isEmpty() || rows.get().stream().anyMatch(HistoryRow::isFailed)
                            || Reconciliation.reconcileAll(local, rows.get()).infos().stream()
                                    .anyMatch(info -> MigrationStatus.isApplyable(info.state()))) {
                        return Optional.empty();
                    }
                    return Optional.of(deployLocked(session, local, rows.get(), start));
                } finally {
                    AdvisoryLock.release(session.connection(), schema);
                }
            } catch (RuntimeException e) {
                if (Session.isClosed(shared)) {
                    // The kept connection was lost (the server ended idle sessions, say): the target's own tells.
                    log.debug("{}: a fleet worker's connection was lost ({}); deploying on a new one", target,
                            e.getMessage());
                    return Optional.empty();
                }
                throw e;
            }
        });
    }

    /** The key of {@link ConnectionSource#sharingKey()}: targets with equal keys can share a worker's connection. */
    Object connectionSharingKey() {
        return connections.sharingKey();
    }

    /** A new connection to this target's database, for a fleet worker to keep (see {@link #deployIfUpToDate}). */
    Connection openConnection() {
        return connections.open();
    }

    /**
     * The body of {@link #deploy()}, on a session that already holds the migration lock and has read the history:
     * reconcile it with the folder, decide which interrupted migrations go on and refuse the other failed ones, check
     * modified migrations, then apply (or resume) each pending migration in order.
     */
    private DeployResult deployLocked(Session session, List<LocalMigration> local, List<HistoryRow> rows,
            long start) {
        Connection connection = session.connection();
        Reconciliation.Result reconciled = Reconciliation.reconcileAll(local, rows);
        int serverVersion = MigrationPlan.serverMajorVersion(connection);
        Map<String, Resumption.Pending> resumptions = resumeInterrupted
                ? Resumption.pending(history, reconciled.local(), rows, serverVersion) : Map.of();
        Resumption.refuseFailed(reconciled.infos(), resumptions.keySet(), reconciled.local(), serverVersion, target,
                resumeInterrupted);
        List<DeployWarning> warnings = HistoryChecks.modifiedMigrations(reconciled.infos(), strict,
                source.location(), target);
        if (lint != LintMode.OFF) {
            DeployLint.check(lint == LintMode.ERROR, local, reconciled.infos(),
                    info -> MigrationStatus.isApplyable(info.state()), serverVersion, target);
        }

        events.deployStarted(pendingCount(reconciled.local(), resumptions));
        List<AppliedMigration> applied = new ArrayList<>();
        int alreadyApplied = 0;
        MigrationApplier applier = new MigrationApplier(runner, history, session, schema, events);
        for (Reconciled pending : reconciled.local()) {
            LocalMigration migration = pending.migration();
            Resumption.Pending resumption = resumptions.get(migration.name());
            if (resumption == null && !MigrationStatus.isApplyable(pending.info().state())) {
                alreadyApplied++;
                continue;
            }
            applied.add(resumption != null ? applier.resume(migration, resumption)
                    : applier.apply(migration, serverVersion));
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

    private static int pendingCount(List<Reconciled> local, Map<String, Resumption.Pending> resumptions) {
        return (int) local.stream().filter(p -> resumptions.containsKey(p.migration().name())
                || MigrationStatus.isApplyable(p.info().state())).count();
    }

    /**
     * Compares the folder with the history. Takes no lock and writes nothing.
     */
    public MigrationStatus status() {
        List<LocalMigration> local = source.scanScripts();
        try (Session session = open()) {
            Optional<List<HistoryRow>> rows = history.read(session.connection());
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
        return HistoryChecks.requireUpToDate(status(), source.location(), target);
    }

    /**
     * Prisma's {@code migrate resolve --rolled-back}: marks the failed run of a migration as rolled back, so that the
     * next deploy applies it again. Use it after fixing the migration or undoing its partial effects.
     */
    public void resolveRolledBack(String migrationName) {
        Objects.requireNonNull(migrationName, "migrationName");
        locked(session -> {
            Resolution.rolledBack(session.connection(), history, migrationName, target);
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
            Resolution.applied(session.connection(), history,
                    history.readOrCreate(session.connection(), connections.description()), migrationName,
                    migration.checksum(), target);
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
        return schemas.diff(from.spec(), to.spec());
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
        return schemas.render(source.spec());
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
        return events.deploy(start, () -> {
            List<LocalMigration> local = source.scanScripts();
            return locked(session -> resetLocked(session, local, start));
        });
    }

    /** {@code deploy}, reported to the listeners as a deploy: for {@link FastReset}'s reset and deploy. */
    DeployResult reported(long start, java.util.function.Supplier<DeployResult> deploy) {
        return events.deploy(start, deploy);
    }

    /** Drops everything in the schema and deploys, under the lock {@code session} holds. */
    DeployResult resetLocked(Session session, List<LocalMigration> local, long start) {
        SchemaCleaner.Dropped dropped = SchemaCleaner.dropAll(session.connection(), schema);
        log.info("Reset {}: dropped {}", target, dropped);
        DeployResult result = deployLocked(session, local,
                history.readOrCreate(session.connection(), connections.description()), start);
        if (seeding.configured()) {
            seeding.run(session.connection(), schema, target);
        }
        return result;
    }

    /** The steps {@link FastReset#prepare(Migrator)} composes: scan the folder, the target, the history table. */
    List<LocalMigration> scan() {
        return source.scan();
    }

    String target() {
        return target;
    }

    String historyTableName() {
        return history.table();
    }

    /** A connection for {@link FastReset}, from the configured DataSource or URL. */
    Connection connectForReset() {
        return connections.open();
    }

    void requireResetAllowed(String what) {
        if (allowReset || "true".equalsIgnoreCase(System.getenv(ALLOW_RESET_VARIABLE))) {
            return;
        }
        throw new TidemarkException(ErrorCode.RESET_REFUSED, "Refusing to " + what + " " + target + ": it deletes"
                + " all data in the schema, so it must be allowed explicitly. Allow it only for development and"
                + " test databases: set the environment variable " + ALLOW_RESET_VARIABLE + "=true, or call"
                + " allowReset(true) on the Migrator builder.");
    }

    /** Runs {@code work} on one connection that holds the migration lock, releasing the lock however it ends. */
    <T> T locked(Function<Session, T> work) {
        try (Session session = open()) {
            AdvisoryLock.acquire(session.connection(), schema, lockWait, events::lockWaited);
            try {
                return work.apply(session);
            } finally {
                AdvisoryLock.release(session.connection(), schema);
            }
        }
    }

    private Session open() {
        return Session.open(connections);
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
        HistoryImport result = locked(session -> HistoryImporter.run(session.connection(), history, schema, local,
                plan, apply));
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
        seeding.requireConfigured();
        return locked(session -> seeding.run(session.connection(), schema, target));
    }

    /** The fast-reset fingerprint ({@link FastReset#prepare(Migrator)}), with the seed file's checksum. */
    String seeded(String fingerprint) {
        return seeding.fingerprint(fingerprint);
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
        Set<PushOption> set = EnumSet.noneOf(PushOption.class);
        set.addAll(List.of(options));
        return locked(session -> SchemaPush.run(session.connection(), history, schema, target, set,
                () -> diff(SchemaSource.database(), desired)));
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
        Rollback rollback = new Rollback(history, runner, target, source.location());
        return locked(session -> rollback.run(session.connection(), local, request, start,
                runner.sessionStateOf(session, schema)));
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
                    history.read(session.connection()).orElse(List.of()));
            return TargetLint.lint(session.connection(), schema, local, infos,
                    info -> MigrationStatus.isApplyable(info.state()), settings.ruleIds(),
                    settings.effectiveVersion(MigrationPlan.serverMajorVersion(session.connection())));
        }
    }

    /**
     * What {@link #deploy()} would do, changing nothing: the pending migrations in order, each with its statements,
     * transaction mode and why, and the static lint findings of {@link #lint()}. Takes no migration lock and reads the history once, as {@link #status()}. With
     * {@code measure}, the applied migrations are replayed on a temporary shadow database (CREATEDB privilege), the
     * pending ones run there statement by statement, and each statement's locks, rewrites, scans and duration are
     * read from its own backend; the target is only read ({@code pg_class} sizes for the estimates).
     *
     * @throws TidemarkException if the folder is malformed, the database unreachable, or the shadow database cannot
     *                           be created ({@link ErrorCode#SHADOW_DATABASE_FAILED})
     * @since 0.1
     */
    public DeployPlan plan(boolean measure) {
        Lint defaults = Lint.defaults();
        return new Planner(connections, history, schema, target).plan(source.scan(), measure, defaults.ruleIds(),
                defaults::effectiveVersion);
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
        return new DownGenerator(source, Shadows.of(connections, shadowDatabaseUrl, schema), Set.of(history.table()))
                .generate(migrationName);
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
        return new DownVerifier(rollbackSource, Shadows.of(connections, request.shadowDatabaseUrl(), schema), schema,
                Set.of(history.table())).verify(request, this::status);
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
        /** The default {@link #slowMigrationWarning(Duration)}: zero, off. */
        public static final Duration DEFAULT_SLOW_MIGRATION_WARNING = Duration.ZERO;

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
        private final List<MigrationListener> listeners = new ArrayList<>();
        private Duration slowMigrationWarning = DEFAULT_SLOW_MIGRATION_WARNING;
        private String eventTarget;
        /** A fleet run's folder scans, shared by its targets' migrators; not a setting (package-private). */
        private SharedScans scans;

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

        /**
         * Adds listeners that hear what deploys do ({@link MigrationEvent}), called in the order added, after those
         * added before; default none. A listener that throws does not change the deploy (see
         * {@link MigrationListener}).
         */
        public Builder listener(MigrationListener... listeners) {
            for (MigrationListener listener : listeners) {
                this.listeners.add(Objects.requireNonNull(listener, "listener"));
            }
            return this;
        }

        /**
         * After how long a running migration is reported as slow: a warning in the log naming it and its running
         * time, and a {@link MigrationEvent.SlowMigration} event, once per migration, while it goes on; default
         * zero, off.
         */
        public Builder slowMigrationWarning(Duration slowMigrationWarning) {
            this.slowMigrationWarning = slowMigrationWarning;
            return this;
        }

        /** The name events carry ({@link MigrationEvent#target()}): {@link Fleet} sets each target's. */
        Builder eventTarget(String eventTarget) {
            this.eventTarget = eventTarget;
            return this;
        }

        /** For {@link Fleet}: read the folder through this run's shared scans instead of once per deploy. */
        Builder sharedScans(SharedScans scans) {
            this.scans = scans;
            return this;
        }

        public Migrator build() {
            if (dataSource == null && (url == null || url.isBlank())) {
                throw invalid("No database is configured. Set a DataSource or a URL such as"
                        + " postgresql://user:password@host:5432/db.");
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
            checkDuration("slowMigrationWarning", slowMigrationWarning);
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
