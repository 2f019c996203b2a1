package dev.tidemark.cli;

import dev.tidemark.cli.logging.LogFormat;
import dev.tidemark.cli.logging.LogOutput;
import org.slf4j.event.Level;

import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Options every subcommand has (logging), and the step every subcommand takes first: configuring the log output. */
abstract class BaseCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--log-format", paramLabel = "text|json",
            description = "Log lines on standard error as text or as one JSON object per line (env "
                    + Settings.LOG_FORMAT + "; default text).")
    LogFormat logFormat;

    @Option(names = "--log-level", paramLabel = "LEVEL",
            description = "error, warn, info or debug (env " + Settings.LOG_LEVEL + "; default info).")
    String logLevel;

    final CliContext context;

    BaseCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public final Integer call() throws Exception {
        LogOutput.configure(level(), format(), context.err());
        return run();
    }

    abstract int run() throws Exception;

    /** A usage error (exit code 2) that names the flag and the variable. */
    ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** The flag if given, else the environment variable, else null. */
    String flagOrEnv(String flag, String variable) {
        return flag != null ? flag : context.env(variable);
    }

    private LogFormat format() {
        if (logFormat != null) {
            return logFormat;
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
        String value = flagOrEnv(logLevel, Settings.LOG_LEVEL);
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
