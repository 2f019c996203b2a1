package dev.tidemark;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Lints the real histories (documenso, umami: skipped with the reason when absent, see {@link Corpus}) and the
 * project's own (harbor) without an error, with the default rules and with every rule, and prints the findings per
 * rule (the README's worked example).
 */
class CorpusLintTests {

    @ParameterizedTest
    @ValueSource(strings = {Corpus.OWN, Corpus.DOCUMENSO, Corpus.UMAMI})
    void lintsEveryMigrationOfTheHistoryWithoutAnError(String name) {
        Path corpus = Corpus.path(name);
        int migrations = Corpus.migrationDirectories(corpus).size();

        LintReport defaults = Lint.defaults().lint(List.of(corpus));
        LintReport all = Lint.builder().enable(Lint.rules().stream().map(LintRule::id).toArray(String[]::new))
                .build().lint(List.of(corpus));

        assertThat(defaults.migrations()).hasSize(migrations);
        assertThat(all.statements()).isEqualTo(defaults.statements()).isPositive();
        assertThat(all.findings()).containsAll(defaults.findings());
        for (LintFinding f : all.findings()) {
            assertThat(f.line()).isPositive();
            assertThat(Path.of(f.file())).exists();
        }
        System.out.println("lint " + name + ": " + migrations + " migrations, " + defaults.statements()
                + " statements; default rules " + defaults.findings().size() + " " + defaults.countsByRule()
                + "; all rules " + all.findings().size() + " " + all.countsByRule());
    }
}
