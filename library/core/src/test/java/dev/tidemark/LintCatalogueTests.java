package dev.tidemark;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The lint catalogue ({@code src/test/resources/lint-catalogue}): each {@code .sql} file, and each folder of
 * migrations, is linted with every rule on. A line that a rule must flag ends with {@code -- flag: RULE-ID}; the
 * findings must be exactly those (rule and line). A near-miss file says {@code -- near-miss: RULE-ID,...} on its first
 * line: the statements a rule must not flag (an index on a table created in the same file, a binary-coercible type
 * change, a suppressed statement, ...).
 */
class LintCatalogueTests {

    private static final Pattern FLAG = Pattern.compile("-- flag: ([a-z0-9,-]+)\\s*$");
    private static final Pattern NEAR_MISS = Pattern.compile("^-- near-miss: ([a-z0-9,-]+)\\s*$");

    private static final Lint ALL_RULES = Lint.builder()
            .enable(Lint.rules().stream().map(LintRule::id).toArray(String[]::new)).build();

    @TestFactory
    Stream<DynamicTest> eachCaseIsFlaggedExactlyOnItsMarkedLines() throws IOException {
        return cases().map(entry -> DynamicTest.dynamicTest(entry.getFileName().toString(), () -> {
            LintReport report = ALL_RULES.lint(List.of(entry));
            Set<String> actual = new TreeSet<>();
            for (LintFinding f : report.findings()) {
                actual.add(relative(entry, Path.of(f.file())) + ":" + f.line() + " " + f.ruleId());
                assertThat(f.message()).isNotBlank();
                assertThat(f.safeForm()).isNotBlank();
                assertThat(f.column()).isPositive();
            }
            assertThat(actual).as("findings of " + entry.getFileName()).isEqualTo(expected(entry));
        }));
    }

    @Test
    void everyRuleHasAFlaggedCaseAndANearMiss() throws IOException {
        Set<String> flagged = new HashSet<>();
        Set<String> nearMissed = new HashSet<>();
        for (Path file : sqlFiles()) {
            List<String> lines = Files.readAllLines(file);
            for (String line : lines) {
                Matcher m = FLAG.matcher(line);
                if (m.find()) {
                    flagged.addAll(List.of(m.group(1).split(",")));
                }
            }
            Matcher near = NEAR_MISS.matcher(lines.isEmpty() ? "" : lines.get(0));
            if (near.matches()) {
                nearMissed.addAll(List.of(near.group(1).split(",")));
            }
        }
        Set<String> ids = new TreeSet<>();
        Lint.rules().forEach(r -> ids.add(r.id()));
        assertThat(flagged).as("rules with a file they must flag").containsAll(ids);
        assertThat(nearMissed).as("rules with a near-miss they must not flag").containsAll(ids);
        assertThat(sqlFiles()).as("catalogue files").hasSizeGreaterThanOrEqualTo(40);
    }

    @Test
    void aNearMissIsFlaggedByNoneOfItsRules() throws IOException {
        for (Path file : sqlFiles()) {
            List<String> lines = Files.readAllLines(file);
            Matcher near = NEAR_MISS.matcher(lines.isEmpty() ? "" : lines.get(0));
            if (!near.matches()) {
                continue;
            }
            Path entry = root().resolve(root().relativize(file).getName(0));
            Set<String> rules = Set.of(near.group(1).split(","));
            List<LintFinding> findings = ALL_RULES.lint(List.of(entry)).findings().stream()
                    .filter(f -> Path.of(f.file()).equals(file) && rules.contains(f.ruleId())).toList();
            assertThat(findings).as(root().relativize(file).toString()).isEmpty();
        }
    }

    @Test
    void suppressionsAreCounted() throws IOException {
        LintReport report = ALL_RULES.lint(List.of(root().resolve("suppressed-whole-file-ok.sql")));
        assertThat(report.findings()).isEmpty();
        assertThat(report.suppressed()).isEqualTo(3);
        assertThat(report.statements()).isEqualTo(3);
    }

