package dev.tidemark.bench;

import dev.tidemark.Fleet;
import dev.tidemark.FleetResult;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * A fleet of 200 tenant schemas in one database, with a migrations folder applied to all: the time of a no-op fleet
 * deploy (every target up to date: one lock, one history read, one unlock each) at {@code --parallel} 1, 4 and 8,
 * and, with {@code --apply}, the throughput of applying the folder to all 200 from empty at each parallelism.
 *
 * <pre>
 * java -cp benchmarks/target/tidemark-benchmarks.jar dev.tidemark.bench.FleetCheck [FOLDER] [--apply]
 *     [--parallel N] [--profile]
 * </pre>
 * FOLDER defaults to ../shared/corpus/umami when present, else the in-repo harbor corpus. {@code --parallel N} runs
 * only that parallelism (so that each run stays short on a shared machine). {@code --profile} also times, over the
 * 200 tenants one after the other, the parts a no-op target used to pay for each: a folder scan, a new connection,
 * the lock and unlock, the history read.
 */
public final class FleetCheck {

    static final int TENANTS = 200;
    static final int RUNS = 7;

    private FleetCheck() {
    }

    public static void main(String[] args) throws Exception {
        List<String> arguments = List.of(args);
        boolean apply = arguments.contains("--apply");
        boolean profile = arguments.contains("--profile");
        int only = arguments.indexOf("--parallel") < 0 ? 0
                : Integer.parseInt(arguments.get(arguments.indexOf("--parallel") + 1));
        int[] parallelisms = only > 0 ? new int[] {only} : new int[] {1, 4, 8};
        Path folder = arguments.stream().filter(a -> !a.startsWith("--") && !a.matches("\\d+")).findFirst()
                .map(Path::of).orElseGet(FleetCheck::defaultFolder);
        System.out.printf(Locale.ROOT, "Fleet check: %d tenant schemas, folder %s, PostgreSQL %s, %d cores, load"
                + " average %s%n", TENANTS, folder, Server.version(), Runtime.getRuntime().availableProcessors(),
                loadAverage());
        Server.Target db = Server.createDatabase("fleet");
        try {
            String url = db.jdbcUrl() + (db.jdbcUrl().contains("?") ? "&" : "?") + "user=" + Server.USER
                    + (Server.PASSWORD.isEmpty() ? "" : "&password=" + Server.PASSWORD);
            boolean applied = false;
            for (int parallel : parallelisms) {
                if (apply || !applied && (parallel == 4 || parallelisms.length == 1)) {
                    applied = true;
                    recreate(url, db);
                    long start = System.nanoTime();
                    FleetResult result = fleet(url, folder, parallel);
                    double seconds = (System.nanoTime() - start) / 1e9;
                    check(result, FleetResult.State.APPLIED);
                    System.out.printf(Locale.ROOT, "apply  --parallel %d: %.1f s, %.1f targets/s%n", parallel,
                            seconds, TENANTS / seconds);
                }
            }
            if (!applied) {
                recreate(url, db);
                check(fleet(url, folder, 4), FleetResult.State.APPLIED);
            }
            for (int parallel : parallelisms) {
                List<Double> times = new ArrayList<>();
                for (int run = 0; run < RUNS; run++) {
                    long start = System.nanoTime();
                    FleetResult result = fleet(url, folder, parallel);
                    times.add((System.nanoTime() - start) / 1e6);
                    check(result, FleetResult.State.UP_TO_DATE);
                }
                Collections.sort(times);
                System.out.printf(Locale.ROOT, "no-op  --parallel %d: median %.0f ms (min %.0f, max %.0f) for %d"
                        + " targets, %.0f targets/s%n", parallel, times.get(RUNS / 2), times.get(0),
                        times.get(RUNS - 1), TENANTS, TENANTS * 1000 / times.get(RUNS / 2));
            }
            if (profile) {
                FleetProfile.run(url, folder, TENANTS);
            }
            System.out.printf(Locale.ROOT, "load average at the end: %s%n", loadAverage());
        } finally {
            Server.dropDatabase(db);
        }
    }

    /** The 1, 5 and 15 minute load averages, as the machine is shared. */
    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (java.io.IOException e) {
            return String.format(Locale.ROOT, "%.2f", java.lang.management.ManagementFactory
                    .getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    private static FleetResult fleet(String url, Path folder, int parallel) {
        return Fleet.builder().schemas(url, "tenant_*").parallel(parallel)
                .migrator(m -> m.location(folder.toString())).build().deploy();
    }

    private static void check(FleetResult result, FleetResult.State expected) {
        if (result.targets().size() != TENANTS || !result.in(expected).equals(result.targets())) {
            throw new IllegalStateException("Expected " + TENANTS + " targets " + expected + ", got "
                    + result.targets().stream().filter(t -> t.state() != expected).findFirst().orElse(null));
        }
    }

    private static void recreate(String url, Server.Target db) throws Exception {
        try (Connection c = Server.connect(url); Statement s = c.createStatement()) {
            // Extensions are per database: created once up front, in public, so that every round does the same work.
            // Left to the tenants, the first creator would put it in its own schema, the schemas' DROP ... CASCADE
            // would drop it, and each round would have its tenants race (and run again) to create it anew.
            StringBuilder sql = new StringBuilder("CREATE EXTENSION IF NOT EXISTS pgcrypto;");
            for (int i = 0; i < TENANTS; i++) {
                sql.append(String.format(Locale.ROOT, "DROP SCHEMA IF EXISTS tenant_%03d CASCADE;"
                        + " CREATE SCHEMA tenant_%03d;", i, i));
            }
            s.execute(sql.toString());
        }
    }

    private static Path defaultFolder() {
        Path umami = Path.of("..", "shared", "corpus", "umami");
        for (Path base : List.of(Path.of(""), Path.of(".."))) {
            Path candidate = base.resolve(umami);
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        return Path.of("library", "core", "src", "test", "resources", "corpus", "harbor");
    }
}
