package dev.tidemark.maven;

import dev.tidemark.DownVerification;
import dev.tidemark.DownVerification.Check;
import dev.tidemark.DownVerification.Outcome;
import dev.tidemark.VerifyDownRequest;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Checks down.sql scripts on a temporary shadow database (the CLI's {@code tidemark verify-down}): the migrations are
 * applied in order and, for each one checked, up, then down (the schema must equal the one before up, as drift
 * compares), then up again (it must equal the one after the first up). Fails the build when a down script leaves
 * differences or fails. Writes nothing to the database of {@code url}. Bound to {@code verify} by default.
 */
@Mojo(name = "verify-down", defaultPhase = LifecyclePhase.VERIFY, requiresProject = false, threadSafe = true)
public class VerifyDownMojo extends TidemarkMojo {

    /** The migrations to check, by directory name, comma-separated (default: every migration with a down.sql). */
    @Parameter(property = "tidemark.migrations")
    String migrations;

    /**
     * A SQL file of rows (relative to the base directory), inserted once right after the first checked migration's
     * up and kept through the round trips, so that a down.sql failing on data is caught. Not the {@code seed} file,
     * which fits the last migration's schema.
     */
    @Parameter(property = "tidemark.verifySeed")
    String verifySeed;

    /** An empty database to run in instead of a temporary one on the server of {@code url}. */
    @Parameter(property = "tidemark.shadowDatabaseUrl")
    String shadowDatabaseUrl;

    @Override
    String goal() {
        return "verify-down";
    }

    @Override
    void run() throws MojoExecutionException, MojoFailureException {
        List<String> names = migrations == null || migrations.isBlank() ? List.of()
                : Arrays.stream(migrations.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        VerifyDownRequest request = new VerifyDownRequest(names, null, null);
        if (verifySeed != null && !verifySeed.isBlank()) {
            Path file = projectPath(verifySeed);
            if (!Files.isRegularFile(file)) {
                throw new MojoExecutionException("verifySeed " + file + " is not a file. Give a SQL file of INSERT"
                        + " statements, relative to the project's base directory.");
            }
            request = request.withSeed(file);
        }
        if (shadowDatabaseUrl != null && !shadowDatabaseUrl.isBlank()) {
            request = request.withShadowDatabase(shadowDatabaseUrl);
        }
        DownVerification result = builder().build().verifyDown(request);
        if (result.checks().isEmpty()) {
            info("No migration in " + location + " has a down.sql: nothing to check.");
            return;
        }
        StringBuilder text = new StringBuilder();
        for (Check check : result.checks()) {
            text.append(check.migration()).append(": ");
            switch (check.outcome()) {
                case REVERSIBLE -> text.append("reversible\n");
                case LEAVES_DIFFERENCES -> {
                    text.append("leaves differences\n");
                    check.differences().forEach(d -> text.append("    ").append(d).append('\n'));
                }
                case FAILS -> text.append("fails: ").append(check.error()).append('\n');
                default -> throw new IllegalStateException(check.outcome().name());
            }
        }
        text.append(result.checks().size()).append(" migration(s) checked: ")
                .append(result.count(Outcome.REVERSIBLE)).append(" reversible, ")
                .append(result.count(Outcome.LEAVES_DIFFERENCES)).append(" leave(s) differences, ")
                .append(result.count(Outcome.FAILS)).append(" fail(s).");
        if (result.allReversible()) {
            info(text.toString());
            return;
        }
        throw new MojoFailureException(mask(text + "\nFix each down.sql listed above so that it undoes its"
                + " migration.sql exactly, then run mvn tidemark:verify-down again."));
    }
}
