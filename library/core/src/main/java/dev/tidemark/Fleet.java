package dev.tidemark;

import dev.tidemark.internal.fleet.FleetExecutor;
import dev.tidemark.internal.fleet.Sharding;
import dev.tidemark.internal.fleet.SharedScans;
import dev.tidemark.internal.fleet.Targets;
import dev.tidemark.internal.fleet.WorkerConnections;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Deploys one migrations folder to many targets (schemas, databases) as one operation: {@link Migrator}'s fleet
 * counterpart. Each target has its own lock, history and result; one failing target does not stop the others
 * unless {@link Builder#failFast(boolean)} or a {@link Builder#canary(int) canary} says so.
 *
 * <pre>{@code
 * FleetResult result = Fleet.builder()
 *         .schemas("postgresql://app@db:5432/app", "tenant_*")
 *         .migrator(m -> m.location("prisma/migrations"))
 *         .parallel(4)
 *         .build()
 *         .deploy();
 * }</pre>
 *
 * <p>Connections: each running target uses one connection (two while a migration statement waits for a table lock,
 * when Tidemark names the blocker), so a run holds at most {@code 2 × parallel} connections, plus one while a targets
 * query or schema pattern is read. Between targets of one database, a worker keeps its connection for the next
 * target's no-op check (lock, history read, unlock); a target with something to apply gets a connection of its own,
 * and the worker's kept one is closed first. The folder is scanned and hashed once per run, for all targets.
 *
 * @since 0.2
 */
public final class Fleet {

    private static final Logger log = LoggerFactory.getLogger("dev.tidemark");

    /** The environment variable Kubernetes sets to a pod's index in an Indexed Job. */
    public static final String SHARD_INDEX_VARIABLE = "JOB_COMPLETION_INDEX";

    private final Supplier<List<FleetTarget>> source;
    private final Consumer<Migrator.Builder> configure;
    private final int parallel;
    private final boolean failFast;
    private final int canary;
    private final int shards;
    private final int shardIndex;
    private final Function<String, String> environment;
    private final Consumer<FleetResult.Target> onTarget;

    private Fleet(Builder b) {
        this.source = b.source;
        this.configure = b.configure;
        this.parallel = b.parallel;
        this.failFast = b.failFast;
        this.canary = b.canary;
        this.shards = b.shards;
        this.shardIndex = b.shardIndex;
        this.environment = b.environment;
        this.onTarget = b.onTarget;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** This shard's targets, in the fleet's order (reads the targets query or schema pattern, if that is the source). */
    public List<FleetTarget> targets() {
        List<FleetTarget> all = source.get();
        if (shards == 1) {
            return all;
        }
        return all.stream().filter(t -> Sharding.shardOf(t.name(), shards) == shardIndex).toList();
    }

    /** Deploys every target of this shard: pending migrations applied, failures reported per target. */
    public FleetResult deploy() {
        SharedScans scans = new SharedScans();
        try (WorkerConnections connections = new WorkerConnections()) {
            return run("deploy", target -> {
                DeployResult result = deploy(migrator(target, scans), connections);
                return new FleetResult.Target(target.name(), target.toString(), result.applied().isEmpty()
                        ? FleetResult.State.UP_TO_DATE : FleetResult.State.APPLIED,
                        result.applied().stream().map(AppliedMigration::name).toList(), null, null, null);
            });
        }
    }

    /**
     * One target's deploy: first the no-op check on the worker's kept connection (most targets of a re-run are up to
     * date, and a new connection is most of their cost); if something is to be done, the whole deploy on a
     * connection of the target's own, as {@link Migrator#deploy()} alone would.
     */
    private static DeployResult deploy(Migrator migrator, WorkerConnections connections) {
        Object key = migrator.connectionSharingKey();
        if (key != null) {
            Connection shared = connections.get(key, migrator::openConnection);
            Optional<DeployResult> upToDate;
            try {
                upToDate = migrator.deployIfUpToDate(shared);
            } catch (RuntimeException e) {
                connections.discard(); // whatever failed may have left the session unusable
                throw e;
            }
            if (upToDate.isPresent()) {
                return upToDate.get();
            }
            // Declined (work to do, the lock busy, or the kept connection lost): the target's own connection, and
            // the worker at the connections of one deploy (two while a statement waits for a table lock).
            connections.discard();
        }
        return migrator.deploy();
    }

    /** Compares every target of this shard with the folder; takes no lock and writes nothing. */
    public FleetResult status() {
        SharedScans scans = new SharedScans();
        return run("status", target -> {
            MigrationStatus status = migrator(target, scans).status();
            if (!status.failed().isEmpty()) {
                return new FleetResult.Target(target.name(), target.toString(), FleetResult.State.FAILED,
                        status.pending().stream().map(MigrationInfo::name).toList(), null,
                        ErrorCode.FAILED_MIGRATION_PRESENT, "Failed migration(s) recorded: " + String.join(", ",
                                status.failed().stream().map(MigrationInfo::name).toList()) + ". Resolve them with"
                                + " 'tidemark resolve' on this target.");
            }
            return new FleetResult.Target(target.name(), target.toString(), status.upToDate()
                    ? FleetResult.State.UP_TO_DATE : FleetResult.State.PENDING,
                    status.pending().stream().map(MigrationInfo::name).toList(), null, null, null);
        });
    }

    private FleetResult run(String command, Function<FleetTarget, FleetResult.Target> work) {
        long start = System.nanoTime();
        List<FleetTarget> targets = targets();
        log.info("Fleet {}: {} target(s){}, {} at a time{}{}", command, targets.size(),
                shards == 1 ? "" : " (shard " + shardIndex + " of " + shards + ")", parallel,
                canary > 0 ? ", canary " + canary : "", failFast ? ", fail-fast" : "");
        List<FleetResult.Target> results = new FleetExecutor<FleetTarget, FleetResult.Target>(parallel, failFast,
                canary, target -> timed(target, work), t -> t.state() == FleetResult.State.FAILED,
                target -> new FleetResult.Target(target.name(), target.toString(), FleetResult.State.NOT_RUN,
                        List.of(), Duration.ZERO, null, "Not run: an earlier target failed (" + (canary > 0
                                ? "canary of " + canary + (failFast ? ", fail-fast" : "") : "fail-fast") + ")."),
                onTarget).run(targets);
        FleetResult result = new FleetResult(results, Duration.ofNanos(System.nanoTime() - start));
        log.info("Fleet {} done in {} ms: {} up to date, {} failed, {} not run{}", command,
                result.duration().toMillis(), result.targets().stream().filter(FleetResult.Target::upToDate).count(),
                result.in(FleetResult.State.FAILED).size(), result.in(FleetResult.State.NOT_RUN).size(),
                command.equals("status") ? ", " + result.in(FleetResult.State.PENDING).size() + " pending" : "");
        return result;
    }

    private FleetResult.Target timed(FleetTarget target, Function<FleetTarget, FleetResult.Target> work) {
        long start = System.nanoTime();
        FleetResult.Target result;
        try {
            result = work.apply(target);
        } catch (TidemarkException e) {
            log.error("{}: {}", target.name(), e.getMessage());
            result = new FleetResult.Target(target.name(), target.toString(), FleetResult.State.FAILED, List.of(),
                    null, e.code(), Redaction.maskSecrets(e.getMessage()));
        } catch (RuntimeException e) {
            log.error("{}: {}", target.name(), e.toString());
            result = new FleetResult.Target(target.name(), target.toString(), FleetResult.State.FAILED, List.of(),
                    null, ErrorCode.DATABASE_ERROR, Redaction.maskSecrets(String.valueOf(e)));
        }
        return new FleetResult.Target(result.name(), result.target(), result.state(), result.applied(),
                Duration.ofNanos(System.nanoTime() - start), result.code(), result.message());
    }

    private Migrator migrator(FleetTarget target, SharedScans scans) {
        Migrator.Builder builder = Migrator.builder().url(target.url()).eventTarget(target.name())
                .sharedScans(scans);
        if (target.schema() != null) {
            builder.schema(target.schema());
        }
        if (target.passwordVariable() != null) {
            String password = environment.apply(target.passwordVariable());
            if (password == null || password.isEmpty()) {
                throw new TidemarkException(ErrorCode.CONFIGURATION_INVALID, "Target " + target.name() + " takes its"
                        + " password from the environment variable " + target.passwordVariable() + ", which is not"
                        + " set. Set it (for example from a Kubernetes Secret), or remove passwordEnv from the"
                        + " target to use the URL's password or PGPASSFILE.");
            }
            builder.password(password);
        }
        configure.accept(builder);
        return builder.build();
    }

    /**
     * Configures a {@link Fleet}. Every setting is checked in {@link #build()}.
     *
     * @since 0.2
     */
    public static final class Builder {

        /** The default {@link #parallel(int)}: 4 targets at a time. */
        public static final int DEFAULT_PARALLEL = 4;

        private Supplier<List<FleetTarget>> source;
        private Consumer<Migrator.Builder> configure = b -> { };
        private int parallel = DEFAULT_PARALLEL;
        private boolean failFast;
        private int canary;
        private int shards = 1;
        private int shardIndex;
        private Function<String, String> environment = System::getenv;
        private Consumer<FleetResult.Target> onTarget = t -> { };
        private int sources;

        private Builder() {
        }

        /** The targets, as given; no two may have the same name. */
        public Builder targets(List<FleetTarget> targets) {
            List<FleetTarget> copy = Targets.given(targets);
            return source(() -> copy);
        }

        /** The targets from a file: one URL per line ({@code #} comments), or JSON (see the README). */
        public Builder targetsFile(Path file) {
            Objects.requireNonNull(file, "file");
            return source(() -> Targets.read(file));
        }

        /** One target per schema named by the first column of {@code sql}, run on {@code url}'s database. */
        public Builder targetsQuery(String url, String sql) {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(sql, "sql");
            return source(() -> Targets.fromQuery(url, sql));
        }

        /** One target per schema of {@code url}'s database matching the glob, for example {@code tenant_*}. */
        public Builder schemas(String url, String pattern) {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(pattern, "pattern");
            return source(() -> Targets.matching(url, pattern));
        }

        private Builder source(Supplier<List<FleetTarget>> source) {
            this.source = source;
            sources++;
            return this;
        }

        /**
         * Settings for every target's {@link Migrator} (location, lock wait, timeouts, ...). The URL, schema and
         * password come from the target; do not set them here. Called once per target, from the worker threads,
         * so for up to {@link #parallel(int)} targets at the same time.
         */
        public Builder migrator(Consumer<Migrator.Builder> configure) {
            this.configure = Objects.requireNonNull(configure, "configure");
            return this;
        }

        /** How many targets deploy at once; default 4. */
        public Builder parallel(int parallel) {
            this.parallel = parallel;
            return this;
        }

        /** Stop starting targets at the first failure (running ones finish); default off: every target runs. */
        public Builder failFast(boolean failFast) {
            this.failFast = failFast;
            return this;
        }

        /** Deploy the first {@code canary} targets first, and stop if any of them fails; default 0 (none). */
        public Builder canary(int canary) {
            this.canary = canary;
            return this;
        }

        /**
         * Take only this process's share of the targets: those whose name hashes to {@code index} of {@code shards}
         * (rendezvous hashing: stable, and adding targets moves none of the others). Default one shard.
         */
        public Builder shard(int shards, int index) {
            this.shards = shards;
            this.shardIndex = index;
            return this;
        }

        /** Where {@code passwordEnv} variables are read; default {@link System#getenv(String)}. */
        public Builder environment(Function<String, String> environment) {
            this.environment = Objects.requireNonNull(environment, "environment");
            return this;
        }

        /** Called once per target as it finishes (from the worker threads), for progress reporting. */
        public Builder onTargetDone(Consumer<FleetResult.Target> onTarget) {
            this.onTarget = Objects.requireNonNull(onTarget, "onTarget");
            return this;
        }

        public Fleet build() {
            if (sources == 0) {
                throw invalid("A fleet has no targets. Give a targets file, a targets query, a schema pattern or a"
                        + " list of targets.");
            }
            if (sources > 1) {
                throw invalid("A fleet has more than one source of targets; give only one of a targets file, a"
                        + " targets query, a schema pattern and a list of targets.");
            }
            if (parallel < 1) {
                throw invalid("parallel must be at least 1 (got " + parallel + ").");
            }
            if (canary < 0) {
                throw invalid("canary must be zero or positive (got " + canary + ").");
            }
            if (shards < 1 || shardIndex < 0 || shardIndex >= shards) {
                throw invalid("The shard index must be between 0 and shards - 1 (got index " + shardIndex + " of "
                        + shards + " shards). In an Indexed Job, set the shard count to the Job's"
                        + " completions.");
            }
            return new Fleet(this);
        }

        private static TidemarkException invalid(String message) {
            return new TidemarkException(ErrorCode.CONFIGURATION_INVALID, message);
        }
    }
}
