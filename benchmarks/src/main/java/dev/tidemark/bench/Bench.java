package dev.tidemark.bench;

import dev.tidemark.bench.jmh.RollbackSteps;
import dev.tidemark.bench.jmh.LintAll;
import dev.tidemark.bench.jmh.TestReset;
import dev.tidemark.bench.jmh.UpToDate;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Runs every scenario for Tidemark, Flyway, Liquibase and the raw-pgjdbc floor in one go and prints a Markdown table
 * with medians and ratios from this run.
 *
 * <pre>
 * java -jar benchmarks/target/tidemark-benchmarks.jar [--quick] [--scenarios S1,S2,...] [--tools tidemark,floor]
 *      [--out results.md] [--cli "java -jar init-container/target/tidemark.jar deploy --url {url} ..."] [--jfr DIR]
 *      [--load pgbench[:CLIENTS[:RATE]]]
 * </pre>
 */
public final class Bench {

    enum Scenario {
        S1("S1 apply 1000 migrations from empty"),
        S2("S2 no-op deploy, 1000 applied"),
        S3("S3 test reset, 200 migrations with rows"),
        S4("S4 status, 1000 applied"),
        S5("S5 cold start, no-op deploy of 10 (whole process)"),
        S6("S6 documenso, 163 migrations from empty"),
        S7("S7 rollback --steps 5, 200 applied"),
        S8("S8 lint --all, 1000 migrations (no database)");

        final String title;

        Scenario(String title) {
            this.title = title;
        }
    }

    /** Medians of one scenario, per tool; a tool without a figure is absent, with a note saying why. */
    record Row(Map<Tool, Double> millis, Map<Tool, Double> rssMb, Map<Tool, String> notes, int runs) {
    }

    private final boolean quick;
    private final Set<Scenario> scenarios;
    private final List<Tool> tools;
    private final Path out;
    private final String cli;
    private final Path jfr;
    private final Load.Spec load;
    private final String[] args;
    private final Path corpora;
    private final Map<String, String> coldVariants = new LinkedHashMap<>();
    private String tidemarkColdCommand;

    private Bench(String[] args) {
        this.args = args;
        Map<String, String> options = parse(args);
        quick = options.containsKey("--quick");
        scenarios = new LinkedHashSet<>();
        for (String s : options.getOrDefault("--scenarios", "S1,S2,S3,S4,S5,S6,S7,S8").split(",")) {
            scenarios.add(Scenario.valueOf(s.trim().toUpperCase(Locale.ROOT)));
        }
        tools = new ArrayList<>();
        for (String t : options.getOrDefault("--tools", "tidemark,flyway,liquibase,floor").split(",")) {
            tools.add(Tool.of(t.trim()));
        }
        out = Path.of(options.getOrDefault("--out", "benchmarks/target/bench-results.md"));
        cli = options.containsKey("--cli") ? options.get("--cli") : detectCli();
        jfr = options.containsKey("--jfr") ? Path.of(options.get("--jfr")).toAbsolutePath() : null;
        load = options.containsKey("--load") ? Load.Spec.parse(options.get("--load")) : null;
        corpora = Path.of(System.getProperty("java.io.tmpdir"), "tidemark-bench-corpora");
    }

    /** The CLI's command, once {@code init-container/target/tidemark.jar} is built (run.sh builds it). */
    private static String detectCli() {
        Path jar = Path.of("init-container", "target", "tidemark.jar").toAbsolutePath();
        return Files.isRegularFile(jar)
                ? "{java} -jar " + jar + " deploy --url {url}?user={user} --migrations {location}"
                : null;
    }

    public static void main(String[] args) throws Exception {
        // S1 and S6 run the tools in this JVM, as JMH's forks run the others: every tool logs at WARN.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        new Bench(args).run();
    }

