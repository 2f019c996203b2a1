package dev.tidemark.cli;

import dev.tidemark.ErrorCode;
import dev.tidemark.Migrator;
import dev.tidemark.TidemarkException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** A command that talks to the database: the connection and migration options, and the {@link Migrator} they make. */
abstract class DatabaseCommand extends BaseCommand {

    private static final Logger log = LoggerFactory.getLogger("dev.tidemark.cli");

    @Option(names = "--url", paramLabel = "URL",
            description = "The database: postgresql://USER:PASSWORD@HOST:5432/DB?schema=public (percent-encoded) or"
                    + " jdbc:postgresql://HOST:5432/DB (env " + Settings.DATABASE_URL + ").")
    String url;

    @Option(names = "--migrations", paramLabel = "DIR",
            description = "The migrations folder (env " + Settings.MIGRATIONS + "; default "
                    + Settings.DEFAULT_MIGRATIONS + ", or " + Settings.CLASSPATH_MIGRATIONS + " when that folder does"
                    + " not exist and a derived image put migrations on the class path).")
    String migrations;

    @Option(names = "--schema", paramLabel = "SCHEMA",
            description = "The target schema (env " + Settings.SCHEMA + "; default the URL's schema, else public).")
    String schema;

    @Option(names = "--lock-wait", paramLabel = "DURATION", converter = Durations.class,
            description = "How long to wait for another deployer's migration lock (env " + Settings.LOCK_WAIT
                    + "; default 10s).")
    Duration lockWait;

    @Option(names = "--lock-timeout", paramLabel = "DURATION", converter = Durations.class,
            description = "PostgreSQL lock_timeout for migration statements, 0 to disable (env "
                    + Settings.LOCK_TIMEOUT + "; default 3s).")
    Duration lockTimeout;

    @Option(names = "--lock-retry-budget", paramLabel = "DURATION", converter = Durations.class,
            description = "How long a migration that hit its lock timeout keeps being retried, with backoff, 0 to"
                    + " fail at the first (env " + Settings.LOCK_RETRY_BUDGET + "; default 5m).")
    Duration lockRetryBudget;

    @Option(names = "--statement-timeout", paramLabel = "DURATION", converter = Durations.class,
            description = "PostgreSQL statement_timeout for migration statements, 0 for none (env "
                    + Settings.STATEMENT_TIMEOUT + "; default none).")
    Duration statementTimeout;

    @Option(names = "--strict", negatable = true,
            description = "Refuse to deploy when an applied migration's file was modified (env " + Settings.STRICT
                    + "; default off: warn).")
    Boolean strict;

    @Option(names = "--wait-for-db", paramLabel = "DURATION", converter = Durations.class,
            description = "Keep retrying, with backoff, while the database is not reachable yet, for up to this long"
                    + " (env " + Settings.WAIT_FOR_DB + "; default 0: fail at once).")
    Duration waitForDb;

    DatabaseCommand(CliContext context) {
        super(context);
    }

    @Override
    final int run() throws Exception {
        try {
            return execute();
        } catch (TidemarkException e) {
            TidemarkException failure = e;
            Duration waited = waitForDb();
            if (e.code() == ErrorCode.DATABASE_UNREACHABLE && !waited.isZero()) {
                failure = new TidemarkException(ErrorCode.DATABASE_UNREACHABLE, "Gave up after waiting "
                        + Durations.format(waited) + " for the database to accept connections. "
                        + withoutCode(e), e);
            }
            if (jsonOutput()) {
                context.print(Json.object()
                        .field("command", spec.name())
                        .field("success", false)
                        .field("exitCode", ExitCodes.of(failure))
                        .field("error", Json.object()
                                .field("code", failure.code().id())
                                .field("name", failure.code().name())
                                .field("message", withoutCode(failure)))
                        .toString());
            }
            throw failure;
        }
    }

    abstract int execute() throws Exception;

    /** Whether results, and so errors too, are printed as JSON on standard output. */
    boolean jsonOutput() {
        return false;
    }

    /** Builds the Migrator from flags, then environment, then defaults. */
    Migrator migrator() {
        return builder().build();
    }

    /** The builder configured from flags and environment, for commands that need one more setting. */
    Migrator.Builder builder() {
        String databaseUrl = flagOrEnv(url, Settings.DATABASE_URL);
        Secrets.registerUrl(databaseUrl);
        if (databaseUrl == null) {
            throw usage("No database given. Set " + Settings.DATABASE_URL + " (for example from a Kubernetes Secret)"
                    + " or pass --url, as postgresql://USER@HOST:5432/DB?schema=public with the password after the user"
                    + " (USER:PASSWORD, percent-encoded), or jdbc:postgresql://HOST:5432/DB.");
        }
        Migrator.Builder builder = Migrator.builder()
                .url(databaseUrl)
                .location(migrationsLocation())
                .connectWait(waitForDb());
        String targetSchema = flagOrEnv(schema, Settings.SCHEMA);
        if (targetSchema != null) {
            builder.schema(targetSchema);
        }
        Duration wait = duration(lockWait, Settings.LOCK_WAIT);
        if (wait != null) {
            builder.lockWait(wait);
        }
        Duration timeout = duration(lockTimeout, Settings.LOCK_TIMEOUT);
        if (timeout != null) {
            builder.lockTimeout(timeout);
        }
        Duration retryBudget = duration(lockRetryBudget, Settings.LOCK_RETRY_BUDGET);
        if (retryBudget != null) {
            builder.lockRetryBudget(retryBudget);
        }
        Duration statement = duration(statementTimeout, Settings.STATEMENT_TIMEOUT);
        if (statement != null) {
            builder.statementTimeout(statement);
        }
        builder.strict(strict != null ? strict : bool(Settings.STRICT));
        if (log.isDebugEnabled()) {
            log.debug("Settings: url={}, migrations={}, schema={}, lockWait={}, lockTimeout={}, lockRetryBudget={},"
                    + " statementTimeout={}, strict={}, waitForDb={}", Secrets.mask(databaseUrl), migrationsLocation(),
                    targetSchema, wait, timeout, retryBudget, statement, strict, waitForDb());
        }
        return builder;
    }

    /** The masked database URL, for result output. */
    String describeDatabase() {
        return Secrets.mask(flagOrEnv(url, Settings.DATABASE_URL));
    }

    String migrationsLocation() {
        String location = flagOrEnv(migrations, Settings.MIGRATIONS);
        if (location != null) {
            return location;
        }
        if (!Files.isDirectory(Path.of(Settings.DEFAULT_MIGRATIONS))
                && Thread.currentThread().getContextClassLoader().getResource("db/migrations") != null) {
            return Settings.CLASSPATH_MIGRATIONS;
        }
        return Settings.DEFAULT_MIGRATIONS;
    }

    Duration waitForDb() {
        Duration wait = duration(waitForDb, Settings.WAIT_FOR_DB);
        return wait == null ? Duration.ZERO : wait;
    }

    private Duration duration(Duration flag, String variable) {
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

    private boolean bool(String variable) {
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

    static String withoutCode(TidemarkException e) {
        String message = e.getMessage();
        String prefix = "[" + e.code().id() + "] ";
        return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }
}
