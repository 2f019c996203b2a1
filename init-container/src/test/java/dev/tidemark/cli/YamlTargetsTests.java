package dev.tidemark.cli;

import dev.tidemark.testdb.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code deploy --targets targets.yaml}: the YAML form of a targets file, in-process, on a real database. */
class YamlTargetsTests {

    @TempDir
    Path tmp;
    TestDatabase db;
    Path migrations;
    private final InProcessCli cli = new InProcessCli();
    private final ByteArrayOutputStream out = cli.out;
    private final ByteArrayOutputStream err = cli.err;

    @BeforeEach
    void setUp() throws Exception {
        db = TestDatabase.create(getClass());
        migrations = Fixtures.migrations(tmp.resolve("migrations"));
        try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA tenant_a; CREATE SCHEMA tenant_b");
        }
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    @Test
    void aYamlListDeploysEveryTargetWithItsNameSchemaAndPasswordVariable() throws Exception {
        Path targets = Files.writeString(tmp.resolve("targets.yaml"), """
                # a ConfigMap's value
                targets:
                  - name: acme
                    url: %s
                    schema: tenant_a
                  - name: globex
                    url: %s?schema=tenant_b
                    passwordEnv: GLOBEX_PASSWORD
                """.formatted(db.postgresUrl(), db.postgresUrl()));
        assertThat(run(Map.of("GLOBEX_PASSWORD", "s3cret-globex"), "deploy", "--targets", targets.toString(),
                "--output", "json")).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"name\":\"acme\"", "\"name\":\"globex\"",
                "\"upToDate\":2");
        assertThat(out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8))
                .doesNotContain("s3cret-globex");
        assertThat(tables("tenant_a")).as("notes and the history").isEqualTo(2);
        assertThat(tables("tenant_b")).isEqualTo(2);
    }

    @Test
    void malformedYamlIsRefusedWithItsFileAndLine() throws Exception {
        Path broken = Files.writeString(tmp.resolve("broken.yml"), "- url: a\n  name: [unclosed\n");
        assertThat(run(Map.of(), "deploy", "--targets", broken.toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("TM2000", broken + ":", "is not valid YAML");

        err.reset();
        Path unknown = Files.writeString(tmp.resolve("unknown.yaml"), "- url: " + db.postgresUrl()
                + "\n  password: hunter2\n");
        assertThat(run(Map.of(), "deploy", "--targets", unknown.toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("entry 1 of the targets file " + unknown,
                "unknown field 'password'", "passwordEnv").doesNotContain("hunter2");

        err.reset();
        Path twice = Files.writeString(tmp.resolve("twice.yaml"), "- {name: a, url: " + db.postgresUrl() + "}\n"
                + "- {name: a, url: " + db.postgresUrl() + "}\n");
        assertThat(run(Map.of(), "deploy", "--targets", twice.toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("names the target a twice");
        assertThat(tables("tenant_a")).as("nothing deployed").isZero();
    }

    private long tables(String schema) throws Exception {
        try (Connection connection = db.connect(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT count(*) FROM pg_tables WHERE schemaname = '"
                        + schema + "'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private int run(Map<String, String> extra, String... args) {
        Map<String, String> env = new HashMap<>(extra);
        env.put(Settings.MIGRATIONS, migrations.toString());
        CliContext context = cli.context(env, Clock.systemUTC());
        return TidemarkCli.run(context, args);
    }
}
