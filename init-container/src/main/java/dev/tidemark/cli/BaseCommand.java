package dev.tidemark.cli;

import dev.tidemark.cli.logging.LogFormat;
import dev.tidemark.cli.logging.LogOutput;
import org.slf4j.event.Level;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * Options every subcommand has (logging), the step every subcommand takes first (configuring the log output), and
 * the reading of settings from flags, then environment.
 */
abstract class BaseCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    Options.Logging logging;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    final CliContext context;

    /** The name {@link FastDeploy} bound this command as, when it runs without picocli (then {@link #spec} is null). */
    String boundName;

    BaseCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public final Integer call() throws Exception {
        LogOutput.configure(level(), format(), context.err());
        return run();
    }

    abstract int run() throws Exception;

    /**
     * A usage error (exit code 2) that names the flag and the variable. Without picocli ({@link FastDeploy}) the
     * command line is handed back to picocli, which reports it as it reports every usage error.
     */
    RuntimeException usage(String message) {
        if (spec == null) {
            return new FastDeploy.Declined();
        }
        return new ParameterException(spec.commandLine(), message);
    }

    /** The command's name, as typed. */
    String commandName() {
        return spec == null ? boundName : spec.name();
    }

    /** The flag if given, else the environment variable, else null. */
    String flagOrEnv(String flag, String variable) {
        return flag != null ? flag : context.env(variable);
    }

    /** The flag if given, else the environment variable parsed as a duration, else null. */
    Duration duration(Duration flag, String variable) {
        if (flag != null) {
            return flag;
        }
        String value = context.env(variable);
        if (value == null) {
            return null;
        }
        try {
            return Durations.parse(value);
        } catch (TypeConversionException e) {
            throw usage(variable + ": " + e.getMessage() + ".");
        }
    }

    /** The flag if given, else the environment variable parsed as a boolean, else false. */
    boolean bool(Boolean flag, String variable) {
        if (flag != null) {
            return flag;
        }
        String value = context.env(variable);
        if (value == null) {
            return false;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw usage(variable + "='" + value + "' is not a boolean; use true or false.");
        };
    }

    private LogFormat format() {
        if (logging.logFormat != null) {
            return logging.logFormat;
        }
        String value = context.env(Settings.LOG_FORMAT);
        if (value == null) {
            return LogFormat.TEXT;
        }
        try {
            return LogFormat.valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw usage(Settings.LOG_FORMAT + "='" + value + "' is not a log format; use text or json.");
        }
    }

    private Level level() {
        String value = flagOrEnv(logging.logLevel, Settings.LOG_LEVEL);
        if (value == null) {
            return Level.INFO;
        }
        try {
            return Level.valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw usage("'" + value + "' is not a log level; use error, warn, info, debug or trace (--log-level, "
                    + Settings.LOG_LEVEL + ").");
        }
    }
}
