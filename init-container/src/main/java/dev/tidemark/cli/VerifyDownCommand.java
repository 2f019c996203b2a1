package dev.tidemark.cli;

import dev.tidemark.DownVerification;
import dev.tidemark.DownVerification.Check;
import dev.tidemark.DownVerification.Outcome;
import dev.tidemark.TidemarkException;
import dev.tidemark.VerifyDownRequest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "verify-down", description = {
        "Checks down.sql scripts on a temporary shadow database (on the server of DATABASE_URL, or"
                + " --shadow-database-url): the migrations are applied in order, and for each one checked, up, then"
                + " down (the schema must equal the one before up, compared as drift compares), then up again (it"
                + " must equal the one after the first up).",
        "Prints per migration: reversible, leaves differences (listed), or fails (file:line).",
        "Exit codes, as diff: 0 every one reversible, 2 one leaves differences, 1 one fails, or any error."})
final class VerifyDownCommand extends DatabaseCommand {

    @Parameters(paramLabel = "NAME", arity = "0..*",
            description = "The migrations to check (default: every migration that has a down.sql, or with"
                    + " --pending the pending ones).")
    List<String> names = new ArrayList<>();

    @Option(names = "--pending",
            description = "Check only the migrations DATABASE_URL has pending (never applied, or rolled back) that"
                    + " have a down.sql. Reads its history, writes nothing to it; the round trips still run on the"
                    + " shadow database. Not with NAME.")
    boolean pending;

    @Option(names = "--seed", paramLabel = "FILE",
            description = "A SQL file of rows, inserted once right after the first checked migration's up and kept"
                    + " through the round trips, so that a down.sql failing on data (NOT NULL restored over NULLs) is"
                    + " caught.")
    Path seed;

    @Option(names = "--shadow-database-url", paramLabel = "URL",
            description = "An empty database to run in instead of a temporary one (env "
                    + Settings.SHADOW_DATABASE_URL + ").")
    String shadowDatabaseUrl;

    VerifyDownCommand(CliContext context) {
        super(context);
    }

    @Override
    int execute() {
        if (seed != null && !Files.isRegularFile(seed)) {
            throw usage("--seed " + seed + " is not a file. Give a SQL file of INSERT statements.");
        }
        if (pending && !names.isEmpty()) {
            throw usage("Give migration names or --pending, not both.");
        }
        VerifyDownRequest request = new VerifyDownRequest(names, seed, null, pending);
        String shadow = flagOrEnv(shadowDatabaseUrl, Settings.SHADOW_DATABASE_URL);
        if (shadow != null) {
            Secrets.registerUrl(shadow);
            request = request.withShadowDatabase(shadow);
        }
        DownVerification result;
        try {
            result = migrator().verifyDown(request);
        } catch (TidemarkException e) {
            // as diff: 2 means "leaves differences", so every error is 1
            throw new CliFailure(ExitCodes.FAILURE, e.getMessage());
        }
        if (result.checks().isEmpty()) {
            context.print(pending ? "No pending migration in " + migrationsLocation() + " has a down.sql: nothing to"
                    + " check." : "No migration in " + migrationsLocation() + " has a down.sql: nothing to check.");
            return ExitCodes.SUCCESS;
        }
        StringBuilder out = new StringBuilder();
        for (Check check : result.checks()) {
            out.append(check.migration()).append(": ");
            switch (check.outcome()) {
                case REVERSIBLE -> out.append("reversible\n");
                case LEAVES_DIFFERENCES -> {
                    out.append("leaves differences\n");
                    check.differences().forEach(d -> out.append("    ").append(d).append('\n'));
                }
                case FAILS -> out.append("fails: ").append(check.error()).append('\n');
                default -> throw new IllegalStateException(check.outcome().name());
            }
        }
        out.append('\n').append(result.checks().size()).append(" migration(s) checked: ")
                .append(result.count(Outcome.REVERSIBLE)).append(" reversible, ")
                .append(result.count(Outcome.LEAVES_DIFFERENCES)).append(" leave(s) differences, ")
                .append(result.count(Outcome.FAILS)).append(" fail(s).");
        context.print(out.toString());
        if (result.count(Outcome.FAILS) > 0) {
            return ExitCodes.FAILURE;
        }
        return result.count(Outcome.LEAVES_DIFFERENCES) > 0 ? SchemaDiffCommand.DIFFERENCE : ExitCodes.SUCCESS;
    }
}