    private void run() throws IOException, InterruptedException, RunnerException {
        String started = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"));
        String loadBefore = loadAverage();
        String postgres = Server.version();
        for (String id : List.of("generated-1000", "generated-200", "generated-10")) {
            Corpus.load(corpora, id);
        }
        // documenso is the shared real-world corpus, which a clone of this repository does not have: S6 then says so.
        Path documenso = Corpus.corpusDir().resolve(Corpus.DOCUMENSO);
        boolean hasDocumenso = Files.isDirectory(documenso);
        if (hasDocumenso && scenarios.contains(Scenario.S6)) {
            Corpus.load(corpora, Corpus.DOCUMENSO);
        }

        Map<Scenario, Row> rows = new LinkedHashMap<>();
        Map<Scenario, double[]> loads = new LinkedHashMap<>();
        Load running = null;
        String loadFigure = null;
        try {
            if (load != null) {
                System.out.println("\n=== Load: " + load.describe() + " ===");
                running = Load.start(load, Path.of(Bench.class.getProtectionDomain().getCodeSource().getLocation()
                        .getPath()).resolveSibling("load"));
                Thread.sleep(LOAD_SETTLE_MILLIS); // the load average follows the load with a lag
            }
            for (Scenario scenario : scenarios) {
                System.out.println("\n=== " + scenario.title + (quick ? " (quick)" : "") + " ===");
                double before = oneMinuteLoad();
                rows.put(scenario, switch (scenario) {
                    case S1 -> interleaved("generated-1000", iterations(2, 7, 1, 2));
                    case S2 -> jmh(UpToDate.class, "noOpDeploy", "generated-1000", upToDate());
                    case S3 -> jmh(TestReset.class, "reset", "generated-200", iterations(3, 7, 1, 3));
                    case S4 -> jmh(UpToDate.class, "status", "generated-1000", upToDate());
                    case S5 -> coldStart();
                    case S6 -> hasDocumenso
                            ? interleaved(Corpus.DOCUMENSO, iterations(2, 9, 1, 2))
                            : notRun("not run: no documenso corpus at " + documenso + " (set TIDEMARK_CORPUS_DIR)");
                    case S7 -> jmh(RollbackSteps.class, "rollback", "generated-200", iterations(5, 15, 1, 3),
                            List.of(Tool.TIDEMARK, Tool.FLOOR));
                    case S8 -> tools.contains(Tool.TIDEMARK) ? jmh(LintAll.class, "lintAll", "generated-1000",
                            iterations(10, 20, 2, 5), List.of(Tool.TIDEMARK)) : new Row(new EnumMap<>(Tool.class),
                            Map.of(), Map.of(), 0);
                });
                loads.put(scenario, new double[] {before, oneMinuteLoad()});
                if (running != null && !running.running()) {
                    throw new IllegalStateException("The pgbench load stopped during " + scenario + "; see"
                            + " benchmarks/target/load/pgbench.log.");
                }
            }
            if (running != null) {
                loadFigure = String.format(Locale.ROOT, "%s, median %.0f tps while the scenarios ran", load.describe(),
                        running.tps());
            }
        } finally {
            if (running != null) {
                running.close();
            }
        }

        String report = report(rows, started, loadBefore, loadAverage(), postgres) + loadReport(loads, loadFigure);
        System.out.println("\n" + report);
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        Files.writeString(out, report, StandardCharsets.UTF_8);
        System.out.println("Written to " + out.toAbsolutePath());
    }

    /** How long the load runs before the first scenario. */
    private static final long LOAD_SETTLE_MILLIS = 20_000;

    /** The load lines of the report: what ran beside the scenarios, and each scenario's load average. */
    static String loadReport(Map<Scenario, double[]> loads, String loadFigure) {
        StringBuilder md = new StringBuilder();
        md.append("- Load: ").append(loadFigure == null ? "none started by the harness (a quiet run; other"
                + " processes on the machine still count, see the load averages)" : loadFigure).append('\n');
        if (loads.isEmpty()) {
            return md.toString();
        }
        md.append("- Load average (1 min) before → after each scenario; *drifted* when ").append(Load.driftBound())
                .append(':');
        boolean any = false;
        for (Map.Entry<Scenario, double[]> entry : loads.entrySet()) {
            double[] l = entry.getValue();
            boolean drifted = Load.drifted(l[0], l[1]);
            any |= drifted;
            md.append(String.format(Locale.ROOT, " %s %.2f → %.2f%s;", entry.getKey(), l[0], l[1],
                    drifted ? " (*drifted*)" : ""));
        }
        md.setLength(md.length() - 1);
        md.append('\n');
        if (any) {
            md.append("- **This run's load drifted** in the scenarios marked: compare their figures with care, or run"
                    + " them again.\n");
        }
        return md.toString();
    }

    private static double oneMinuteLoad() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** How a JMH scenario runs: its warm-up and measured iterations, its forks, and S2/S4's seconds of calls first. */
    record Runs(int warmup, int measured, int forks, int warmUpSeconds) {
    }

