package dev.tidemark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidemark.testdb.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code diff}, {@code drift} and {@code create --from-schema} against a real database, with Prisma's exit codes. */
class DiffCommandTests {

    @TempDir
    Path tmp;

    private TestDatabase db;
    private Path migrations;
    private final InProcessCli cli = new InProcessCli();
    private final ByteArrayOutputStream out = cli.out;
    private final ByteArrayOutputStream err = cli.err;

    @BeforeEach
    void deploy() {
        db = TestDatabase.create(getClass());
        migrations = Fixtures.migrations(tmp.resolve("migrations"));
        assertThat(run("deploy")).isZero();
        out.reset();
    }

    @AfterEach
    void drop() {
        db.close();
    }

    @Test
    void driftIsZeroWithoutChangesAndTwoWithThem() throws Exception {
        assertThat(run("drift", "--exit-code")).isEqualTo(ExitCodes.SUCCESS);
        assertThat(stdout()).contains("No difference detected.");

        try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
            statement.execute("ALTER TABLE notes ADD COLUMN title text");
        }
        out.reset();
        assertThat(run("drift", "--exit-code")).isEqualTo(SchemaDiffCommand.DIFFERENCE);
        assertThat(stdout()).contains("+ added column \"notes\".\"title\" text");

        out.reset();
        assertThat(run("drift")).as("without --exit-code a difference exits 0").isEqualTo(ExitCodes.SUCCESS);
        out.reset();
        assertThat(run("drift", "--script")).isZero();
        assertThat(stdout()).contains("ALTER TABLE \"notes\" ADD COLUMN \"title\" text;");
    }

    @Test
    void diffPrintsTheScriptToADesiredSchema() throws Exception {
        Path schema = tmp.resolve("schema.sql");
        Files.writeString(schema, """
                CREATE TABLE notes (id SERIAL PRIMARY KEY, body TEXT NOT NULL, tags TEXT[] NOT NULL DEFAULT '{}',
                    pinned BOOLEAN NOT NULL DEFAULT false);
                CREATE INDEX notes_tags ON notes USING gin (tags);
                """);
        assertThat(run("diff", "--from", "migrations", "--to", schema.toString(), "--script", "--exit-code"))
                .isEqualTo(SchemaDiffCommand.DIFFERENCE);
        assertThat(stdout()).contains("ALTER TABLE \"notes\" ADD COLUMN \"pinned\" boolean NOT NULL DEFAULT false;");

        out.reset();
        assertThat(run("diff", "--from", "database", "--to", "migrations", "--exit-code"))
                .isEqualTo(ExitCodes.SUCCESS);
        assertThat(stdout()).contains("No difference detected.");
    }

    @Test
    void errorsExitOneNeverTwo() {
        assertThat(run("diff", "--from", "migrations:" + tmp.resolve("nowhere"), "--to", "database", "--exit-code"))
                .isEqualTo(ExitCodes.FAILURE);
        assertThat(run("diff", "--from", "mysql://x", "--to", "database", "--exit-code"))
                .isEqualTo(ExitCodes.FAILURE);
        assertThat(run("diff", "--to", "database")).as("missing --from").isEqualTo(ExitCodes.FAILURE);
        assertThat(stderr()).contains("--from");
    }

    @Test
    void createFromSchemaWritesTheNextMigration() throws Exception {
        Path schema = tmp.resolve("schema.sql");
        Files.writeString(schema, """
                CREATE TABLE notes (id SERIAL PRIMARY KEY, body TEXT NOT NULL, tags TEXT[] NOT NULL DEFAULT '{}');
                CREATE INDEX notes_tags ON notes USING gin (tags);
                CREATE TABLE authors (id SERIAL PRIMARY KEY, name TEXT NOT NULL);
                """);
        assertThat(run("create", "add_authors", "--from-schema", schema.toString())).isZero();
        Path created;
        try (Stream<Path> dirs = Files.list(migrations)) {
            created = dirs.filter(d -> d.getFileName().toString().endsWith("_add_authors")).findFirst().orElseThrow();
        }
        assertThat(Files.readString(created.resolve("migration.sql"))).contains("CREATE TABLE \"authors\"");

        assertThat(run("deploy")).isZero();
        out.reset();
        assertThat(run("diff", "--from", "database", "--to", schema.toString(), "--exit-code")).isZero();

        out.reset();
        assertThat(run("create", "nothing", "--from-schema", schema.toString())).isZero();
        assertThat(stdout()).contains("No difference detected");
        try (Stream<Path> dirs = Files.list(migrations)) {
            assertThat(dirs.filter(d -> d.getFileName().toString().endsWith("_nothing"))).isEmpty();
        }
    }

    private int run(String... args) {
        Map<String, String> env = new HashMap<>();
        env.put("DATABASE_URL", db.postgresUrl());
        env.put("TIDEMARK_MIGRATIONS", migrations.toString());
        CliContext context = cli.context(env,
                Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC));
        return TidemarkCli.run(context, args);
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
