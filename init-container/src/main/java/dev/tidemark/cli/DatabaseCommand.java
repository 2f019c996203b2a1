package dev.tidemark.cli;

import dev.tidemark.ErrorCode;
import dev.tidemark.MigrationFailedException;
import dev.tidemark.Migrator;
import dev.tidemark.TidemarkException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * A command that talks to the database: the connection options and the migrations folder, and the {@link Migrator}
 * they make. Subclasses add the option groups they use ({@link Options}) in {@link #configure}.
 */
abstract class DatabaseCommand extends BaseCommand {

    private static final Logger log = LoggerFactory.getLogger("dev.tidemark.cli");

    @Option(names = "--url", paramLabel = "URL",
            description = "The database, as postgresql://USER:PASSWORD@HOST/DB?schema=S (percent-encoded; the port"
                    + " defaults to 5432) or jdbc:postgresql://HOST/DB (env " + Settings.DATABASE_URL + ").")
    String url;

    @Option(names = "--schema", paramLabel = "SCHEMA",
            description = "The target schema (env " + Settings.SCHEMA + "; default the URL's schema, else public).")
    String schema;

    @Option(names = "--history-table", paramLabel = "NAME",
            description = "The history table, in the target schema (env " + Settings.HISTORY_TABLE
                    + "; default _prisma_migrations, shared with Prisma Migrate).")
    String historyTable;

    @Mixin
    Options.Migrations migrations;

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
            if (e.code() == ErrorCode.MIGRATIONS_NOT_FOUND) {
                failure = new TidemarkException(ErrorCode.MIGRATIONS_NOT_FOUND, withoutCode(e) + " Tell tidemark"
                        + " where it is with --migrations DIR or " + Settings.MIGRATIONS + "=DIR"
                        + (migrations.defaulted(this) ? "; with neither, it uses ./" + Settings.PRISMA_MIGRATIONS
                                + " if that exists, else ./" + Settings.PLAIN_MIGRATIONS + ", in the working directory ("
                                + Path.of("").toAbsolutePath() + ")." : "."), e);
            }
            Duration waited = waitForDb();
            if (e.code() == ErrorCode.DATABASE_UNREACHABLE && !waited.isZero()) {
                failure = new TidemarkException(ErrorCode.DATABASE_UNREACHABLE, "Gave up after waiting "
                        + Durations.format(waited) + " for the database to accept connections. "
                        + withoutCode(e), e);
            } else if (e.code() == ErrorCode.DATABASE_UNREACHABLE) {
                failure = withSetting(e, "The wait is --wait-for-db or " + Settings.WAIT_FOR_DB + ".");
            }
            if (e.code() == ErrorCode.LOCK_TIMEOUT) {
                failure = withSetting(e, "The lock wait is --lock-wait or " + Settings.LOCK_WAIT + ".");
            }
            if (e instanceof MigrationFailedException f && "55P03".equals(f.sqlState())
                    && e.getMessage().contains("lock retry budget")) {
                failure = withSetting(e, "The lock retry budget is --lock-retry-budget or "
                        + Settings.LOCK_RETRY_BUDGET + ".");
            }
            if (e instanceof MigrationFailedException f && "57014".equals(f.sqlState())
                    && e.getMessage().contains("statement timeout")) {
                failure = withSetting(e, "The statement timeout is --statement-timeout or "
                        + Settings.STATEMENT_TIMEOUT + ".");
            }
            failure = CoreWords.explain(failure);
            if (jsonOutput()) {
                context.print(Json.object()
                        .field("command", commandName())
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
        String table = flagOrEnv(historyTable, Settings.HISTORY_TABLE);
        if (table != null) {
            builder.historyTable(table);
        }
        configure(builder);
        if (log.isDebugEnabled()) {
            log.debug("Settings: url={}, migrations={}, schema={}, waitForDb={}", Secrets.mask(databaseUrl),
                    migrationsLocation(), targetSchema, waitForDb());
        }
        return builder;
    }

    /** Applies the command's own option groups (lock wait, timeouts, strict mode) to the builder. */
    void configure(Migrator.Builder builder) {
    }

    /** The masked database URL, for result output. */
    String describeDatabase() {
        return Secrets.mask(flagOrEnv(url, Settings.DATABASE_URL));
    }

    String migrationsLocation() {
        return migrations.location(this, true);
    }

    Duration waitForDb() {
        Duration wait = duration(waitForDb, Settings.WAIT_FOR_DB);
        return wait == null ? Duration.ZERO : wait;
    }

    /** The core's message, which names settings in neutral words, with the flag and variable of the CLI. */
    private static TidemarkException withSetting(TidemarkException e, String setting) {
        return new TidemarkException(e.code(), withoutCode(e) + " " + setting, e);
    }

    static String withoutCode(TidemarkException e) {
        return withoutCode(e.getMessage(), e.code());
    }

    /** A core message without its leading {@code [TMxxxx]}. */
    static String withoutCode(String message, ErrorCode code) {
        String prefix = "[" + code.id() + "] ";
        return message != null && message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }
}