    private Runs iterations(int warmup, int measured, int quickWarmup, int quickMeasured) {
        return quick ? new Runs(quickWarmup, quickMeasured, 1, 0) : new Runs(warmup, measured, 1, 0);
    }

    /**
     * S2 and S4: two forks, each warmed by {@link UpToDate#DEFAULT_WARM_UP_SECONDS} seconds of calls before its warm-up
     * iterations. One fork's median of the same tool moved between 22.7 and 25.0 ms from fork to fork, enough to move
     * a ratio by 0.1.
     */
    private Runs upToDate() {
        return quick ? new Runs(5, 10, 1, 1) : new Runs(20, 30, 2, UpToDate.DEFAULT_WARM_UP_SECONDS);
    }

    private Row jmh(Class<?> benchmark, String method, String corpus, Runs runs) throws RunnerException {
        return jmh(benchmark, method, corpus, runs, List.of(Tool.values()));
    }

    /** Runs a JMH benchmark for the selected tools that {@code supported} lists; the others get a note. */
    private Row jmh(Class<?> benchmark, String method, String corpus, Runs runs, List<Tool> supported)
            throws RunnerException {
        List<String> toolParams = new ArrayList<>();
        Map<Tool, String> notes = new EnumMap<>(Tool.class);
        for (Tool tool : tools) {
            if (supported.contains(tool)) {
                toolParams.add(tool.name().toLowerCase(Locale.ROOT));
            } else {
                notes.put(tool, "not timed");
            }
        }
        Map<Tool, Double> millis = new EnumMap<>(Tool.class);
        if (toolParams.isEmpty()) {
            return new Row(millis, Map.of(), notes, 0);
        }
        List<String> jvmArgs = new ArrayList<>(List.of(
                "-D" + dev.tidemark.bench.jmh.Corpora.PROPERTY + "=" + corpora,
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-Dliquibase.analytics.enabled=false",
                "-D" + UpToDate.WARM_UP_PROPERTY + "=" + runs.warmUpSeconds()));
        if (jfr != null) {
            jvmArgs.add("-XX:StartFlightRecording=settings=profile,filename=" + jfr.resolve(benchmark.getSimpleName()
                    + "-" + method + "-" + corpus + "-%p.jfr"));
        }
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(benchmark.getName().replace(".", "\\.") + "\\." + method + "$")
                .param("tool", toolParams.toArray(String[]::new))
                .param("corpus", corpus)
                .warmupIterations(runs.warmup())
                .measurementIterations(runs.measured())
                .forks(runs.forks())
                .shouldFailOnError(true)
                .jvmArgsAppend(jvmArgs.toArray(String[]::new));
        for (RunResult result : new Runner(options.build()).run()) {
            Tool tool = Tool.of(result.getParams().getParam("tool"));
            millis.put(tool, result.getPrimaryResult().getStatistics().getPercentile(50));
        }
        return new Row(millis, Map.of(), notes, runs.measured() * runs.forks());
    }

    /** S1 and S6: the tools interleaved in rounds in this JVM ({@link InterleavedApply}). */
    private Row interleaved(String corpus, Runs runs) {
        Map<Tool, List<Double>> times = InterleavedApply.run(tools, Corpus.load(corpora, corpus), runs.warmup(),
                runs.measured());
        Map<Tool, Double> millis = new EnumMap<>(Tool.class);
        times.forEach((tool, runTimes) -> millis.put(tool, Stats.median(runTimes)));
        return new Row(millis, Map.of(), Map.of(), runs.measured());
    }

    /** A row whose every selected tool shows {@code why} instead of a time. */
    private Row notRun(String why) {
        Map<Tool, String> notes = new EnumMap<>(Tool.class);
        tools.forEach(tool -> notes.put(tool, why));
        return new Row(new EnumMap<>(Tool.class), Map.of(), notes, 0);
    }

