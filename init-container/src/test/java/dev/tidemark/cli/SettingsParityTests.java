package dev.tidemark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidemark.Migrator;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every setting of {@link Migrator.Builder} can be given on the command line, and the defaults the help states are
 * the builder's. A new builder setting fails this test until it has an option (or a reason not to).
 */
class SettingsParityTests {

    /** Builder setting → the CLI option that sets it. */
    private static final Map<String, String> OPTIONS = Map.ofEntries(
            Map.entry("url", "--url"),
            Map.entry("location", "--migrations"),
            Map.entry("schema", "--schema"),
            Map.entry("historyTable", "--history-table"),
            Map.entry("lockWait", "--lock-wait"),
            Map.entry("connectWait", "--wait-for-db"),
            Map.entry("strict", "--strict"),
            Map.entry("lockTimeout", "--lock-timeout"),
            Map.entry("statementTimeout", "--statement-timeout"),
            Map.entry("lockRetryBudget", "--lock-retry-budget"),
            Map.entry("resumeInterrupted", "--resume-interrupted"),
            Map.entry("seed", "--seed"),
            Map.entry("downLocation", "--down-dir"),
            Map.entry("lint", "--lint"),
            Map.entry("slowMigrationWarning", "--warn-after"));

    /** Builder settings with no option, and why. */
    private static final Map<String, String> WITHOUT_OPTION = Map.of(
            "user", "the CLI takes credentials in the URL (DATABASE_URL), where a Secret puts them",
            "password", "the CLI takes credentials in the URL (DATABASE_URL), never as a flag in the process list",
            "dataSource", "a Java object: there is no DataSource on a command line",
            "classLoader", "a Java object; classpath: locations use the CLI's own class path",
            "listener", "a Java object; --events json and --metrics-file install the CLI's own listeners",
            "allowReset", "on purpose only the environment variable " + Settings.ALLOW_RESET + ", with reset --force");

    private static final Pattern STATED_DEFAULT = Pattern.compile("default ([0-9]+(?:ms|s|m|h))\\)");

    @Test
    void everyBuilderSettingHasAnOptionOrAReason() {
        Set<String> settings = Arrays.stream(Migrator.Builder.class.getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers()) && m.getReturnType() == Migrator.Builder.class)
                .map(Method::getName)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> covered = new HashSet<>(OPTIONS.keySet());
        covered.addAll(WITHOUT_OPTION.keySet());
        assertThat(covered).as("builder settings with an option or a reason").isEqualTo(settings);

        Set<String> options = allOptions().keySet();
        assertThat(options).as("CLI options").containsAll(OPTIONS.values());
    }

    @Test
    void theDefaultsTheHelpStatesAreTheBuilders() {
        Map<String, Duration> builderDefaults = Map.of(
                "--lock-wait", Migrator.Builder.DEFAULT_LOCK_WAIT,
                "--lock-timeout", Migrator.Builder.DEFAULT_LOCK_TIMEOUT,
                "--lock-retry-budget", Migrator.Builder.DEFAULT_LOCK_RETRY_BUDGET);
        Map<String, OptionSpec> options = allOptions();
        builderDefaults.forEach((name, value) -> {
            Matcher stated = STATED_DEFAULT.matcher(String.join(" ", options.get(name).description()));
            assertThat(stated.find()).as(name + " states its default").isTrue();
            assertThat(new Durations().convert(stated.group(1))).as(name).isEqualTo(value);
        });
        assertThat(String.join(" ", options.get("--history-table").description()))
                .contains("default " + Migrator.Builder.DEFAULT_HISTORY_TABLE + ",");
    }

    /** The options of every command, by their longest name. */
    private static Map<String, OptionSpec> allOptions() {
        CliContext context = new CliContext(Map.of(), System.out, System.err, Clock.systemUTC());
        Map<String, OptionSpec> options = new java.util.HashMap<>();
        for (String command : java.util.List.of("deploy", "status", "resolve", "rollback", "create", "diff", "drift",
                "reset", "seed", "push", "import", "lint")) {
            for (OptionSpec option : new CommandLine(TidemarkCli.command(command, context)).getCommandSpec()
                    .options()) {
                options.putIfAbsent(option.longestName(), option);
            }
        }
        return options;
    }
}
