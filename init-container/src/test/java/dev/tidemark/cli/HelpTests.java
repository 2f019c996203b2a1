package dev.tidemark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** {@code --help} of every command: whole sentences, and only the options the command reads. */
class HelpTests {

    private static final List<String> COMMANDS =
            List.of("deploy", "status", "plan", "lint", "resolve", "rollback", "create", "diff", "drift",
                    "create-down", "verify-down", "reset", "seed", "push", "import", "version");

    private static final Pattern OPTION = Pattern.compile("^\\s+(?:-\\w, )?(--(?:\\[no-])?[a-z-]+)", Pattern.MULTILINE);

    @Test
    void theCommandListShowsEachCommandsSummaryAsAWholeSentence() {
        String help = help("--help");
        String commands = help.substring(help.indexOf("Commands:\n") + 10, help.indexOf("\n\n"));

        List<String> entries = new ArrayList<>();
        for (String line : commands.split("\n")) {
            if (line.startsWith("  ") && !line.startsWith("   ")) {
                entries.add(line.strip());
            } else {
                entries.set(entries.size() - 1, entries.get(entries.size() - 1) + " " + line.strip());
            }
        }
        assertThat(entries).hasSize(COMMANDS.size() + 1).allSatisfy(entry -> assertThat(entry).endsWith("."));
    }

    @Test
    void everyCommandHasHelpWhoseParagraphsAndOptionsAreWholeSentences() {
        CliContext context = new CliContext(Map.of(), System.out, System.err, Clock.systemUTC());
        for (String command : COMMANDS) {
            assertThat(help(command, "--help")).as(command).startsWith("Usage: tidemark " + command);
            CommandSpec spec = new CommandLine(TidemarkCli.command(command, context)).getCommandSpec();
            // each element is a paragraph of its own in --help, and the first one is the summary in the command list
            assertThat(spec.usageMessage().description()).as(command).allSatisfy(paragraph ->
                    assertThat(paragraph).endsWith("."));
            for (OptionSpec option : spec.options()) {
                assertThat(option.description()).as(command + " " + option.longestName()).isNotEmpty()
                        .allSatisfy(text -> assertThat(text).endsWith("."));
            }
        }
    }

    @Test
    void statusHelpListsOnlyTheOptionsStatusReads() {
        assertThat(options(help("status", "--help"))).containsExactlyInAnyOrder("--exit-code", "--help",
                "--history-table", "--log-format", "--log-level", "--migrations", "--output", "--schema",
                "--[no-]strict", "--url", "--wait-for-db",
                // the fleet options: status runs on a fleet too
                "--targets", "--targets-query", "--schemas", "--parallel", "--fail-fast", "--canary", "--shards");
        assertThat(options(help("resolve", "--help"))).doesNotContain("--lock-timeout", "--statement-timeout",
                "--strict", "--[no-]strict", "--output").contains("--lock-wait");
        assertThat(options(help("deploy", "--help"))).contains("--lock-wait", "--lock-timeout",
                "--statement-timeout", "--[no-]strict", "--output");
        assertThat(options(help("diff", "--help"))).doesNotContain("--lock-wait", "--lock-timeout",
                "--[no-]strict", "--output");
        assertThat(options(help("version", "--help"))).containsExactlyInAnyOrder("--help", "--log-format",
                "--log-level");
    }

    private static List<String> options(String help) {
        List<String> names = new ArrayList<>();
        Matcher matcher = OPTION.matcher(help.substring(help.indexOf("\n  ")));
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    private static String help(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = TidemarkCli.run(new CliContext(Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Clock.systemUTC()), args);
        assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
        return out.toString(StandardCharsets.UTF_8).replace("\r\n", "\n");
    }
}