    private Row coldStart() throws IOException, InterruptedException {
        Path jar = Path.of(Bench.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        Path coldJars = jar.resolveSibling("cold");
        Path launcher = Path.of("init-container", "target", "tidemark").toAbsolutePath();
        ColdStart cold = new ColdStart(coldJars, jar.resolveSibling("cold-start-runs"), cli,
                cli != null && Files.isExecutable(launcher) ? launcher : null);
        Runs runs = iterations(3, 15, 1, 3);
        Map<Tool, ColdStart.Result> results = cold.run(Corpus.load(corpora, "generated-10"), runs.warmup(),
                runs.measured());
        Map<Tool, Double> millis = new EnumMap<>(Tool.class);
        Map<Tool, Double> rss = new EnumMap<>(Tool.class);
        Map<Tool, String> notes = new EnumMap<>(Tool.class);
        results.forEach((tool, r) -> {
            millis.put(tool, r.medianMillis());
            rss.put(tool, r.medianRssMb());
            System.out.printf(Locale.ROOT, "%-10s %8.1f ms %6.1f MB  %s%n", tool.label(), r.medianMillis(),
                    r.medianRssMb(), r.command());
        });
        if (!cold.usesCli()) {
            notes.put(Tool.TIDEMARK, "minimal main (CLI pending)");
        }
        tidemarkColdCommand = results.get(Tool.TIDEMARK).command();
        cold.variants().forEach((label, r) -> {
            System.out.printf(Locale.ROOT, "Tidemark %s: %.1f ms %.1f MB  %s%n", label, r.medianMillis(),
                    r.medianRssMb(), r.command());
            coldVariants.put(label, String.format(Locale.ROOT, "%s, %.0f MB", format(r.medianMillis()),
                    r.medianRssMb()));
        });
        return new Row(millis, rss, notes, runs.measured());
    }

    private String report(Map<Scenario, Row> rows, String started, String loadBefore, String loadAfter,
            String postgres) {
        StringBuilder md = new StringBuilder();
        md.append("| Scenario | Tidemark | Flyway | Liquibase | Floor (raw pgjdbc) | Tidemark / Flyway"
                + " | Tidemark / floor | Target |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---|\n");
        for (Map.Entry<Scenario, Row> entry : rows.entrySet()) {
            Scenario scenario = entry.getKey();
            Row row = entry.getValue();
            md.append("| ").append(scenario.title).append(" | ");
            for (Tool tool : Tool.values()) {
                md.append(cell(row, tool)).append(" | ");
            }
            md.append(ratio(row, Tool.TIDEMARK, Tool.FLYWAY)).append(" | ")
                    .append(ratio(row, Tool.TIDEMARK, Tool.FLOOR)).append(" | ")
                    .append(target(scenario, row)).append(" |\n");
        }
        md.append("\nMedians in milliseconds (S5: wall time from fork to exit, and peak RSS) of ");
        md.append(rows.values().stream().mapToInt(Row::runs).filter(n -> n > 0).min().orElse(0)).append("+ measured"
                + " runs per tool after warm-up; every run on fresh databases (S2, S4, S5: one database per tool,"
                + " migrated once before timing).\n\n");
        md.append("- Date: ").append(started).append('\n');
        md.append("- Command: `").append(System.getProperty("tidemark.bench.command",
                "java -jar benchmarks/target/tidemark-benchmarks.jar" + (args.length == 0 ? ""
                        : " " + String.join(" ", args)))).append("`\n");
        md.append("- Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores (")
                .append(cpuModel()).append("), ").append(memory()).append(", ").append(System.getProperty("os.name"))
                .append(' ').append(System.getProperty("os.version")).append('\n');
        md.append("- Load average before / after: ").append(loadBefore).append(" / ").append(loadAfter).append('\n');
        md.append("- JDK: ").append(System.getProperty("java.vm.name")).append(' ')
                .append(System.getProperty("java.runtime.version")).append(" (no JVM flags)\n");
        md.append("- PostgreSQL ").append(postgres).append(" on the same machine (127.0.0.1), default settings\n");
        md.append("- Versions: Tidemark ").append(Tool.TIDEMARK.version()).append(", Flyway ")
                .append(Tool.FLYWAY.version()).append(" (flyway-core + flyway-database-postgresql), Liquibase ")
                .append(Tool.LIQUIBASE.version()).append(" (formatted SQL changelogs), ").append(Tool.FLOOR.version())
                .append(", JMH ").append(Versions.of("org.openjdk.jmh", "jmh-core")).append('\n');
        if (tidemarkColdCommand != null) {
            md.append("- S5 Tidemark command: `").append(tidemarkColdCommand).append("`\n");
        }
        if (!coldVariants.isEmpty()) {
            md.append("- S5 Tidemark variants, same run (AppCDS: an archive written by one training run; the flags an"
                    + " image can set in `JDK_JAVA_OPTIONS`: `-XX:SharedArchiveFile=.. -XX:TieredStopAtLevel=1"
                    + " -XX:+UseSerialGC`):");
            coldVariants.forEach((label, figure) -> md.append(" ").append(label).append(" ").append(figure)
                    .append(";"));
            md.setLength(md.length() - 1);
            md.append('\n');
        }
        Row coldRow = rows.get(Scenario.S5);
        for (Row row : coldRow == null ? List.<Row>of() : List.of(coldRow)) {
            row.notes().forEach((tool, note) -> md.append("- S5 Tidemark: ").append(note)
                    .append(": `java -jar cold/tidemark.jar` calls Migrator.deploy() until"
                            + " `init-container/target/tidemark.jar deploy` exists\n"));
        }
        return md.toString();
    }

    private static String cell(Row row, Tool tool) {
        Double ms = row.millis().get(tool);
        if (ms == null) {
            return row.notes().getOrDefault(tool, "–");
        }
        String text = format(ms);
        Double rss = row.rssMb().get(tool);
        if (rss != null) {
            text += ", " + String.format(Locale.ROOT, "%.0f MB", rss);
        }
        String note = row.notes().get(tool);
        return note == null ? text : text + " (" + note + ")";
    }

    private static String format(double ms) {
        return ms >= 100 ? String.format(Locale.ROOT, "%,.0f ms", ms) : String.format(Locale.ROOT, "%.1f ms", ms);
    }

    private static String ratio(Row row, Tool a, Tool b) {
        Double x = row.millis().get(a);
        Double y = row.millis().get(b);
        return x == null || y == null ? "–" : String.format(Locale.ROOT, "%.2f×", x / y);
    }

    private static String target(Scenario scenario, Row row) {
        Double ms = row.millis().get(Tool.TIDEMARK);
        Double floor = row.millis().get(Tool.FLOOR);
        return switch (scenario) {
            // Issue 18's goals: applying and the no-op paths within 10% of the floor, in the same run.
            case S1, S2, S4, S6 -> verdict("≤ 1.10× floor", ms != null && floor != null ? ms / floor <= 1.10 : null);
            case S3 -> verdict("≤ 15 ms", ms == null ? null : ms <= 15);
            case S8 -> verdict("< 2 s", ms == null ? null : ms < 2000);
            case S5 -> verdict("≤ 300 ms, ≤ 0.55× Flyway, ≤ 70 MB", ms == null ? null
                    : ms <= 300 && row.rssMb().getOrDefault(Tool.TIDEMARK, Double.MAX_VALUE) <= 70
                            && (!row.millis().containsKey(Tool.FLYWAY) || ms / row.millis().get(Tool.FLYWAY) <= 0.55));
            default -> "–";
        };
    }

    private static String verdict(String target, Boolean met) {
        return target + (met == null ? "" : met ? " (met)" : " (missed)");
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).strip();
                }
            }
        } catch (IOException ignored) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }

    private static String memory() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    long kb = Long.parseLong(line.replaceAll("\\D", ""));
                    return String.format(Locale.ROOT, "%.0f GiB memory", kb / 1024.0 / 1024.0);
                }
            }
        } catch (IOException ignored) {
            // not Linux
        }
        return "memory unknown";
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    static Map<String, String> parse(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--quick")) {
                options.put(arg, "true");
            } else if (arg.equals("--load")) {
                // --load alone: pgbench with its default clients
                options.put(arg, i + 1 < args.length && !args[i + 1].startsWith("--") ? args[++i] : "pgbench");
            } else if (Arrays.asList("--scenarios", "--tools", "--out", "--cli", "--jfr").contains(arg)
                    && i + 1 < args.length) {
                options.put(arg, args[++i]);
            } else {
                throw new IllegalArgumentException("Unknown argument '" + arg + "'. Usage: [--quick] [--scenarios"
                        + " S1,S2,S3,S4,S5,S6,S7,S8] [--tools tidemark,flyway,liquibase,floor] [--out FILE] [--cli"
                        + " \"COMMAND with {java} {url} {user} {location}\"] [--jfr DIR] [--load pgbench[:CLIENTS[:RATE]]]");
            }
        }
        return options;
    }
}
