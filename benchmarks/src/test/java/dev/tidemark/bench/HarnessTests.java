package dev.tidemark.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The harness measures what it claims: each tool really applies, skips, reports and resets the same corpus. Speeds
 * are not asserted here; they are what the harness reports.
 */
class HarnessTests {

    @TempDir
    Path corpora;

    @Test
    void aCorpusHoldsTheSameScriptsInEachToolsLayout() throws Exception {
        Corpus corpus = Corpus.load(corpora, "generated-3");

        assertThat(corpus.size()).isEqualTo(3);
        assertThat(corpus.tables()).containsExactly("t_0001", "t_0002", "t_0003");
        String script = Files.readString(corpus.prisma().resolve("20240101000002_create_t_0002/migration.sql"));
        assertThat(script).isEqualTo("CREATE TABLE t_0002 (id bigint primary key, name text);\n"
                + "CREATE INDEX ON t_0002(name);\n");
        assertThat(Files.readString(corpus.flyway().resolve("V2__create_t_0002.sql"))).isEqualTo(script);
        assertThat(Files.readString(corpus.liquibase().resolve("sql/20240101000002_create_t_0002.sql")))
                .isEqualTo("--liquibase formatted sql\n\n--changeset bench:20240101000002_create_t_0002\n" + script);
        assertThat(Files.readString(corpus.liquibase().resolve(Corpus.LIQUIBASE_CHANGELOG)))
                .contains("<include file=\"sql/20240101000003_create_t_0003.sql\" relativeToChangelogFile=\"true\"/>");
    }

    @ParameterizedTest
    @EnumSource(Tool.class)
    void eachToolAppliesSkipsReportsAndResets(Tool tool) {
        Corpus corpus = Corpus.load(corpora, "generated-5");
        Server.Target db = Server.createDatabase("harness");
        try {
            int applied = tool.deploy(db, corpus);
            assertThat(applied).isIn(5, Tool.UNKNOWN);
            Checks.applied(db, tool, 5);
            assertThat(tool.pending(db, corpus)).isZero();

            assertThat(tool.deploy(db, corpus)).isIn(0, Tool.UNKNOWN);
            Checks.applied(db, tool, 5);

            Object prepared = tool.prepareReset(db, corpus);
            Checks.fill(db, corpus, 3);
            Checks.rows(db, "t_0005", 3);
            try {
                tool.reset(db, corpus, prepared);
            } finally {
                Tool.release(prepared);
            }
            Checks.rows(db, "t_0001", 0);
            Checks.rows(db, "t_0005", 0);
            Checks.applied(db, tool, 5);
        } finally {
            Server.dropDatabase(db);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Tool.class, names = {"TIDEMARK", "FLOOR"})
    void tidemarkAndTheFloorRollBackTheNewestMigrationsWithTheirDownScripts(Tool tool) throws Exception {
        Corpus corpus = Corpus.load(corpora, "generated-5");
        corpus.writeDownScripts();
        assertThat(Files.readString(corpus.prisma().resolve("20240101000004_create_t_0004/down.sql")))
                .isEqualTo("DROP TABLE t_0004;\n");
        Server.Target db = Server.createDatabase("harness_rollback");
        try {
            tool.deploy(db, corpus);
            assertThat(tool.rollback(db, corpus, 2)).isEqualTo(2);
            Checks.applied(db, tool, 3);
            assertThat(tool.pending(db, corpus)).isEqualTo(2);
            Checks.rows(db, "t_0003", 0);
            assertThat(tool.deploy(db, corpus)).isIn(2, Tool.UNKNOWN);
            Checks.applied(db, tool, 5);
        } finally {
            Server.dropDatabase(db);
        }
    }

    @Test
    void theFloorAppliesOnlyWhatIsPending() throws Exception {
        Server.Target db = Server.createDatabase("harness_floor");
        try {
            Corpus three = Corpus.load(corpora, "generated-3");
            Corpus five = Corpus.load(corpora, "generated-5");
            assertThat(Floor.deploy(db.jdbcUrl(), Server.USER, Server.PASSWORD, three.prisma())).isEqualTo(3);
            assertThat(Floor.pending(db.jdbcUrl(), Server.USER, Server.PASSWORD, five.prisma())).isEqualTo(2);
            assertThat(Floor.deploy(db.jdbcUrl(), Server.USER, Server.PASSWORD, five.prisma())).isEqualTo(2);
            Checks.applied(db, Tool.FLOOR, 5);
        } finally {
            Server.dropDatabase(db);
        }
    }
}
