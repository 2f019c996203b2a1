package dev.tidemark.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * S5: a whole process doing a no-op deploy of 10 migrations, timed from fork to exit, with its peak RSS read by
 * {@code /usr/bin/time}. Every tool runs with the same {@code java} and no JVM flags, as {@code java -jar} would;
 * the runs of the tools are interleaved so that background load falls on all of them alike.
 */
final class ColdStart {

    /** Median wall time and peak RSS of one tool's runs. */
    record Result(double medianMillis, double medianRssMb, int runs, String command) {
    }

    private final Path coldJars;
    private final Path work;
    private final String cliTemplate;
    private final Path launcher;

    /**
     * @param cliTemplate the Tidemark CLI command, with {@code {url}}, {@code {user}} and {@code {location}}
     *                    placeholders, or null for the minimal main
     * @param launcher    {@code init-container/target/tidemark}, timed as a variant with its class-data archive,
     *                    or null
     */
    ColdStart(Path coldJars, Path work, String cliTemplate, Path launcher) {
        this.coldJars = coldJars;
        this.work = work;
        this.cliTemplate = cliTemplate;
        this.launcher = launcher;
    }

    /** The launcher's variant label. */
    static final String LAUNCHER = "launcher (its AppCDS archive, C1, SerialGC)";

    boolean usesCli() {
        return cliTemplate != null;
    }

    /**
     * The same Tidemark run with the JVM flags an image can set through {@code JDK_JAVA_OPTIONS}: an application
     * class-data archive (written by one training run), C1 only and the serial collector, all fitting a short-lived
     * single-threaded process. Measured interleaved like the others; null when the CLI is used.
     */
    static final List<String> TUNED_FLAGS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    private final Map<String, Result> variants = new LinkedHashMap<>();

    /**
     * Further Tidemark runs on the same database, interleaved with the others: the minimal main (when the table
     * shows the CLI), and each of those with the JVM flags an image can set ({@code JDK_JAVA_OPTIONS}): an AppCDS
     * archive written by one training run, C1 only and the serial collector.
     */
    Map<String, Result> variants() {
        return variants;
    }

    Map<Tool, Result> run(Corpus corpus, int warmups, int runs) throws IOException, InterruptedException {
        Files.createDirectories(work);
        Map<Tool, Server.Target> databases = new EnumMap<>(Tool.class);
        Map<Tool, List<Double>> millis = new EnumMap<>(Tool.class);
        Map<Tool, List<Double>> rss = new EnumMap<>(Tool.class);
        try {
            for (Tool tool : Tool.values()) {
                Server.Target db = Server.createDatabase("cold");
                databases.put(tool, db);
                // applies the 10 migrations; the timed runs have nothing to do
                run(tool.name().toLowerCase(), command(tool, db, corpus));
                Checks.applied(db, tool, corpus.size());
                millis.put(tool, new ArrayList<>());
                rss.put(tool, new ArrayList<>());
            }
            Server.Target tidemarkDb = databases.get(Tool.TIDEMARK);
            Map<String, List<String>> extra = new LinkedHashMap<>();
            if (launcher != null) {
                extra.put(LAUNCHER, launcher(tidemarkDb, corpus));
            }
            if (cliTemplate != null) {
                extra.put("CLI + AppCDS, C1, SerialGC", tuned("cli", command(Tool.TIDEMARK, tidemarkDb, corpus)));
                extra.put("minimal main", minimalMain(tidemarkDb, corpus));
            }
            extra.put("minimal main + AppCDS, C1, SerialGC", tuned("main", minimalMain(tidemarkDb, corpus)));
            Map<String, List<Double>> extraMillis = new LinkedHashMap<>();
            Map<String, List<Double>> extraRss = new LinkedHashMap<>();
            extra.keySet().forEach(k -> {
                extraMillis.put(k, new ArrayList<>());
                extraRss.put(k, new ArrayList<>());
            });
            for (int round = 0; round < warmups + runs; round++) {
                for (Tool tool : Tool.values()) {
                    double[] sample = run(tool.name().toLowerCase(), command(tool, databases.get(tool), corpus));
                    if (round >= warmups) {
                        millis.get(tool).add(sample[0]);
                        rss.get(tool).add(sample[1]);
                    }
                }
                int i = 0;
                for (Map.Entry<String, List<String>> variant : extra.entrySet()) {
                    double[] sample = run("tidemark-variant-" + i++, variant.getValue());
                    if (round >= warmups) {
                        extraMillis.get(variant.getKey()).add(sample[0]);
                        extraRss.get(variant.getKey()).add(sample[1]);
                    }
                }
            }
            extra.forEach((label, command) -> variants.put(label, new Result(Stats.median(extraMillis.get(label)),
                    Stats.median(extraRss.get(label)), runs, String.join(" ", command))));
            Map<Tool, Result> results = new EnumMap<>(Tool.class);
            for (Tool tool : Tool.values()) {
                Checks.applied(databases.get(tool), tool, corpus.size());
                results.put(tool, new Result(Stats.median(millis.get(tool)), Stats.median(rss.get(tool)), runs,
                        String.join(" ", command(tool, databases.get(tool), corpus))));
            }
            return results;
        } finally {
            databases.values().forEach(Server::dropDatabase);
        }
    }

