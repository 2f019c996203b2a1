package dev.tidemark.cli;

import dev.tidemark.Migrator;
import dev.tidemark.cli.logging.LogFormat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The option groups the commands share, as picocli mixins, so that each command's {@code --help} lists only the
 * options it reads.
 */
final class Options {

    private Options() {
    }

    /** Every command: how log lines on standard error look. */
    static final class Logging {
        @Option(names = "--log-format", paramLabel = "text|json",
                description = "Log lines on standard error as text or as one JSON object per line (env "
                        + Settings.LOG_FORMAT + "; default text).")
        LogFormat logFormat;

        @Option(names = "--log-level", paramLabel = "LEVEL",
                description = "error, warn, info or debug (env " + Settings.LOG_LEVEL + "; default info).")
        String logLevel;
    }

    /** Commands that read the migrations folder. */
    static final class Migrations {
        @Option(names = "--migrations", paramLabel = "DIR",
                description = "The migrations folder (env " + Settings.MIGRATIONS + "; default "
                        + Settings.PRISMA_MIGRATIONS + " if it exists, else " + Settings.PLAIN_MIGRATIONS
                        + "; in the image " + Settings.IMAGE_MIGRATIONS + ").")
        String migrations;

        /** Whether the folder came from neither the flag nor the environment. */
        boolean defaulted(BaseCommand command) {
            return command.flagOrEnv(migrations, Settings.MIGRATIONS) == null;
        }

        /**
         * The flag, else the environment, else {@value Settings#PRISMA_MIGRATIONS} when it is a folder, else
         * {@value Settings#PLAIN_MIGRATIONS}; a command that may read the class path falls back to it when neither
         * folder exists and the class path has one.
         */
        String location(BaseCommand command, boolean classPathFallback) {
            String location = command.flagOrEnv(migrations, Settings.MIGRATIONS);
            if (location != null) {
                return location;
            }
            if (Files.isDirectory(Path.of(Settings.PRISMA_MIGRATIONS))) {
                return Settings.PRISMA_MIGRATIONS;
            }
            if (classPathFallback && !Files.isDirectory(Path.of(Settings.PLAIN_MIGRATIONS))
                    && Thread.currentThread().getContextClassLoader().getResource("db/migrations") != null) {
                return Settings.CLASSPATH_MIGRATIONS;
            }
            return Settings.PLAIN_MIGRATIONS;
        }
    }

    /** Commands that take the migration lock. */
    static final class LockWait {
        @Option(names = "--lock-wait", paramLabel = "DURATION", converter = Durations.class,
                description = "How long to wait for another deployer's migration lock (env " + Settings.LOCK_WAIT
                        + "; default 10s).")
        Duration lockWait;

        void apply(Migrator.Builder builder, BaseCommand command) {
            Duration wait = command.duration(lockWait, Settings.LOCK_WAIT);
            if (wait != null) {
                builder.lockWait(wait);
            }
        }
    }

    /** Commands that run migration statements. */
    static final class Timeouts {
        @Option(names = "--lock-timeout", paramLabel = "DURATION", converter = Durations.class,
                description = "PostgreSQL lock_timeout for migration statements, 0 to disable (env "
                        + Settings.LOCK_TIMEOUT + "; default 3s).")
        Duration lockTimeout;

        @Option(names = "--statement-timeout", paramLabel = "DURATION", converter = Durations.class,
                description = "PostgreSQL statement_timeout for migration statements, 0 for none (env "
                        + Settings.STATEMENT_TIMEOUT + "; default none).")
        Duration statementTimeout;

        @Option(names = "--lock-retry-budget", paramLabel = "DURATION", converter = Durations.class,
                description = "How long a migration that hit its lock timeout keeps being retried, with backoff, 0 to"
                        + " fail at the first (env " + Settings.LOCK_RETRY_BUDGET + "; default 5m).")
        Duration lockRetryBudget;

        void apply(Migrator.Builder builder, BaseCommand command) {
            Duration timeout = command.duration(lockTimeout, Settings.LOCK_TIMEOUT);
            if (timeout != null) {
                builder.lockTimeout(timeout);
            }
            Duration retryBudget = command.duration(lockRetryBudget, Settings.LOCK_RETRY_BUDGET);
            if (retryBudget != null) {
                builder.lockRetryBudget(retryBudget);
            }
            Duration statement = command.duration(statementTimeout, Settings.STATEMENT_TIMEOUT);
            if (statement != null) {
                builder.statementTimeout(statement);
            }
        }
    }

    /** {@code deploy} and {@code status}: the result on standard output as text or JSON. */
    static final class Output {
        @Option(names = "--output", paramLabel = "text|json", defaultValue = "text",
                description = "The result on standard output as text or as one JSON object (default text).")
        OutputFormat output;

        boolean json() {
            return output == OutputFormat.JSON;
        }
    }
}