    @Test
    void anUnknownRuleInASuppressionIsAnErrorNamingFileAndLine() throws Exception {
        Path file = Path.of(LintCatalogueTests.class.getResource("/lint-invalid/unknown-rule.sql").toURI());
        assertThatThrownBy(() -> Lint.defaults().lint(List.of(file)))
                .isInstanceOfSatisfying(TidemarkException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.LINT_IGNORE_INVALID);
                    assertThat(e.getMessage()).contains(file + ":3: ").contains("'no-such-rule'");
                });
    }

    @Test
    void optionsNamingUnknownRulesAreRefused() {
        assertThatThrownBy(() -> Lint.builder().enable("no-such-rule").build())
                .isInstanceOfSatisfying(TidemarkException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION_INVALID));
    }

    @Test
    void hygieneRulesAreOffByDefaultAndTheOthersOn() {
        LintReport report = Lint.defaults().lint(List.of(root().resolve("varchar-flag.sql")));
        assertThat(report.findings()).isEmpty();
        Map<String, Boolean> defaults = new HashMap<>();
        Lint.rules().forEach(r -> defaults.put(r.id(), r.onByDefault()));
        assertThat(defaults).containsEntry("varchar-length", false).containsEntry("int-primary-key", false)
                .containsEntry("timestamp-without-time-zone", false).containsEntry("missing-down-script", false)
                .containsEntry("identifier-too-long", true)
                .containsEntry("create-index-not-concurrent", true);
        assertThat(Lint.defaults().ruleIds()).hasSize(Lint.rules().size() - 4);
    }

    @Test
    void aMigrationFileNamedOnItsOwnIsFlaggedOnlyWithoutADownScriptBesideIt() {
        Path folder = root().resolve("missing-down-script-flag");
        Lint rule = Lint.builder().enable("missing-down-script").build();
        assertThat(rule.lint(List.of(folder.resolve("20240102000000_add_note/migration.sql"))).findings())
                .extracting(f -> f.ruleId() + "@" + f.line() + ":" + f.column())
                .containsExactly("missing-down-script@1:1");
        assertThat(rule.lint(List.of(folder.resolve("20240101000000_init/migration.sql"))).findings()).isEmpty();
        assertThat(rule.lint(List.of(root().resolve("varchar-flag.sql"))).findings())
                .as("a loose .sql file is no migration").noneMatch(f -> f.ruleId().equals("missing-down-script"));
        assertThat(Lint.defaults().lint(List.of(folder)).findings()).as("off by default").isEmpty();
    }

    @Test
    void aMigrationFileIsLintedWithTheStateOfTheEarlierMigrationsOfItsFolder() {
        Path change = root().resolve("type-change-coercible-ok/20240102000000_widen/migration.sql");
        LintReport report = Lint.defaults().lint(List.of(change));
        assertThat(report.migrations()).containsExactly("20240102000000_widen");
        assertThat(report.findings()).isEmpty();
    }

    @Test
    void thePgVersionDecidesWhetherAConstantDefaultRewrites(@org.junit.jupiter.api.io.TempDir Path tmp)
            throws IOException {
        Path file = Files.writeString(tmp.resolve("add.sql"), "ALTER TABLE t ADD COLUMN c text DEFAULT 'x';\n");
        assertThat(Lint.builder().pgVersion(10).build().lint(List.of(file)).findings())
                .extracting(f -> f.ruleId() + "@" + f.line()).containsExactly("add-column-volatile-default@1");
        LintReport current = Lint.defaults().lint(List.of(file));
        assertThat(current.findings()).isEmpty();
        assertThat(current.pgVersion()).isEqualTo(Lint.DEFAULT_PG_VERSION);
    }

    private static Set<String> expected(Path entry) {
        Set<String> expected = new TreeSet<>();
        for (Path file : Files.isDirectory(entry) ? walk(entry) : List.of(entry)) {
            try {
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    Matcher m = FLAG.matcher(lines.get(i));
                    if (m.find()) {
                        for (String rule : m.group(1).split(",")) {
                            expected.add(relative(entry, file) + ":" + (i + 1) + " " + rule);
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return expected;
    }

    private static String relative(Path entry, Path file) {
        return Files.isDirectory(entry) ? entry.relativize(file).toString() : file.getFileName().toString();
    }

    private static Stream<Path> cases() throws IOException {
        try (Stream<Path> children = Files.list(root())) {
            return children.sorted().toList().stream();
        }
    }

    private static List<Path> sqlFiles() {
        return walk(root());
    }

    private static List<Path> walk(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.toString().endsWith(".sql")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path root() {
        try {
            return Path.of(LintCatalogueTests.class.getResource("/lint-catalogue").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
