package dev.tidemark.cli;

import dev.tidemark.Fleet;
import dev.tidemark.FleetResult;
import dev.tidemark.FleetTarget;
import dev.tidemark.Migrator;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import picocli.CommandLine.Option;

/**
 * {@code deploy} and {@code status} across a fleet: where the targets come from, how many run at once, when the
 * rollout stops, and which share this process takes.
 */
final class FleetOptions {

    /** The number of shards, when {@code --shards} is not given. */
    static final String SHARDS = "TIDEMARK_SHARDS";

    @Option(names = "--targets", paramLabel = "FILE",
            description = "Run on every target in FILE: one postgresql:// URL per line (# comments), or JSON"
                    + " [{\"name\", \"url\", \"schema\", \"passwordEnv\"}].")
    Path targets;

    @Option(names = "--targets-query", paramLabel = "SQL",
            description = "Run on one target per schema named by the query's first column, on the " + Settings.DATABASE_URL
                    + " (or --url) database.")
    String targetsQuery;

    @Option(names = "--schemas", paramLabel = "PATTERN",
            description = "Run on every schema of the " + Settings.DATABASE_URL + " (or --url) database matching"
                    + " PATTERN (* any characters, ? one), for example 'tenant_*'.")
    String schemas;

    @Option(names = "--parallel", paramLabel = "N",
            description = "With a fleet: how many targets run at once (default " + Fleet.Builder.DEFAULT_PARALLEL
                    + "; each uses one connection, two while naming a lock blocker).")
    Integer parallel;

    @Option(names = "--fail-fast", description = "With a fleet: start no further target after the first failure.")
    boolean failFast;

    @Option(names = "--canary", paramLabel = "N",
            description = "With a fleet: run the first N targets first, and stop if any of them fails.")
    Integer canary;

    @Option(names = "--shards", paramLabel = "N",
            description = "With a fleet: take only this process's share of N, by the index in "
                    + Fleet.SHARD_INDEX_VARIABLE + " (set by a Kubernetes Indexed Job; env " + SHARDS
                    + "; default 1).")
    Integer shards;

    boolean active() {
        return targets != null || targetsQuery != null || schemas != null;
    }

    /**
     * Runs the fleet and prints the summary. Exit 0 only if every target is up to date after the run; 3 when the
     * only shortfall is pending migrations ({@code status}); 1 otherwise.
     */
    int run(DatabaseCommand command, boolean deploy, boolean json, Consumer<Migrator.Builder> configure) {
        CliContext context = command.context;
        int sources = (targets != null ? 1 : 0) + (targetsQuery != null ? 1 : 0) + (schemas != null ? 1 : 0);
        if (sources > 1) {
            throw command.usage("Give only one of --targets, --targets-query and --schemas.");
        }
        if (command.schema != null) {
            throw command.usage("--schema names one target; with --targets, --targets-query or --schemas each"
                    + " target brings its own schema.");
        }
        Fleet.Builder source = Fleet.builder().environment(context::env);
        if (targets != null && YamlTargets.isYaml(targets)) {
            source.targets(YamlTargets.read(targets));
        } else if (targets != null) {
            source.targetsFile(targets);
        } else {
            String url = command.flagOrEnv(command.url, Settings.DATABASE_URL);
            if (url == null) {
                throw command.usage("--targets-query and --schemas read the schemas from the " + Settings.DATABASE_URL
                        + " (or --url) database, and none is given.");
            }
            Secrets.registerUrl(url);
            if (targetsQuery != null) {
                source.targetsQuery(url, targetsQuery);
            } else {
                source.schemas(url, schemas);
            }
        }
        int shardCount = shards != null ? shards : integer(command, context.env(SHARDS), SHARDS, 1);
        int index = shardCount == 1 ? 0 : integer(command, context.env(Fleet.SHARD_INDEX_VARIABLE),
                Fleet.SHARD_INDEX_VARIABLE, -1);
        if (shardCount > 1 && index < 0) {
            throw command.usage("--shards " + shardCount + " needs this process's index in "
                    + Fleet.SHARD_INDEX_VARIABLE + " (Kubernetes sets it in an Indexed Job).");
        }
        List<FleetTarget> mine = source.shard(shardCount, index).build().targets();
        for (FleetTarget target : mine) {
            Secrets.registerUrl(target.url());
            if (target.passwordVariable() != null && context.env(target.passwordVariable()) != null) {
                Secrets.register(context.env(target.passwordVariable()));
            }
        }
        Progress progress = new Progress(context.err(), mine.size(), terminal() && context.err() == System.err);
        Fleet fleet = Fleet.builder()
                .targets(mine)
                .environment(context::env)
                .parallel(parallel != null ? parallel : Fleet.Builder.DEFAULT_PARALLEL)
                .failFast(failFast)
                .canary(canary != null ? canary : 0)
                .onTargetDone(progress::done)
                .migrator(builder -> {
                    builder.location(command.migrationsLocation()).connectWait(command.waitForDb());
                    String table = command.flagOrEnv(command.historyTable, Settings.HISTORY_TABLE);
                    if (table != null) {
                        builder.historyTable(table);
                    }
                    command.configure(builder);
                    configure.accept(builder);
                })
                .build();
        FleetResult result = deploy ? fleet.deploy() : fleet.status();
        progress.end();
        int exit = result.allUpToDate() ? ExitCodes.SUCCESS
                : result.targets().stream().allMatch(t -> t.upToDate() || t.state() == FleetResult.State.PENDING)
                        ? ExitCodes.NOT_UP_TO_DATE : ExitCodes.FAILURE;
        print(context, command.commandName(), result, json, exit, shardCount, index);
        return exit;
    }