    /** The command with the tuned flags, after one training run that writes its class-data archive. */
    private List<String> tuned(String name, List<String> command) throws IOException, InterruptedException {
        Path archive = work.resolve(name + ".jsa");
        Files.deleteIfExists(archive);
        List<String> training = new ArrayList<>(List.of("-XX:ArchiveClassesAtExit=" + archive));
        training.addAll(TUNED_FLAGS);
        run(name + "-training", withFlags(command, training));
        List<String> flags = new ArrayList<>(List.of("-XX:SharedArchiveFile=" + archive));
        flags.addAll(TUNED_FLAGS);
        return withFlags(command, flags);
    }

    /**
     * The launcher on the harness's JVM (JAVA_HOME, so not the image's runtime), with its archive cache in the work
     * folder: the warm-up rounds include the run that writes the archive.
     */
    private List<String> launcher(Server.Target db, Corpus corpus) throws IOException {
        Path cache = work.resolve("cds");
        if (Files.isDirectory(cache)) {
            try (var files = Files.list(cache)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
        }
        return List.of("/usr/bin/env", "JAVA_HOME=" + System.getProperty("java.home"), "TIDEMARK_CDS_DIR=" + cache,
                launcher.toString(), "deploy", "--url", db.jdbcUrl() + "?user=" + Server.USER, "--migrations",
                corpus.prisma().toString());
    }

    private List<String> minimalMain(Server.Target db, Corpus corpus) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return List.of(java, "-jar", coldJars.resolve("tidemark.jar").toString(), db.jdbcUrl(), Server.USER,
                corpus.prisma().toString());
    }

    /** One run: {wall milliseconds, peak RSS in MB}. */
    private double[] run(String label, List<String> toRun) throws IOException, InterruptedException {
        Path rssFile = work.resolve(label + ".rss");
        Path log = work.resolve(label + ".log");
        List<String> command = new ArrayList<>(List.of("/usr/bin/time", "-f", "%M", "-o", rssFile.toString()));
        command.addAll(toRun);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        long start = System.nanoTime();
        Process process = builder.start();
        int exit = process.waitFor();
        double elapsed = (System.nanoTime() - start) / 1e6;
        if (exit != 0) {
            throw new IllegalStateException(label + " cold start exited with " + exit + ": "
                    + String.join(" ", command) + "\n" + Files.readString(log, StandardCharsets.UTF_8));
        }
        String[] lines = Files.readString(rssFile, StandardCharsets.UTF_8).strip().split("\n");
        double rssMb = Long.parseLong(lines[lines.length - 1].strip()) / 1024.0;
        return new double[] {elapsed, rssMb};
    }

    private static List<String> withFlags(List<String> command, List<String> flags) {
        List<String> out = new ArrayList<>(command.subList(0, 1));
        out.addAll(flags);
        out.addAll(command.subList(1, command.size()));
        return out;
    }

    private List<String> command(Tool tool, Server.Target db, Corpus corpus) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        if (tool == Tool.TIDEMARK && cliTemplate != null) {
            List<String> cli = new ArrayList<>();
            for (String part : cliTemplate.trim().split("\\s+")) {
                cli.add(part.replace("{java}", java).replace("{url}", db.jdbcUrl()).replace("{user}", Server.USER)
                        .replace("{location}", corpus.prisma().toString()));
            }
            return cli;
        }
        Path folder = switch (tool) {
            case TIDEMARK, FLOOR -> corpus.prisma();
            case FLYWAY -> corpus.flyway();
            case LIQUIBASE -> corpus.liquibase();
        };
        return List.of(java, "-jar", coldJars.resolve(tool.name().toLowerCase() + ".jar").toString(), db.jdbcUrl(),
                Server.USER, folder.toString());
    }
}
