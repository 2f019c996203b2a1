package dev.tidemark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidemark.testdb.TestDatabase;
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
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code import}, {@code seed} and {@code push} from the command line, against a real database (and real Flyway). */
class ImportSeedPushCommandTests {

    @TempDir
    Path tmp;

    private TestDatabase db;
    private final Map<String, String> env = new HashMap<>();
    private final InProcessCli cli = new InProcessCli();
    private final ByteArrayOutputStream out = cli.out;
    private final ByteArrayOutputStream err = cli.err;

    @BeforeEach
    void createDatabase() {
        db = TestDatabase.create(getClass());
        env.put("DATABASE_URL", db.postgresUrl());
    }

    @AfterEach
    void drop() {
        db.close();
    }

    @Test
    void importFlywayThenDeployAppliesNothingAndStatusIsUpToDate() throws Exception {
        Path flyway = Files.createDirectories(tmp.resolve("db/migration"));
        Files.writeString(flyway.resolve("V1__notes.sql"), "CREATE TABLE notes (id int PRIMARY KEY);\n");
        Files.writeString(flyway.resolve("V1.1__body.sql"), "ALTER TABLE notes ADD COLUMN body text;\n");
        Files.writeString(flyway.resolve("R__view.sql"), "CREATE OR REPLACE VIEW v AS SELECT 1 AS one;\n");
        Flyway.configure().dataSource(db.jdbcUrl(), db.user(), db.password())
                .locations("filesystem:" + flyway).load().migrate();
        Path migrations = tmp.resolve("prisma/migrations");

        assertThat(run("import", "flyway", "--from", flyway.toString(), "--to", migrations.toString(),
                "--database")).isZero();
        assertThat(stdout()).contains("Converted 2 Flyway migration(s)")
                .contains("00000000000001_v1_notes  <- V1__notes.sql")
                .contains("00000000000002_v1_1_body  <- V1.1__body.sql")
                .contains("R__view.sql is a repeatable migration")
                .contains("Would record as applied (dry run; --apply writes):");
        assertThat(count("SELECT count(*) FROM pg_tables WHERE tablename = '_prisma_migrations'")).isZero();

        out.reset();
        assertThat(run("import", "flyway", "--from", flyway.toString(), "--to", migrations.toString(),
                "--database", "--apply")).isZero();
        assertThat(stdout()).contains("Recorded as applied:\n  00000000000001_v1_notes\n  00000000000002_v1_1_body");

        out.reset();
        env.put("TIDEMARK_MIGRATIONS", migrations.toString());
        assertThat(run("deploy")).isZero();
        assertThat(stdout()).contains("No pending migrations to apply (2 already applied).");
        assertThat(run("status", "--exit-code")).isZero();

        assertThat(run("import", "flyway", "--from", flyway.toString(), "--apply"))
                .as("--apply without --database").isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void seedRunsTheDefaultFileNextToTheMigrationsAndResetRunsItToo() throws Exception {
        Path migrations = Fixtures.migrations(tmp.resolve("prisma/migrations"));
        env.put("TIDEMARK_MIGRATIONS", migrations.toString());
        Files.writeString(tmp.resolve("prisma/seed.sql"), "INSERT INTO notes (body) VALUES ('first'), ('second');\n");
        assertThat(run("deploy")).isZero();

        out.reset();
        assertThat(run("seed")).isZero();
        assertThat(stdout()).contains("Seeded schema public from " + tmp.resolve("prisma/seed.sql")
                + ": 1 statement(s)");
        assertThat(count("SELECT count(*) FROM notes")).isEqualTo(2);

        env.put("TIDEMARK_ALLOW_RESET", "true");
        out.reset();
        assertThat(run("reset", "--force")).isZero();
        assertThat(stdout()).contains("then ran the seed file " + tmp.resolve("prisma/seed.sql"));
        assertThat(count("SELECT count(*) FROM notes")).as("reset, then seeded once").isEqualTo(2);
        assertThat(run("reset", "--force", "--skip-seed")).isZero();
        assertThat(count("SELECT count(*) FROM notes")).isZero();

        Path other = tmp.resolve("other.sql");
        Files.writeString(other, "INSERT INTO notes (body) VALUES ('x');\nINSERT INTO nope VALUES (1);\n");
        assertThat(run("seed", "--file", other.toString())).isEqualTo(ExitCodes.FAILURE);
        assertThat(stderr()).contains("TM3030").contains(other + " line 2 failed");
        assertThat(count("SELECT count(*) FROM notes")).isZero();
    }

    @Test
    void pushRefusesDataLossAndHistoryWithExitCodeTwo() throws Exception {
        Path desired = tmp.resolve("desired.sql");
        Files.writeString(desired, "CREATE TABLE notes (id int PRIMARY KEY, body text NOT NULL);\n");
        env.put("TIDEMARK_MIGRATIONS", tmp.resolve("none").toString());

        assertThat(run("push", "--from-schema", desired.toString(), "--dry-run")).isZero();
        assertThat(stdout()).contains("CREATE TABLE \"notes\"");
        assertThat(count("SELECT count(*) FROM pg_tables WHERE tablename = 'notes'")).isZero();

        out.reset();
        assertThat(run("push", "--from-schema", desired.toString())).isZero();
        assertThat(stdout()).contains("Pushed 1 change(s) to schema public (no migration recorded)");

        Files.writeString(desired, "CREATE TABLE notes (id int PRIMARY KEY);\n");
        assertThat(run("push", "--from-schema", desired.toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(stderr()).contains("TM3031").contains("\"notes\".\"body\"").contains("--accept-data-loss");
        assertThat(run("push", "--from-schema", desired.toString(), "--accept-data-loss")).isZero();
        assertThat(count("SELECT count(*) FROM information_schema.columns WHERE column_name = 'body'")).isZero();

        Path migrations = Fixtures.migrations(tmp.resolve("migrations"));
        env.put("TIDEMARK_MIGRATIONS", migrations.toString());
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE notes");
        }
        assertThat(run("deploy")).isZero();
        assertThat(run("push", "--from-schema", desired.toString(), "--accept-data-loss"))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(stderr()).contains("it has a migration history (3 row(s)");
    }

    private long count(String sql) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private int run(String... args) {
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
