package dev.tidemark;

import dev.tidemark.DownVerification.Check;
import dev.tidemark.DownVerification.Outcome;
import dev.tidemark.testdb.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real histories: down.sql generated for the last 20 migrations (into a copy of the corpus), then verified. Each is
 * reversible, or the report names exactly what it cannot restore.
 */
class DownCorpusTests {

    static final int LAST = 20;

    @TempDir
    Path tmp;

    /** Measured: all 20 reversible (none leaves differences, none fails). */
    @Test
    void harborsLastTwentyGeneratedDownScriptsAreReversible() {
        Map<String, String> report = generateAndVerify(Corpus.OWN);
        assertThat(report).hasSize(LAST).allSatisfy((name, outcome) -> assertThat(outcome).as(name)
                .isEqualTo("REVERSIBLE"));
        assertThat(report).containsKeys("20241104093000_rename_task_assignee", "20241111120000_drop_session",
                "20250317093000_webhooks_disabled_by_default");
    }

    /** Measured: all 20 reversible; skipped with the reason when the corpus is absent. */
    @Test
    void documensosLastTwentyGeneratedDownScriptsAreReversible() {
        Map<String, String> report = generateAndVerify(Corpus.DOCUMENSO);
        assertThat(report).hasSize(LAST).allSatisfy((name, outcome) -> assertThat(outcome).as(name)
                .isEqualTo("REVERSIBLE"));
        assertThat(report).containsKeys("20260616120000_add_cancelled_document_status",
                "20260622120000_add_recipient_reminder_count");
    }

    /** Migration name to its outcome, with the differences or the error after a colon. */
    private Map<String, String> generateAndVerify(String corpusName) {
        Path copy = copy(Corpus.path(corpusName), tmp.resolve(corpusName));
        try (TestDatabase db = TestDatabase.create("down_" + corpusName)) {
            Migrator migrator = Migrator.builder().url(db.postgresUrl()).location(copy.toString()).build();
            List<Path> dirs = Corpus.migrationDirectories(copy);
            for (Path dir : dirs.subList(dirs.size() - LAST, dirs.size())) {
                DownScript down = migrator.generateDown(dir.getFileName().toString());
                write(dir.resolve("down.sql"), down.script());
            }
            DownVerification result = migrator.verifyDown(VerifyDownRequest.all());
            assertThat(result.checks()).hasSize(LAST);
            Map<String, String> report = new LinkedHashMap<>();
            for (Check check : result.checks()) {
                report.put(check.migration(), check.outcome() == Outcome.REVERSIBLE ? "REVERSIBLE"
                        : check.outcome() + ": " + (check.error() != null ? check.error()
                                : String.join(" | ", check.differences())));
            }
            return report;
        }
    }

    static Path copy(Path from, Path to) {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
            return to;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
