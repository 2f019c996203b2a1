package dev.tidemark.cli;

import dev.tidemark.MigrationEvent;
import dev.tidemark.MigrationListener;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * {@code --metrics-file}: what the deploy's events add up to, per target, in Prometheus's text exposition format
 * (version 0.0.4), written once at the end to a temporary file that is then moved over the target file, so that a
 * textfile collector never reads half a file. A single deploy's samples have no labels; a fleet's carry
 * {@code target="<name>"}.
 */
final class PrometheusFile implements MigrationListener {

    private final Clock clock;
    /** By target name ("" for a single deploy), sorted so the file is stable. */
    private final Map<String, Target> targets = new TreeMap<>();

    PrometheusFile(Clock clock) {
        this.clock = clock;
    }

    /** One target's sums; guarded by the map's monitor. */
    private static final class Target {
        Integer pending;
        int applied;
        int failed;
        int lockRetries;
        int slow;
        double lockWaitSeconds;
        Double durationSeconds;
        Boolean success;
    }

    @Override
    public void onEvent(MigrationEvent event) {
        synchronized (targets) {
            Target t = targets.computeIfAbsent(event.target() == null ? "" : event.target(), k -> new Target());
            if (event instanceof MigrationEvent.DeployStarted e) {
                t.pending = e.pending();
            } else if (event instanceof MigrationEvent.MigrationFinished) {
                t.applied++;
            } else if (event instanceof MigrationEvent.MigrationFailed) {
                t.failed++;
            } else if (event instanceof MigrationEvent.LockWaited e) {
                t.lockWaitSeconds += e.waited().toNanos() / 1e9;
            } else if (event instanceof MigrationEvent.StatementLockRetry) {
                t.lockRetries++;
            } else if (event instanceof MigrationEvent.SlowMigration) {
                t.slow++;
            } else if (event instanceof MigrationEvent.DeployFinished e) {
                t.durationSeconds = e.duration().toNanos() / 1e9;
                t.success = e.outcome() != MigrationEvent.Outcome.FAILED;
            }
        }
    }

    /** The exposition text. */
    String text() {
        StringBuilder out = new StringBuilder();
        synchronized (targets) {
            family(out, "tidemark_migrations_applied_total", "counter", "Migrations this run applied.",
                    t -> (double) t.applied);
            family(out, "tidemark_migrations_failed_total", "counter", "Migrations that failed in this run.",
                    t -> (double) t.failed);
            family(out, "tidemark_migrations_pending", "gauge", "Migrations still pending after this run (unknown,"
                    + " so absent, when the run failed before reading the history).",
                    t -> t.pending == null ? null : (double) Math.max(0, t.pending - t.applied));
            family(out, "tidemark_deploy_duration_seconds", "gauge", "How long the deploy took, lock wait included.",
                    t -> t.durationSeconds);
            family(out, "tidemark_deploy_success", "gauge", "1 if the deploy succeeded, 0 if it failed.",
                    t -> t.success == null ? null : t.success ? 1.0 : 0.0);
            family(out, "tidemark_lock_wait_seconds_total", "counter", "Time spent waiting for the migration lock"
                    + " held by another deployer.", t -> t.lockWaitSeconds);
            family(out, "tidemark_lock_retries_total", "counter", "Statements retried after their lock_timeout.",
                    t -> (double) t.lockRetries);
            family(out, "tidemark_slow_migrations_total", "counter", "Migrations that ran longer than --warn-after.",
                    t -> (double) t.slow);
        }
        out.append("# HELP tidemark_deploy_timestamp_seconds When this file was written.\n")
                .append("# TYPE tidemark_deploy_timestamp_seconds gauge\n")
                .append("tidemark_deploy_timestamp_seconds ").append(number(clock.millis() / 1000.0)).append('\n');
        return out.toString();
    }

    /** Writes {@link #text()} next to {@code path}, then moves it over {@code path} in one step. */
    void write(Path path) throws IOException {
        Path absolute = path.toAbsolutePath();
        Path temporary = absolute.resolveSibling("." + absolute.getFileName() + "." + ProcessHandle.current().pid()
                + ".tmp");
        Files.writeString(temporary, text(), StandardCharsets.UTF_8);
        try {
            Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private void family(StringBuilder out, String name, String type, String help, Function<Target, Double> value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        targets.forEach((target, t) -> {
            Double v = value.apply(t);
            if (v != null) {
                out.append(name).append(target.isEmpty() ? "" : "{target=\"" + escape(target) + "\"}").append(' ')
                        .append(number(v)).append('\n');
            }
        });
    }

    /** A label value as the text format wants it: backslash, double quote and line feed escaped. */
    static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
                : String.format(Locale.ROOT, "%.6f", value);
    }
}
