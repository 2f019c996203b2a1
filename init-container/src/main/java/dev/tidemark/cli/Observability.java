package dev.tidemark.cli;

import dev.tidemark.Migrator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * {@code deploy}'s events and metrics: JSON events ({@link EventLog}), the slow-migration warning, and a Prometheus
 * text file ({@link PrometheusFile}) written at the end. One instance per command run, shared by every fleet target.
 */
final class Observability {

    private static final Logger log = LoggerFactory.getLogger("dev.tidemark.cli");

    @Option(names = "--events", paramLabel = "json|off",
            description = "Write deploy events (deploy, migration and lock events), one JSON object per line, to"
                    + " standard error, or to --events-file (env " + Settings.EVENTS + "; default off).")
    String events;

    @Option(names = "--events-file", paramLabel = "FILE",
            description = "Append the JSON events to FILE instead of standard error; implies --events json (env "
                    + Settings.EVENTS_FILE + ").")
    Path eventsFile;

    @Option(names = "--warn-after", paramLabel = "DURATION", converter = Durations.class,
            description = "Log a warning (and a slow_migration event) when a migration runs longer than this, for"
                    + " example 5m (env " + Settings.WARN_AFTER + "; default off).")
    Duration warnAfter;

    @Option(names = "--metrics-file", paramLabel = "FILE",
            description = "At the end, write the deploy's metrics to FILE in Prometheus text format, atomically,"
                    + " for a Pushgateway or a node_exporter textfile collector (env " + Settings.METRICS_FILE
                    + ").")
    Path metricsFile;

    private EventLog eventLog;
    private PrometheusFile metrics;
    private OutputStream opened;

    /**
     * Adds the listeners and the warning to a target's builder, creating the listeners on first use. Synchronized:
     * a fleet's workers configure their targets at the same time, and each must get the one shared listener.
     */
    synchronized void apply(Migrator.Builder builder, BaseCommand command) {
        Duration warn = command.duration(warnAfter, Settings.WARN_AFTER);
        if (warn != null) {
            builder.slowMigrationWarning(warn);
        }
        if (eventLog == null && eventsWanted(command)) {
            eventLog = new EventLog(eventStream(command), command.context.clock());
        }
        if (eventLog != null) {
            builder.listener(eventLog);
        }
        if (metrics == null && metricsPath(command) != null) {
            metrics = new PrometheusFile(command.context.clock());
        }
        if (metrics != null) {
            builder.listener(metrics);
        }
    }

    /**
     * After the deploy, however it ended: writes the metrics file and closes the events file. A file that cannot be
     * written is logged; it does not change the deploy's exit code.
     */
    synchronized void finish(BaseCommand command) {
        if (metrics != null) {
            Path path = metricsPath(command);
            try {
                metrics.write(path);
            } catch (IOException e) {
                log.error("Could not write the metrics file {}: {}. The deploy's result is unchanged.", path,
                        e.getMessage());
            }
        }
        if (opened != null) {
            try {
                opened.close();
            } catch (IOException e) {
                log.warn("Could not close the events file: {}", e.getMessage());
            }
        }
    }

    private boolean eventsWanted(BaseCommand command) {
        if (eventsPath(command) != null) {
            return true;
        }
        String mode = command.flagOrEnv(events, Settings.EVENTS);
        if (mode == null) {
            return false;
        }
        return switch (mode.strip().toLowerCase(Locale.ROOT)) {
            case "json" -> true;
            case "off" -> false;
            default -> throw command.usage((events != null ? "--events" : Settings.EVENTS) + ": '" + mode
                    + "' is not an events format; use json or off.");
        };
    }

    private PrintStream eventStream(BaseCommand command) {
        Path path = eventsPath(command);
        if (path == null) {
            return command.context.err();
        }
        try {
            opened = Files.newOutputStream(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw command.usage("--events-file: cannot open " + path + " for appending: " + e.getMessage() + ".");
        }
        return new PrintStream(opened, false, StandardCharsets.UTF_8);
    }

    private Path eventsPath(BaseCommand command) {
        String value = eventsFile != null ? eventsFile.toString() : command.context.env(Settings.EVENTS_FILE);
        return value == null ? null : Path.of(value);
    }

    private Path metricsPath(BaseCommand command) {
        String value = metricsFile != null ? metricsFile.toString() : command.context.env(Settings.METRICS_FILE);
        return value == null ? null : Path.of(value);
    }
}
