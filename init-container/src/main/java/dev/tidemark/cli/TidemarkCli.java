package dev.tidemark.cli;

import dev.tidemark.TidemarkException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * The {@code tidemark} command: the entrypoint of the image and of {@code java -jar tidemark.jar}.
 *
 * <p>Results go to standard output, logs and errors to standard error, and the exit code says what happened
 * ({@link ExitCodes}).
 */
@Command(name = "tidemark",
        mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = "PostgreSQL schema migrations on Prisma Migrate's formats (migrations/<name>/migration.sql,"
                + " the _prisma_migrations table).",
        synopsisSubcommandLabel = "COMMAND",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:success",
                "1:failure (a migration failed, a failed migration blocks deploys, a malformed folder, ...);"
                        + " every error of diff, drift and verify-down, as Prisma's migrate diff; verify-down: a"
                        + " down.sql fails",
                "2:usage error: bad option, missing DATABASE_URL, invalid URL, reset or push without consent;"
                        + " diff/drift --exit-code: the schemas differ; verify-down: a down.sql leaves differences;"
                        + " lint: findings at or above --fail-on; deploy --lint=error: refused by lint",
                "3:status --exit-code: migrations are pending or failed",
                "4:lock timeout: another deployer held the migration lock longer than --lock-wait",
                "5:database unreachable (after --wait-for-db, if given)"},
        footerHeading = "%nEnvironment (flags win):%n",
        footer = {
                "  " + Settings.DATABASE_URL + "         postgresql://USER:PASSWORD@HOST:5432/DB?schema=public",
                "                       or jdbc:postgresql://HOST:5432/DB",
                "  " + Settings.MIGRATIONS + "  the migrations folder (default ./" + Settings.PRISMA_MIGRATIONS
                        + " if it exists, else ./" + Settings.PLAIN_MIGRATIONS + "; in the image "
                        + Settings.IMAGE_MIGRATIONS + ")",
                "  " + Settings.SCHEMA + ", " + Settings.LOCK_WAIT + ", " + Settings.LOCK_TIMEOUT + ",",
                "  " + Settings.LOCK_RETRY_BUDGET + ",",
                "  " + Settings.STATEMENT_TIMEOUT + ", " + Settings.STRICT + ", " + Settings.WAIT_FOR_DB + ",",
                "  " + Settings.LINT + ", " + Settings.EVENTS + ", " + Settings.EVENTS_FILE + ", " + Settings.WARN_AFTER
                        + ",",
                "  " + Settings.METRICS_FILE + ",",
                "  " + Settings.LOG_FORMAT + ", " + Settings.LOG_LEVEL + ", " + Settings.ALLOW_RESET + ", " + Settings.SEED,
                "",
                "Run 'tidemark help COMMAND' for a command's options. The URL's password is never printed."})
public final class TidemarkCli implements Runnable {

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(CliContext.system(), args));
    }

    /** Runs one command line and returns its exit code; does not exit. */
    public static int run(CliContext context, String... args) {
        // every pod start runs 'deploy': it skips picocli's start-up when its command line is one FastDeploy binds
        Integer fast = FastDeploy.run(context, args);
        if (fast != null) {
            return fast;
        }
        CommandLine commandLine = new CommandLine(new TidemarkCli());
        // picocli reads every registered command's annotations up front, which is most of its start-up cost; a
        // command line naming a command needs only that one (help, errors and the bare root need them all).
        boolean named = args.length > 0 && !args[0].equals("help") && COMMANDS.contains(args[0]);
        for (String name : named ? List.of(args[0]) : COMMANDS) {
            commandLine.addSubcommand(command(name, context));
        }
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setOut(new PrintWriter(context.out(), true));
        commandLine.setErr(new PrintWriter(context.err(), true));
        commandLine.setParameterExceptionHandler(TidemarkCli::usageError);
        commandLine.setExecutionExceptionHandler(TidemarkCli::failed);
        return commandLine.execute(args);
    }

    private static final List<String> COMMANDS =
            List.of("deploy", "status", "plan", "lint", "resolve", "rollback", "create", "diff", "drift",
                    "create-down", "verify-down", "reset", "seed", "push", "import", "version", "help");

    // A switch rather than a map of lambdas: the AOT cache's training run crashes Temurin 25.0.3 on a lambda
    // creating picocli's pre-Java-6 HelpCommand.
    static Object command(String name, CliContext context) {
        return switch (name) {
            case "deploy" -> new DeployCommand(context);
            case "status" -> new StatusCommand(context);
            case "plan" -> new PlanCommand(context);
            case "resolve" -> new ResolveCommand(context);
            case "rollback" -> new RollbackCommand(context);
            case "create" -> new CreateCommand(context);
            case "diff" -> new DiffCommand(context);
            case "drift" -> new DriftCommand(context);
            case "create-down" -> new CreateDownCommand(context);
            case "verify-down" -> new VerifyDownCommand(context);
            case "reset" -> new ResetCommand(context);
            case "seed" -> new SeedCommand(context);
            case "push" -> new PushCommand(context);
            case "import" -> new ImportCommand(context);
            case "lint" -> new LintCommand(context);
            case "version" -> new VersionCommand(context);
            case "help" -> new CommandLine.HelpCommand();
            default -> throw new IllegalArgumentException(name);
        };
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing a command: deploy, status, plan, lint, resolve,"
                + " rollback, create, diff, drift, create-down, verify-down, reset, seed, push, import, version or"
                + " help.");
    }

    private static int usageError(ParameterException e, String[] args) {
        PrintWriter err = e.getCommandLine().getErr();
        String message = e.getMessage().startsWith("Error: ") ? e.getMessage().substring(7) : e.getMessage();
        err.println("Error: " + Secrets.mask(message));
        err.println("Run '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage.");
        err.flush();
        // diff, drift and verify-down keep Prisma's migrate diff codes, where 2 means "the schemas differ";
        // lint keeps 2 for "findings at or above --fail-on"
        Object command = e.getCommandLine().getCommandSpec().userObject();
        return command instanceof SchemaDiffCommand || command instanceof VerifyDownCommand
                || command instanceof LintCommand ? ExitCodes.FAILURE
                : ExitCodes.USAGE;
    }

    private static int failed(Exception e, CommandLine commandLine, ParseResult parseResult) {
        return failed(e, commandLine.getCommandSpec().userObject());
    }

    /** Logs what made {@code command} fail and returns the exit code that says so. */
    static int failed(Exception e, Object command) {
        Logger log = LoggerFactory.getLogger("dev.tidemark.cli");
        if (e instanceof TidemarkException failure) {
            log.error(failure.getMessage(), log.isDebugEnabled() ? failure : null);
            // lint: 0 clean, 2 findings, 1 every error
            return command instanceof LintCommand ? ExitCodes.FAILURE
                    : ExitCodes.of(failure);
        }
        if (e instanceof CliFailure failure) {
            log.error(failure.getMessage());
            return failure.exitCode();
        }
        log.error("Unexpected error: " + e, e);
        return ExitCodes.FAILURE;
    }
}
