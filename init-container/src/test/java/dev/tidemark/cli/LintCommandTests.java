package dev.tidemark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidemark.testdb.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/** {@code tidemark lint}: its formats, exit codes and options; {@code deploy --lint}. */
class LintCommandTests {

    @TempDir
    Path tmp;

    private final InProcessCli cli = new InProcessCli();
    private final ByteArrayOutputStream out = cli.out;
    private final ByteArrayOutputStream err = cli.err;

    @Test
    void allNeedsNoDatabaseAndFailOnDecidesTheExitCode() {
        Path migrations = Fixtures.migrations(tmp.resolve("migrations"));
        Map<String, String> env = Map.of("TIDEMARK_MIGRATIONS", migrations.toString());

        assertThat(run(env, "lint", "--all")).isEqualTo(ExitCodes.SUCCESS);
        assertThat(stdout()).contains(Fixtures.INDEX_TAGS + "\n",
                Fixtures.INDEX_TAGS + "/migration.sql:1:1: warning create-index-not-concurrent: CREATE INDEX notes_tags"
                        + " on the existing table notes",
                "    safe form: CREATE INDEX CONCURRENTLY IF NOT EXISTS",
                "1 finding (0 error, 1 warning, 0 info) in 3 migration(s), 3 statement(s)");

        out.reset();
        assertThat(run(env, "lint", "--all", "--fail-on", "warning")).isEqualTo(LintCommand.FINDINGS);
        out.reset();
        assertThat(run(env, "lint", "--all", "--fail-on", "warning", "--disable", "create-index-not-concurrent"))
                .isEqualTo(ExitCodes.SUCCESS);
        assertThat(stdout()).contains("No findings in 3 migration(s)");
    }

