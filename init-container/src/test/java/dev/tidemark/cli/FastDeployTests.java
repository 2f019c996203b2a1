package dev.tidemark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidemark.testdb.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@link FastDeploy} binds {@code deploy}'s command line as picocli binds it, and hands every other command line to
 * picocli, so that {@code deploy} behaves the same with or without it.
 */
class FastDeployTests {

    @TempDir
    Path tmp;

    private final InProcessCli cli = new InProcessCli();
    private final ByteArrayOutputStream out = cli.out;
    private final ByteArrayOutputStream err = cli.err;

    @Test
    void theOptionsItBindsAreDeploysOwnAllButHelpAndTheFleets() {
        Set<String> deploy = names(new CommandLine(TidemarkCli.command("deploy", context(Map.of())))
                .getCommandSpec());
        Set<String> fleet = names(CommandSpec.forAnnotatedObject(new FleetOptions()));
        Set<String> expected = new TreeSet<>(deploy);
        expected.removeAll(fleet);
        expected.remove("--help");

        assertThat(new TreeSet<>(FastDeploy.OPTIONS)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "deploy",
            "deploy --url postgresql://u:p@h/db?schema=s --migrations m --schema x --history-table h",
            "deploy --url=jdbc:postgresql://h/db --migrations=dir --wait-for-db=30s --lock-wait 2m",
            "deploy --lock-timeout 500ms --statement-timeout=PT1M --lock-retry-budget 0 --lint error",
            "deploy --strict --no-resume-interrupted --output JSON --log-format json --log-level debug",
            "deploy --no-strict --resume-interrupted --output=text --log-format=TEXT --log-level=warn",
            "deploy --url= --schema=a=b",
            "deploy --events json --events-file=ev.jsonl --warn-after 5m --metrics-file /tmp/m.prom"})
    void bindsEachOptionAsPicocliDoes(String line) {
        String[] args = line.split(" ");
        DeployCommand fast = FastDeploy.bind(context(Map.of()), args);
        DeployCommand picocli = (DeployCommand) TidemarkCli.command("deploy", context(Map.of()));
        new CommandLine(picocli).setCaseInsensitiveEnumValuesAllowed(true)
                .parseArgs(java.util.Arrays.copyOfRange(args, 1, args.length));

        assertThat(fast).isNotNull();
        assertThat(settings(fast)).isEqualTo(settings(picocli));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "deploy --help", "deploy -h", "deploy --targets t.txt", "deploy --schemas tenant_%", "deploy --bogus",
            "deploy --url a --url b", "deploy --strict --no-strict", "deploy @args.txt", "deploy --url @file",
            "deploy --lock-wait soon", "deploy --lock-wait=-1s", "deploy --url", "deploy --url --schema s",
            "deploy --strict=true", "deploy --output xml", "deploy --log-format=yaml", "deploy --no-url x",
            "deploy positional", "deploy -- --url", "status --url x", "help deploy"})
    void handsEveryOtherCommandLineToPicocli(String line) {
        assertThat(FastDeploy.bind(context(Map.of()), line.split(" "))).isNull();
    }

    @Test
    void aUsageErrorOfTheCommandItselfReadsAsPicocliReportsIt() {
        int exit = TidemarkCli.run(context(Map.of(Settings.MIGRATIONS, tmp.toString())), "deploy", "--lock-wait",
                "5s");

        assertThat(exit).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("Error: No database given.")
                .contains("Run 'tidemark deploy --help' for usage.");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void deploysAndReportsFailuresWithTheCommandsName() {
        try (TestDatabase db = TestDatabase.create(getClass())) {
            Path migrations = Fixtures.migrations(tmp.resolve("migrations"));
            Map<String, String> env = Map.of(Settings.DATABASE_URL, db.postgresUrl());
            assertThat(FastDeploy.bind(context(env), new String[] {"deploy", "--migrations", migrations.toString()}))
                    .isNotNull();

            assertThat(TidemarkCli.run(context(env), "deploy", "--migrations", migrations.toString(), "--output",
                    "json")).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"command\":\"deploy\"", "\"success\":true",
                    Fixtures.INDEX_TAGS);

            out.reset();
            Fixtures.write(migrations, "20250109000000_broken/migration.sql", "CREATE TABLE notes (id int);\n");
            int exit = TidemarkCli.run(context(env), "deploy", "--migrations=" + migrations, "--output=json");
            assertThat(exit).isEqualTo(ExitCodes.FAILURE);
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"command\":\"deploy\"", "\"success\":false",
                    "20250109000000_broken");
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("20250109000000_broken");
        }
    }

    private static Set<String> names(CommandSpec spec) {
        return spec.options().stream().map(OptionSpec::longestName).collect(Collectors.toCollection(TreeSet::new));
    }

    /** Every field that deploy's options set, by option. */
    private static Map<String, Object> settings(DeployCommand c) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("--url", c.url);
        s.put("--schema", c.schema);
        s.put("--history-table", c.historyTable);
        s.put("--migrations", c.migrations.migrations);
        s.put("--wait-for-db", c.waitForDb);
        s.put("--lock-wait", c.lockWait.lockWait);
        s.put("--lock-timeout", c.timeouts.lockTimeout);
        s.put("--statement-timeout", c.timeouts.statementTimeout);
        s.put("--lock-retry-budget", c.timeouts.lockRetryBudget);
        s.put("--lint", c.lint);
        s.put("--log-format", c.logging.logFormat);
        s.put("--log-level", c.logging.logLevel);
        s.put("--output", c.output.output);
        s.put("--strict", c.strict);
        s.put("--resume-interrupted", c.resumeInterrupted);
        s.put("--events", c.observability.events);
        s.put("--events-file", c.observability.eventsFile);
        s.put("--warn-after", c.observability.warnAfter);
        s.put("--metrics-file", c.observability.metricsFile);
        s.put("fleet", c.fleet.active());
        return s;
    }

    private CliContext context(Map<String, String> env) {
        return cli.context(new HashMap<>(env), Clock.systemUTC());
    }
}
