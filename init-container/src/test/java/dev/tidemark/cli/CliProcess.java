package dev.tidemark.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.yaml.snakeyaml.Yaml;

/** Runs a command as a real process with a clean Tidemark environment, and collects what it printed. */
final class CliProcess {

    record Result(int exitCode, String out, String err, Duration elapsed) {

        /** Standard output parsed as one JSON object. */
        Map<String, Object> json() {
            return new Yaml().load(out);
        }

        /** Standard output and error together, for "never prints X" checks. */
        String all() {
            return out + "\n" + err;
        }

        @Override
        public String toString() {
            return "exit " + exitCode + " after " + elapsed.toMillis() + " ms\n--- stdout\n" + out + "--- stderr\n"
                    + err;
        }
    }

    private CliProcess() {
    }

    /** {@code java -jar target/tidemark.jar ARGS} with the given environment variables. */
    static Result jar(Map<String, String> env, String... args) {
        Path jar = Path.of(System.getProperty("tidemark.cli.jar", "target/tidemark.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing; run 'package' first (failsafe does).");
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", jar.toString()));
        command.addAll(List.of(args));
        return run(command, env, true);
    }

    /** {@code java -jar target/tidemark.jar ARGS} in the given working directory. */
    static Result jarIn(Path workingDirectory, Map<String, String> env, String... args) {
        Path jar = Path.of(System.getProperty("tidemark.cli.jar", "target/tidemark.jar")).toAbsolutePath();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", jar.toString()));
        command.addAll(List.of(args));
        return run(command, env, true, workingDirectory);
    }

    /** The launcher, {@code target/tidemark ARGS}, executed as a program (its shebang line picks the shell). */
    static Result launcher(Path workingDirectory, Map<String, String> env, String... args) {
        Path launcher = Path.of(System.getProperty("tidemark.cli.launcher", "target/tidemark")).toAbsolutePath();
        if (!Files.isExecutable(launcher)) {
            throw new IllegalStateException(launcher + " is missing or not executable; run 'package' first.");
        }
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        // the launcher's class-data archives go to the test's folder, not the user's cache
        Map<String, String> withCache = new java.util.HashMap<>(env);
        withCache.putIfAbsent("TIDEMARK_CDS_DIR", workingDirectory.resolve(".tidemark-cds").toString());
        return run(command, withCache, true, workingDirectory);
    }

    static Result run(List<String> command, Map<String, String> env, boolean cleanTidemarkEnv) {
        return run(command, env, cleanTidemarkEnv, null);
    }

    static Result run(List<String> command, Map<String, String> env, boolean cleanTidemarkEnv,
            Path workingDirectory) {
        ProcessBuilder builder = new ProcessBuilder(command);
        if (workingDirectory != null) {
            builder.directory(workingDirectory.toFile());
        }
        if (cleanTidemarkEnv) {
            builder.environment().keySet().removeIf(k -> k.equals("DATABASE_URL") || k.startsWith("TIDEMARK_")
                    || k.equals("JAVA_HOME") || k.equals("JAVA_OPTS"));
        }
        builder.environment().putAll(env);
        long start = System.nanoTime();
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            CompletableFuture<String> out = read(process.getInputStream());
            CompletableFuture<String> err = read(process.getErrorStream());
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("Timed out: " + command);
            }
            return new Result(process.exitValue(), out.join(), err.join(),
                    Duration.ofNanos(System.nanoTime() - start));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static CompletableFuture<String> read(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