    @Test
    void jsonIsVersionedAndNamesRuleFileAndLine() {
        Fixtures.write(tmp, "m/20240101000000_a/migration.sql", "CREATE TABLE t (id bigint PRIMARY KEY, v varchar(9));\n");
        Fixtures.write(tmp, "m/20240102000000_b/migration.sql", "-- AlterTable\nALTER TABLE t DROP COLUMN v;\n");

        int code = run(Map.of(), "lint", "--format", "json", "--enable", "varchar-length",
                tmp.resolve("m/20240102000000_b/migration.sql").toString());

        assertThat(code).isEqualTo(LintCommand.FINDINGS);
        Map<String, Object> json = new Yaml().load(stdout());
        assertThat(json).containsEntry("schemaVersion", 1).containsEntry("command", "lint")
                .containsEntry("pgVersion", 15).containsEntry("failed", true)
                .containsEntry("migrations", List.of("20240102000000_b"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> findings = (List<Map<String, Object>>) json.get("findings");
        assertThat(findings).hasSize(1);
        assertThat(findings.get(0)).containsEntry("rule", "drop-column").containsEntry("severity", "error")
                .containsEntry("line", 2).containsEntry("column", 15).containsEntry("migration", "20240102000000_b");
        assertThat((String) findings.get(0).get("message")).contains("t.v");
    }

    @Test
    void githubFormatIsChosenOnGitHubActions() {
        Fixtures.write(tmp, "x.sql", "SET lock_timeout = 0;\nDROP TABLE a, b;\n");

        assertThat(run(Map.of("GITHUB_ACTIONS", "true"), "lint", tmp.resolve("x.sql").toString()))
                .isEqualTo(LintCommand.FINDINGS);

        List<String> lines = stdout().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("::warning file=" + tmp.resolve("x.sql") + ",line=1,col=1,title=tidemark"
                + " timeout-disabled::lock_timeout is set to 0");
        assertThat(lines.get(1)).startsWith("::error file=").contains(",line=2,col=12,title=tidemark drop-table::");
        assertThat(lines.get(2)).contains(",line=2,col=15,").contains("table b");
    }

    @Test
    void errorsExitOne() {
        Fixtures.write(tmp, "bad.sql", "-- tidemark:lint-ignore no-such-rule because\nDROP TABLE a;\n");

        assertThat(run(Map.of(), "lint", tmp.resolve("bad.sql").toString())).isEqualTo(ExitCodes.FAILURE);
        assertThat(stderr()).contains("TM2003", tmp.resolve("bad.sql") + ":1:", "'no-such-rule'");

        err.reset();
        assertThat(run(Map.of(), "lint", "--enable", "nope", tmp.resolve("bad.sql").toString()))
                .isEqualTo(ExitCodes.FAILURE);
        assertThat(stderr()).contains("'nope' is not a lint rule");

        err.reset();
        assertThat(run(Map.of(), "lint")).as("no database and neither --all nor paths").isEqualTo(ExitCodes.FAILURE);
        assertThat(stderr()).contains("DATABASE_URL");

        err.reset();
        assertThat(run(Map.of(), "lint", "--format", "yaml")).isEqualTo(ExitCodes.FAILURE);
        assertThat(run(Map.of(), "lint", tmp.resolve("missing.sql").toString())).isEqualTo(ExitCodes.FAILURE);
    }

    @Test
    void listRulesNamesEveryRule() {
        assertThat(run(Map.of(), "lint", "--list-rules")).isZero();
        assertThat(stdout().lines()).hasSize(dev.tidemark.Lint.rules().size());
        assertThat(stdout()).contains("varchar-length", "off", "drop-table", "error");
    }

    @Test
    void pendingMigrationsAgainstTheDatabaseAndDeployLintModes() throws Exception {
        try (TestDatabase db = TestDatabase.create(getClass())) {
            Path migrations = Fixtures.migrations(tmp.resolve("migrations"));
            Map<String, String> env = new HashMap<>();
            env.put("DATABASE_URL", db.postgresUrl());
            env.put("TIDEMARK_MIGRATIONS", migrations.toString());
            assertThat(run(env, "deploy")).isZero();
            // INDEX_TAGS indexes a table the same deploy created, which nothing can be using yet: no warning.
            assertThat(stderr()).contains(Fixtures.INDEX_TAGS).doesNotContain("lint warning");
            Fixtures.write(migrations, "20250103500000_index_body/migration.sql",
                    "CREATE INDEX notes_body ON notes (body);\n");
            err.reset();
            assertThat(run(env, "deploy")).isZero();
            assertThat(stderr()).contains("lint warning create-index-not-concurrent at ", "20250103500000_index_body");
            Fixtures.write(migrations, "20250104000000_drop_notes/migration.sql", "DROP TABLE notes;\n");
            out.reset();

            assertThat(run(env, "lint")).isEqualTo(LintCommand.FINDINGS);
            assertThat(stdout()).contains("20250104000000_drop_notes\n", "error drop-table",
                    "in 1 migration(s), 1 statement(s)");
            assertThat(historyRows(db)).isEqualTo(4);

            err.reset();
            assertThat(run(env, "deploy", "--lint=error")).isEqualTo(ExitCodes.LINT_FINDINGS);
            assertThat(stderr()).contains("TM3023", "drop-table", "nothing was applied");
            assertThat(historyRows(db)).isEqualTo(4);

            env.put("TIDEMARK_LINT", "sometimes");
            assertThat(run(env, "deploy")).isEqualTo(ExitCodes.USAGE);
            env.put("TIDEMARK_LINT", "off");
            err.reset();
            assertThat(run(env, "deploy")).isZero();
            assertThat(stderr()).doesNotContain("drop-table");
            assertThat(historyRows(db)).isEqualTo(5);
        }
    }

    private static int historyRows(TestDatabase db) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM _prisma_migrations")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private int run(Map<String, String> env, String... args) {
        CliContext context = cli.context(env, Clock.systemUTC());
        return TidemarkCli.run(context, args);
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
