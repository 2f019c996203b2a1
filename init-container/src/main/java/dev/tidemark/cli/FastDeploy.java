package dev.tidemark.cli;

import dev.tidemark.cli.logging.LogFormat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * {@code deploy} without picocli, for the command line an init container runs at every pod start: {@code deploy} and
 * options that take one value or are switches, bound straight onto a {@link DeployCommand} and its option groups.
 * Picocli reads every option's annotations through reflection before it parses (about 170 of its classes plus
 * annotation proxies), a large share of a cold {@code java -jar tidemark.jar deploy}.
 *
 * <p>Anything else makes {@link #run} return null and the caller hands the whole command line to picocli, which then
 * says exactly what it always says: help, a fleet, an unknown or repeated option, a missing value, a value picocli
 * would not convert, an argument file, and every usage error the command itself raises ({@link BaseCommand#usage}
 * throws {@link Declined} here, before the command has done anything). {@code FastDeployTests} checks that the
 * options bound here are deploy's options and that they bind as picocli binds them.
 */
final class FastDeploy {

    static final String NAME = "deploy";

    /** Options this class binds; deploy's others (help, the fleet's) always go through picocli. */
    static final Set<String> OPTIONS = Set.of("--url", "--schema", "--history-table", "--migrations", "--wait-for-db",
            "--lock-wait", "--lock-timeout", "--statement-timeout", "--lock-retry-budget", "--lint", "--log-format",
            "--log-level", "--output", "--strict", "--resume-interrupted", "--events", "--events-file", "--warn-after",
            "--metrics-file");

    /** The command line is for picocli after all; carries no message, picocli writes its own. */
    static final class Declined extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Declined() {
            super(null, null, false, false);
        }
    }

    private FastDeploy() {
    }

    /** Runs {@code deploy} and returns its exit code, or null when picocli must run this command line. */
    static Integer run(CliContext context, String[] args) {
        DeployCommand command = bind(context, args);
        if (command == null) {
            return null;
        }
        try {
            return command.call();
        } catch (Declined e) {
            return null;
        } catch (Exception e) {
            return TidemarkCli.failed(e, command);
        }
    }

    /** The bound command, or null when picocli must parse these arguments. */
    static DeployCommand bind(CliContext context, String[] args) {
        if (args.length == 0 || !args[0].equals(NAME)) {
            return null;
        }
        DeployCommand command = new DeployCommand(context);
        command.boundName = NAME;
        command.logging = new Options.Logging();
        command.migrations = new Options.Migrations();
        command.lockWait = new Options.LockWait();
        command.timeouts = new Options.Timeouts();
        command.output = new Options.Output();
        command.output.output = OutputFormat.TEXT;
        command.fleet = new FleetOptions();
        command.observability = new Observability();
        Set<String> seen = new HashSet<>();
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            if (arg.startsWith("@")) {
                return null; // picocli reads an argument file
            }
            String name = arg;
            String value = null;
            int equals = arg.indexOf('=');
            if (arg.startsWith("--") && equals > 2) {
                name = arg.substring(0, equals);
                value = arg.substring(equals + 1);
            }
            boolean negated = name.startsWith("--no-");
            String option = negated ? "--" + name.substring(5) : name;
            if (!OPTIONS.contains(option) || !seen.add(option)) {
                return null;
            }
            if (option.equals("--strict") || option.equals("--resume-interrupted")) {
                if (value != null) {
                    return null;
                }
                if (option.equals("--strict")) {
                    command.strict = !negated;
                } else {
                    command.resumeInterrupted = !negated;
                }
                continue;
            }
            if (negated) {
                return null;
            }
            if (value == null) {
                if (i + 1 == args.length || args[i + 1].startsWith("-") || args[i + 1].startsWith("@")) {
                    return null;
                }
                value = args[++i];
            }
            try {
                set(command, option, value);
            } catch (RuntimeException e) {
                return null; // picocli names the option and the value
            }
        }
        return command;
    }

    private static void set(DeployCommand command, String option, String value) {
        switch (option) {
            case "--url" -> command.url = value;
            case "--schema" -> command.schema = value;
            case "--history-table" -> command.historyTable = value;
            case "--migrations" -> command.migrations.migrations = value;
            case "--wait-for-db" -> command.waitForDb = duration(value);
            case "--lock-wait" -> command.lockWait.lockWait = duration(value);
            case "--lock-timeout" -> command.timeouts.lockTimeout = duration(value);
            case "--statement-timeout" -> command.timeouts.statementTimeout = duration(value);
            case "--lock-retry-budget" -> command.timeouts.lockRetryBudget = duration(value);
            case "--lint" -> command.lint = value;
            case "--log-format" -> command.logging.logFormat = LogFormat.valueOf(upper(value));
            case "--log-level" -> command.logging.logLevel = value;
            case "--output" -> command.output.output = OutputFormat.valueOf(upper(value));
            case "--events" -> command.observability.events = value;
            case "--events-file" -> command.observability.eventsFile = Path.of(value);
            case "--warn-after" -> command.observability.warnAfter = duration(value);
            case "--metrics-file" -> command.observability.metricsFile = Path.of(value);
            default -> throw new IllegalArgumentException(option);
        }
    }

    private static Duration duration(String value) {
        return Durations.parse(value);
    }

    /** Picocli matches enum constants ignoring case (setCaseInsensitiveEnumValuesAllowed). */
    private static String upper(String value) {
        return value.toUpperCase(Locale.ROOT);
    }
}
