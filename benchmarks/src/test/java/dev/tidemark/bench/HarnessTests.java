package dev.tidemark.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    @Test
    void theLoadOptionNamesPgbenchItsClientsAndItsRate() {
        assertThat(Bench.parse(new String[] {"--load"})).containsEntry("--load", "pgbench");
        assertThat(Bench.parse(new String[] {"--load", "--quick"})).containsEntry("--load", "pgbench")
                .containsKey("--quick");
        assertThat(Bench.parse(new String[] {"--load", "pgbench:4"})).containsEntry("--load", "pgbench:4");

        assertThat(Load.Spec.parse("pgbench")).isEqualTo(new Load.Spec(2, 0, Load.Spec.SCALE));
        assertThat(Load.Spec.parse("pgbench:4:200")).isEqualTo(new Load.Spec(4, 200, Load.Spec.SCALE));
        assertThatThrownBy(() -> Load.Spec.parse("sysbench")).hasMessageContaining("pgbench[:CLIENTS[:RATE]]");
        assertThatThrownBy(() -> Load.Spec.parse("pgbench:0")).hasMessageContaining("CLIENTS must be a positive");
        assertThatThrownBy(() -> Load.Spec.parse("pgbench:2:x")).hasMessageContaining("RATE must be a positive");
    }

    @Test
    void theLoadIsBoundedAndRunsOnItsOwnDatabaseOfTheSameServer() {
        assertThat(Load.run(new Load.Spec(4, 0, 10))).containsExactly("-n", "-c", "4", "-j", "2", "-T",
                String.valueOf(Load.TIME_LIMIT_SECONDS), "-P", "5");
        assertThat(Load.run(new Load.Spec(1, 50, 10))).containsSubsequence("-c", "1", "-j", "1").endsWith("-R", "50");
        List<String> command = Load.command(new Server.Target("tm_bench_load_x",
                "jdbc:postgresql://db.example:5433/tm_bench_load_x"), List.of("-i"));
        assertThat(command.subList(1, command.size())).containsExactly("-h", "db.example", "-p", "5433", "-U",
                Server.USER, "-i", "tm_bench_load_x");
    }

    @Test
    void pgbenchsProgressLinesGiveTheLoadsThroughput() {
        assertThat(Load.medianTps("starting vacuum...end.\nprogress: 5.0 s, 800.2 tps, lat 2.4 ms stddev 1.1, 0 failed\n"
                + "progress: 10.0 s, 650.0 tps, lat 3.0 ms stddev 2.0, 0 failed\n"
                + "progress: 15.0 s, 900.0 tps, lat 2.1 ms stddev 0.9, 0 failed\n")).isEqualTo(800.2);
        assertThat(Load.medianTps("")).isNaN();
    }

    @Test
    void aScenarioWhoseLoadAverageMovedBeyondTheBoundIsMarkedDrifted() {
        assertThat(Load.drifted(1.0, 1.8)).as("small absolute change").isFalse();
        assertThat(Load.drifted(6.0, 8.0)).as("25% of the higher reading").isFalse();
        assertThat(Load.drifted(2.0, 5.0)).isTrue();
        assertThat(Load.drifted(9.0, 3.0)).isTrue();

        Map<Bench.Scenario, double[]> loads = new LinkedHashMap<>();
        loads.put(Bench.Scenario.S2, new double[] {1.0, 1.5});
        loads.put(Bench.Scenario.S5, new double[] {2.0, 5.0});
        String report = Bench.loadReport(loads, "pgbench -c 2 -j 2, median 700 tps");

        assertThat(report).contains("- Load: pgbench -c 2 -j 2, median 700 tps", "S2 1.00 → 1.50;",
                "S5 2.00 → 5.00 (*drifted*)", "This run's load drifted", Load.driftBound());
        assertThat(Bench.loadReport(new LinkedHashMap<>(), null)).startsWith("- Load: none started by the harness")
                .doesNotContain("drifted");
    }

    @Test
    void theLoadRunsUntilClosedAndLeavesNoDatabaseBehind(@TempDir Path work) throws Exception {
        Load load = Load.start(new Load.Spec(1, 20, 1), work);
        String name = load.database().name();
        try {
            assertThat(load.running()).isTrue();
            assertThat(databaseExists(name)).isTrue();
        } finally {
            load.close();
        }
        assertThat(load.running()).isFalse();
        assertThat(databaseExists(name)).isFalse();
    }

    private static boolean databaseExists(String name) throws Exception {
        try (Connection c = Server.connect(Server.maintenanceUrl());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_database WHERE datname = '" + name + "'")) {
            rs.next();
            return rs.getInt(1) == 1;
        }
    }
}
