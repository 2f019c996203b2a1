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
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rollback} and the rolled-back migrations in {@code status}, in-process, on a real database. */
class RollbackCommandTests {

    @TempDir
    Path tmp;
    TestDatabase db;
    Path migrations;
    private final InProcessCli cli = new InProcessCli();
    private final ByteArrayOutputStream out = cli.out;
    private final ByteArrayOutputStream err = cli.err;

    @BeforeEach
    void setUp() {
        db = TestDatabase.create(getClass());
        migrations = Fixtures.migrations(tmp.resolve("migrations"));
        Fixtures.write(migrations, Fixtures.ADD_TAGS + "/down.sql", "ALTER TABLE notes DROP COLUMN tags;\n");
        Fixtures.write(migrations, Fixtures.INDEX_TAGS + "/down.sql", "DROP INDEX notes_tags;\n");
        assertThat(run(Map.of(), "deploy")).isZero();
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    @Test
    void rollsBackAndStatusShowsThemPendingWithWhenTheyWereRolledBack() throws Exception {
        assertThat(run(Map.of(), "rollback", "--steps", "2", "--dry-run")).as(err.toString()).isZero();
        assertThat(text()).contains("Dry run: would roll back 2 migrations", Fixtures.INDEX_TAGS, Fixtures.ADD_TAGS,
                "nothing was changed");
        assertThat(columnExists()).isTrue();

        out.reset();
        assertThat(run(Map.of(), "rollback", "--to", Fixtures.CREATE_NOTES)).as(err.toString()).isZero();
        assertThat(text()).contains("Rolled back 2 migrations", "1 migration(s) stay applied",
                "the next 'tidemark deploy' applies them");
        assertThat(columnExists()).isFalse();

        out.reset();
        assertThat(run(Map.of(), "status", "--exit-code")).isEqualTo(ExitCodes.NOT_UP_TO_DATE);
        assertThat(text()).contains("Following migration(s) have not yet been applied:",
                Fixtures.ADD_TAGS + "  (rolled back at 20", ": the next deploy applies it again)");

        out.reset();
        assertThat(run(Map.of(), "status", "--output", "json")).isZero();
        assertThat(text()).contains("\"pending\":[\"" + Fixtures.ADD_TAGS + "\",\"" + Fixtures.INDEX_TAGS + "\"]",
                "\"state\":\"ROLLED_BACK\"", "\"rolledBackAt\":\"20");

        assertThat(run(Map.of(), "deploy")).isZero();
        assertThat(columnExists()).isTrue();
    }

    @Test
    void refusalsExitAsDeploysFailuresDoAndJsonSaysWhy() {
        Fixtures.delete(migrations.resolve(Fixtures.ADD_TAGS).resolve("down.sql"));
        assertThat(run(Map.of(), "rollback", "--steps", "2")).isEqualTo(ExitCodes.FAILURE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("TM3040", Fixtures.ADD_TAGS, "no down script",
                "The down directory is --down-dir or " + Settings.DOWN_DIR + ".");

        out.reset();
        assertThat(run(Map.of(), "rollback", "--to", "nope", "--output", "json")).isEqualTo(ExitCodes.FAILURE);
        assertThat(text()).contains("\"success\":false", "\"code\":\"TM3017\"");

        assertThat(run(Map.of(), "rollback")).isEqualTo(ExitCodes.USAGE);
        assertThat(run(Map.of(), "rollback", "--steps", "1", "--to", Fixtures.CREATE_NOTES))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(run(Map.of(), "rollback", "--steps", "0")).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void theDownDirectoryComesFromTheFlagOrTheEnvironment() throws Exception {
        Path downs = tmp.resolve("down-migrations");
        Fixtures.delete(migrations.resolve(Fixtures.INDEX_TAGS).resolve("down.sql"));
        Fixtures.write(downs, "rollback_20250103000000.sql", "DROP INDEX notes_tags;\n");
        assertThat(run(Map.of(Settings.DOWN_DIR, downs.toString()), "rollback", "--steps", "1", "--output", "json"))
                .as(err.toString()).isZero();
        assertThat(text()).contains("\"name\":\"" + Fixtures.INDEX_TAGS + "\"", "rollback_20250103000000.sql");

        assertThat(run(Map.of(), "deploy")).isZero();
        assertThat(run(Map.of(), "rollback", "--steps", "1", "--down-dir", downs.toString())).isZero();
    }

    private boolean columnExists() throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT count(*) FROM information_schema.columns WHERE table_name = 'notes' AND column_name = 'tags'")) {
            rs.next();
            return rs.getInt(1) == 1;
        }
    }

    private String text() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private int run(Map<String, String> extra, String... args) {
        Map<String, String> env = new HashMap<>(extra);
        env.put(Settings.DATABASE_URL, db.postgresUrl());
        env.put(Settings.MIGRATIONS, migrations.toString());
        CliContext context = cli.context(env, Clock.systemUTC());
        return TidemarkCli.run(context, args);
    }
}
