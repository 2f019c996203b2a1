package dev.tidemark.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The loaded variant ({@code --load pgbench[:CLIENTS[:RATE]]}): a bounded {@code pgbench} TPC-B-like load on another
 * database of the same server while the scenarios run, so that the figures show what a deploy costs on a busy server.
 * {@link #start} initialises its own database ({@code pgbench -i -s SCALE}) and starts {@code pgbench -c CLIENTS -j
 * JOBS -T LIMIT} (rate-limited with {@code -R RATE} when given) in the background; {@link #close} stops it and drops
 * the database, and so does a shutdown hook when the harness fails or is interrupted.
 */
final class Load implements AutoCloseable {

    /** What to run: clients (and threads), transactions per second in all (0: as fast as it goes), scale. */
    record Spec(int clients, int rate, int scale) {

        static final int DEFAULT_CLIENTS = 2;
        static final int SCALE = 10;

        /** {@code pgbench}, {@code pgbench:4}, {@code pgbench:4:200}. */
        static Spec parse(String value) {
            String[] parts = value.strip().toLowerCase(Locale.ROOT).split(":", -1);
            if (!parts[0].equals("pgbench") || parts.length > 3) {
                throw new IllegalArgumentException("--load takes pgbench[:CLIENTS[:RATE]], for example pgbench:4 or"
                        + " pgbench:4:200 (4 clients, 200 transactions per second in all); got '" + value + "'.");
            }
            int clients = parts.length > 1 ? positive(parts[1], "CLIENTS", value) : DEFAULT_CLIENTS;
            int rate = parts.length > 2 ? positive(parts[2], "RATE", value) : 0;
            return new Spec(clients, rate, SCALE);
        }

        private static int positive(String part, String what, String value) {
            try {
                int n = Integer.parseInt(part);
                if (n > 0) {
                    return n;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            throw new IllegalArgumentException("--load " + value + ": " + what + " must be a positive whole number.");
        }

        String describe() {
            return "pgbench -c " + clients + " -j " + jobs() + (rate > 0 ? " -R " + rate : "") + " (scale " + scale
                    + ", TPC-B-like, on another database of the same server)";
        }

        int jobs() {
            return Math.min(clients, 2);
        }
    }

    /** pgbench's own bound: it stops by itself after this long even if the harness never stops it. */
    static final int TIME_LIMIT_SECONDS = 3 * 3600;

    /**
     * A scenario's load drifted when its 1-minute load average moved by more than this share of the higher of the two
     * readings and by more than {@link #DRIFT_ABSOLUTE}: its figures were taken under a different load than its
     * neighbours'.
     */
    static final double DRIFT_SHARE = 0.5;
    static final double DRIFT_ABSOLUTE = 1.0;

    private final Spec spec;
    private final Server.Target database;
    private final Path log;
    private final Process pgbench;
    private final Thread hook;

    private Load(Spec spec, Server.Target database, Path log, Process pgbench) {
        this.spec = spec;
        this.database = database;
        this.log = log;
        this.pgbench = pgbench;
        this.hook = new Thread(this::stop, "tidemark-bench-load-stop");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    static Load start(Spec spec, Path work) throws IOException, InterruptedException {
        Files.createDirectories(work);
        // Server's own hook drops it if anything below fails
        Server.Target database = Server.createDatabase("load");
        Path init = work.resolve("pgbench-init.log");
        Process initialise = builder(command(database, List.of("-i", "-q", "-s", String.valueOf(spec.scale()))))
                .redirectErrorStream(true).redirectOutput(init.toFile()).start();
        if (initialise.waitFor() != 0) {
            Server.dropDatabase(database);
            throw new IllegalStateException("pgbench -i failed: " + Files.readString(init, StandardCharsets.UTF_8));
        }
        Path log = work.resolve("pgbench.log");
        Process pgbench = builder(command(database, run(spec))).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        return new Load(spec, database, log, pgbench);
    }

    /** The arguments of the load run itself. */
    static List<String> run(Spec spec) {
        List<String> args = new ArrayList<>(List.of("-n", "-c", String.valueOf(spec.clients()), "-j",
                String.valueOf(spec.jobs()), "-T", String.valueOf(TIME_LIMIT_SECONDS), "-P", "5"));
        if (spec.rate() > 0) {
            args.addAll(List.of("-R", String.valueOf(spec.rate())));
        }
        return args;
    }

    /** {@code pgbench} with the server's host, port and user, on {@code database}; password from the environment. */
    static List<String> command(Server.Target database, List<String> args) {
        URI uri = URI.create(database.jdbcUrl().substring("jdbc:".length()));
        List<String> command = new ArrayList<>(List.of(pgbenchBinary(), "-h", uri.getHost() == null ? "127.0.0.1"
                : uri.getHost(), "-p", String.valueOf(uri.getPort() < 0 ? 5432 : uri.getPort()), "-U", Server.USER));
        command.addAll(args);
        command.add(database.name());
        return command;
    }

    private static ProcessBuilder builder(List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command);
        if (!Server.PASSWORD.isEmpty()) {
            builder.environment().put("PGPASSWORD", Server.PASSWORD);
        }
        return builder;
    }

    private static String pgbenchBinary() {
        String configured = System.getenv("TIDEMARK_BENCH_PGBENCH");
        return configured == null || configured.isBlank() ? "pgbench" : configured;
    }

    Spec spec() {
        return spec;
    }

    Server.Target database() {
        return database;
    }

    boolean running() {
        return pgbench.isAlive();
    }

    /** The median of pgbench's progress reports so far (transactions per second), or NaN before the first. */
    double tps() {
        try {
            return medianTps(Files.readString(log, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Double.NaN;
        }
    }

    /** {@code progress: 5.0 s, 812.3 tps, lat 2.4 ms stddev 1.1} lines, as pgbench -P prints them. */
    static double medianTps(String progress) {
        Matcher m = Pattern.compile("progress: [0-9.]+ s, ([0-9.]+) tps").matcher(progress);
        List<Double> tps = new ArrayList<>();
        while (m.find()) {
            tps.add(Double.parseDouble(m.group(1)));
        }
        return Stats.median(tps);
    }

    /** Whether a scenario's 1-minute load average moved beyond the stated bound between its start and its end. */
    static boolean drifted(double before, double after) {
        double change = Math.abs(after - before);
        return change > DRIFT_ABSOLUTE && change > DRIFT_SHARE * Math.max(before, after);
    }

    static String driftBound() {
        return String.format(Locale.ROOT, "the 1-minute load average moved by more than %.0f%% of the higher reading"
                + " and by more than %.1f", DRIFT_SHARE * 100, DRIFT_ABSOLUTE);
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            // already shutting down: the hook runs stop() again, which is idempotent
        }
    }

    private synchronized void stop() {
        if (pgbench.isAlive()) {
            pgbench.destroy();
            try {
                if (!pgbench.waitFor(10, TimeUnit.SECONDS)) {
                    pgbench.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            Server.dropDatabase(database);
        } catch (RuntimeException ignored) {
            // the server may be gone; Server's own hook tries again at exit
        }
    }
}