    /**
     * Whether standard error is a terminal. Up to Java 21, {@code System.console()} is null when a stream is
     * redirected; from 22 on it may not be, and {@code Console.isTerminal()} says.
     */
    private static boolean terminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }

    private static int integer(DatabaseCommand command, String value, String variable, int fallback) {
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw command.usage(variable + "='" + value + "' is not a whole number.");
        }
    }

    private static void print(CliContext context, String name, FleetResult result, boolean json, int exit,
            int shards, int index) {
        if (json) {
            List<Json> entries = new ArrayList<>();
            for (FleetResult.Target target : result.targets()) {
                Json entry = Json.object()
                        .field("name", target.name())
                        .field("target", target.target())
                        .field("state", target.state().name())
                        .strings(name.equals("status") ? "pending" : "applied", target.applied())
                        .millis("durationMillis", target.duration());
                if (target.code() != null) {
                    entry.field("error", Json.object()
                            .field("code", target.code().id())
                            .field("name", target.code().name())
                            .field("message", target.message()));
                } else if (target.message() != null) {
                    entry.field("message", target.message());
                }
                entries.add(entry);
            }
            context.print(Json.object()
                    .field("command", name)
                    .field("success", exit == ExitCodes.SUCCESS)
                    .field("exitCode", exit)
                    .field("shards", shards)
                    .field("shardIndex", index)
                    .field("total", result.targets().size())
                    .field("upToDate", result.targets().stream().filter(FleetResult.Target::upToDate).count())
                    .field("failed", result.in(FleetResult.State.FAILED).size())
                    .field("notRun", result.in(FleetResult.State.NOT_RUN).size())
                    .field("pending", result.in(FleetResult.State.PENDING).size())
                    .millis("durationMillis", result.duration())
                    .objects("targets", entries)
                    .toString());
            return;
        }
        for (FleetResult.Target target : result.targets()) {
            switch (target.state()) {
                case FAILED -> context.print("FAILED   " + target.name() + ": " + target.message());
                case NOT_RUN -> context.print("NOT RUN  " + target.name() + ": " + target.message());
                case PENDING -> context.print("PENDING  " + target.name() + ": " + target.applied().size()
                        + " migration(s) pending");
                default -> {
                }
            }
        }
        long applied = result.in(FleetResult.State.APPLIED).size();
        context.print(String.format(Locale.ROOT, "Fleet %s: %d target(s) in %d ms (%.1f/s): %d up to date (%d"
                + " changed), %d failed, %d not run%s.", name, result.targets().size(), result.duration().toMillis(),
                result.rate(), result.targets().stream().filter(FleetResult.Target::upToDate).count(), applied,
                result.in(FleetResult.State.FAILED).size(), result.in(FleetResult.State.NOT_RUN).size(),
                name.equals("status") ? ", " + result.in(FleetResult.State.PENDING).size() + " pending" : ""));
    }

    /** A progress line on a terminal only: done, failed, pending, rate and ETA, rewritten in place. */
    private static final class Progress {
        private final PrintStream err;
        private final int total;
        private final boolean terminal;
        private final long start = System.nanoTime();
        private final AtomicInteger done = new AtomicInteger();
        private final AtomicInteger failed = new AtomicInteger();

        Progress(PrintStream err, int total, boolean terminal) {
            this.err = err;
            this.total = total;
            this.terminal = terminal;
        }

        void done(FleetResult.Target target) {
            int finished = done.incrementAndGet();
            if (target.state() == FleetResult.State.FAILED) {
                failed.incrementAndGet();
            }
            if (!terminal) {
                return;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double rate = seconds > 0 ? finished / seconds : 0;
            long eta = rate > 0 ? Math.round((total - finished) / rate) : 0;
            synchronized (err) {
                err.print(String.format(Locale.ROOT, "\r%d/%d done, %d failed, %d pending, %.1f targets/s, ETA %ds ",
                        finished, total, failed.get(), total - finished, rate, eta));
                err.flush();
            }
        }

        void end() {
            if (terminal && done.get() > 0) {
                err.println();
            }
        }
    }
}
