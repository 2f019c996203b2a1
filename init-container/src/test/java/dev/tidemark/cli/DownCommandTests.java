package dev.tidemark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidemark.testdb.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code create-down} and {@code verify-down} against a real server, with diff's exit codes for verify-down. */
class DownCommandTests {

    @TempDir
    Path tmp;

    private TestDatabase db;
    private Path migrations;
    private final InProcessCli cli = new InProcessCli();
    private final ByteArrayOutputStream out = cli.out;
    private final ByteArrayOutputStream err = cli.err;

    @BeforeEach
    void setUp() {
        db = TestDatabase.create(getClass());
        migrations = Fixtures.migrations(tmp.resolve("migrations"));
    }

    @AfterEach
    void drop() {
        db.close();
    }

    @Test
    void createDownWritesTheDownScriptAndKeepsAnExistingOneWithoutForce() throws Exception {
        Path down = migrations.resolve(Fixtures.ADD_TAGS + "/down.sql");
        assertThat(run("create-down", "add_tags")).as(stderr()).isZero();
        assertThat(stdout()).contains("Created " + down);
        assertThat(Files.readString(down)).contains("-- WARNING: drops column \"notes\".\"tags\" and its data\n")
                .contains("ALTER TABLE \"notes\" DROP COLUMN \"tags\";");
        assertThat(stderr()).contains("Warning: running it loses data (drops column \"notes\".\"tags\" and its data).");

        Files.writeString(down, "-- mine\n");
        assertThat(run("create-down", Fixtures.ADD_TAGS)).isEqualTo(ExitCodes.USAGE);
        assertThat(stderr()).contains(down + " already exists. Pass --force to replace it");
        assertThat(Files.readString(down)).isEqualTo("-- mine\n");
        assertThat(run("create-down", Fixtures.ADD_TAGS, "--force")).isZero();
        assertThat(Files.readString(down)).contains("DROP COLUMN \"tags\"");

        assertThat(run("create-down", "no_such_migration")).isEqualTo(ExitCodes.FAILURE);
        assertThat(stderr()).contains("There is no migration no_such_migration in " + migrations);
    }

    @Test
    void verifyDownExitsZeroTwoOrOneAsDiff() {
        assertThat(run("verify-down")).isZero();
        assertThat(stdout()).contains("has a down.sql: nothing to check.");

        for (String name : new String[] {Fixtures.CREATE_NOTES, Fixtures.ADD_TAGS, Fixtures.INDEX_TAGS}) {
            assertThat(run("create-down", name)).isZero();
        }
        out.reset();
        assertThat(run("verify-down")).as(stderr()).isZero();
        assertThat(stdout()).contains(Fixtures.CREATE_NOTES + ": reversible\n" + Fixtures.ADD_TAGS + ": reversible\n"
                + Fixtures.INDEX_TAGS + ": reversible\n\n3 migration(s) checked: 3 reversible, 0 leave(s) differences,"
                + " 0 fail(s).");

        Fixtures.write(migrations, Fixtures.INDEX_TAGS + "/down.sql", "SELECT 1;\n");
        out.reset();
        assertThat(run("verify-down", Fixtures.INDEX_TAGS)).isEqualTo(SchemaDiffCommand.DIFFERENCE);
        assertThat(stdout()).contains(Fixtures.INDEX_TAGS + ": leaves differences\n    + added index \"notes_tags\"");

        Fixtures.write(migrations, Fixtures.INDEX_TAGS + "/down.sql", "DROP INDEX notes_tags;\nDROP INDEX nope;\n");
        out.reset();
        assertThat(run("verify-down", Fixtures.INDEX_TAGS)).isEqualTo(ExitCodes.FAILURE);
        assertThat(stdout()).contains(Fixtures.INDEX_TAGS + ": fails: " + migrations + "/" + Fixtures.INDEX_TAGS
                + "/down.sql:2: ERROR: index \"nope\" does not exist");

        assertThat(run("verify-down", "--seed", tmp.resolve("missing.sql").toString()))
                .as("a usage error is 1, never 2").isEqualTo(ExitCodes.FAILURE);
    }

    @Test
    void verifyDownPendingChecksOnlyWhatTheDatabaseHasPending() {
        for (String name : new String[] {Fixtures.CREATE_NOTES, Fixtures.ADD_TAGS, Fixtures.INDEX_TAGS}) {
            assertThat(run("create-down", name)).isZero();
        }
        assertThat(run("deploy")).as(stderr()).isZero();
        out.reset();
        assertThat(run("verify-down", "--pending")).as(stderr()).isZero();
        assertThat(stdout()).contains("No pending migration in " + migrations + " has a down.sql: nothing to check.");

        assertThat(run("rollback", "--steps", "1")).as(stderr()).isZero();
        out.reset();
        assertThat(run("verify-down", "--pending")).as(stderr()).isZero();
        assertThat(stdout()).contains(Fixtures.INDEX_TAGS + ": reversible\n\n1 migration(s) checked: 1 reversible,")
                .doesNotContain(Fixtures.ADD_TAGS);
        out.reset();
        assertThat(run("status")).isZero();
        assertThat(stdout()).as("read-only: still the one pending after the check")
                .contains("Not up to date: 1 pending.").contains(Fixtures.INDEX_TAGS + "  (rolled back at ");

        assertThat(run("verify-down", "--pending", Fixtures.ADD_TAGS)).isEqualTo(ExitCodes.FAILURE);
        assertThat(stderr()).contains("Give migration names or --pending, not both.");
    }

    private int run(String... args) {
        Map<String, String> env = new HashMap<>();
        env.put("DATABASE_URL", db.postgresUrl());
        env.put("TIDEMARK_MIGRATIONS", migrations.toString());
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
