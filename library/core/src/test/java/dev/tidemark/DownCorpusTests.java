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
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real histories: down.sql generated for the last 20 migrations (into a copy of the corpus), then verified. Each is
 * reversible, or the report names exactly what it cannot restore. The same copy then goes end to end: deploy all,
 * roll back 5, the schema equals the first N-5 files sent by psql, status reports the 5 pending (rolled back), deploy
 * again, the schema equals all N files.
 */
class DownCorpusTests {

    static final int LAST = 20;
    static final int STEPS = 5;

    @TempDir
    Path tmp;

    /** Measured: all 20 reversible (none leaves differences, none fails); the rollback round trip as psql's. */
    @Test
    void harborsLastTwentyGeneratedDownScriptsAreReversibleAndRollBackFive() throws Exception {
        Path copy = copy(Corpus.path(Corpus.OWN), tmp.resolve(Corpus.OWN));
        Map<String, String> report = generateAndVerify(Corpus.OWN, copy);
        assertThat(report).hasSize(LAST).allSatisfy((name, outcome) -> assertThat(outcome).as(name)
                .isEqualTo("REVERSIBLE"));
        assertThat(report).containsKeys("20241104093000_rename_task_assignee", "20241111120000_drop_session",
                "20250317093000_webhooks_disabled_by_default");
        deployRollBackFiveAndDeployAgain(Corpus.OWN, copy);
    }

    /** Measured: all 20 reversible, the rollback round trip as psql's; skipped with the reason when absent. */
    @Test
    void documensosLastTwentyGeneratedDownScriptsAreReversibleAndRollBackFive() throws Exception {
        Path copy = copy(Corpus.path(Corpus.DOCUMENSO), tmp.resolve(Corpus.DOCUMENSO));
        Map<String, String> report = generateAndVerify(Corpus.DOCUMENSO, copy);
        assertThat(report).hasSize(LAST).allSatisfy((name, outcome) -> assertThat(outcome).as(name)
                .isEqualTo("REVERSIBLE"));
        assertThat(report).containsKeys("20260616120000_add_cancelled_document_status",
                "20260622120000_add_recipient_reminder_count");
        deployRollBackFiveAndDeployAgain(Corpus.DOCUMENSO, copy);
    }

    /**
     * On the copy holding the generated down.sql files: deploy all N, roll back the newest 5 through the API, compare
     * {@code pg_dump --schema-only} with a database given the first N-5 files by psql, check status, deploy again and
     * compare with all N files.
     */
    private static void deployRollBackFiveAndDeployAgain(String corpusName, Path copy) throws IOException {
        List<Path> dirs = Corpus.migrationDirectories(copy);
        List<String> names = dirs.stream().map(d -> d.getFileName().toString()).toList();
        List<String> newest = names.subList(names.size() - STEPS, names.size());
        try (TestDatabase db = TestDatabase.create("down_e2e_" + corpusName);
                TestDatabase reference = TestDatabase.create("down_ref_" + corpusName)) {
            completeDataOnlyDownScripts(corpusName, dirs.subList(dirs.size() - STEPS, dirs.size()));
            Migrator migrator = Migrator.builder().url(db.postgresUrl()).location(copy.toString()).build();
            assertThat(migrator.deploy().applied()).hasSize(dirs.size());

            RollbackResult rollback = migrator.rollback(RollbackRequest.steps(STEPS));
            List<String> reversed = new ArrayList<>(newest);
            Collections.reverse(reversed);
            assertThat(rollback.rolledBack()).extracting(RolledBackMigration::name)
                    .as("newest first").containsExactlyElementsOf(reversed);
            assertThat(rollback.stillApplied()).isEqualTo(dirs.size() - STEPS);

            for (Path dir : dirs.subList(0, dirs.size() - STEPS)) {
                CorpusDeployTests.applyAsPrismaWould(reference, dir.resolve("migration.sql"));
            }
            assertThat(CorpusDeployTests.schemaDump(db)).as("after rollback --steps 5: the first N-5 files")
                    .isEqualTo(CorpusDeployTests.schemaDump(reference));

            MigrationStatus status = migrator.status();
            assertThat(status.pending()).extracting(MigrationInfo::name).containsExactlyElementsOf(newest);
            assertThat(status.rolledBack()).extracting(MigrationInfo::name).containsExactlyElementsOf(newest);
            assertThat(status.pending()).allSatisfy(m -> assertThat(m.rolledBackAt()).as(m.name()).isNotNull());
            assertThat(status.applied()).hasSize(dirs.size() - STEPS);
            try (Connection c = db.connect(); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT count(*) FROM _prisma_migrations WHERE rolled_back_at IS NOT"
                            + " NULL")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).as("nothing deleted: the rolled-back rows keep rolled_back_at")
                        .isEqualTo(STEPS);
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }

            assertThat(migrator.deploy().applied()).extracting(AppliedMigration::name)
                    .containsExactlyElementsOf(newest);
            for (Path dir : dirs.subList(dirs.size() - STEPS, dirs.size())) {
                CorpusDeployTests.applyAsPrismaWould(reference, dir.resolve("migration.sql"));
            }
            assertThat(CorpusDeployTests.schemaDump(db)).as("deployed again: all N files")
                    .isEqualTo(CorpusDeployTests.schemaDump(reference));
            assertThat(migrator.status().upToDate()).isTrue();
        }
    }

    /**
     * A migration that only changes data gets a generated down.sql of comments alone (its TODO list: a schema diff
     * cannot undo data), which rollback refuses as empty. The author completes it; here with the project's
     * hand-written data undo ({@code src/test/resources/rollback/<corpus>/<migration>/down.sql}).
     */
    private static void completeDataOnlyDownScripts(String corpusName, List<Path> dirs) throws IOException {
        for (Path dir : dirs) {
            String down = Files.readString(dir.resolve("down.sql"));
            if (down.lines().anyMatch(line -> !line.isBlank() && !line.strip().startsWith("--"))) {
                continue;
            }
            assertThat(down).as(dir + ": a data-only migration's generated down.sql lists what it cannot undo")
                    .contains("-- TODO: migration.sql changes data");
            String name = dir.getFileName().toString();
            java.net.URL completion = DownCorpusTests.class.getResource("/rollback/" + corpusName + "/" + name
                    + "/down.sql");
            assertThat(completion).as("a hand-written completion of " + name + "'s generated down.sql").isNotNull();
            try (java.io.InputStream in = completion.openStream()) {
                write(dir.resolve("down.sql"), down + new String(in.readAllBytes(),
                        java.nio.charset.StandardCharsets.UTF_8));
            }
        }
    }

    /** Migration name to its outcome, with the differences or the error after a colon. */
    private static Map<String, String> generateAndVerify(String corpusName, Path copy) {
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
