package dev.tidemark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidemark.testdb.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code deploy --[no-]resume-interrupted} and its variable, in-process, on a row a killed deployer left. */
class DeployResumeTests {

    static final String INDEX = "20250104000000_index_body";
    static final String INDEX_SQL = "CREATE INDEX CONCURRENTLY notes_body ON notes (body);\n";

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
        assertThat(deploy(Map.of())).isZero();
        Fixtures.write(migrations, INDEX + "/migration.sql", INDEX_SQL);
        // What a deployer killed during the build leaves: the server finished the index, the row is unfinished.
        String checksum = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(INDEX_SQL.getBytes(StandardCharsets.UTF_8)));
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE INDEX notes_body ON notes (body)");
            s.execute("INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, applied_steps_count)"
                    + " VALUES (gen_random_uuid()::text, '" + checksum + "', '" + INDEX + "', now(), 0)");
        }
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    @Test
    void theStrictSwitchRefusesAsPrismaAndTheDefaultResumes() throws Exception {
        assertThat(deploy(Map.of(), "--no-resume-interrupted")).isNotZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("TM3009", INDEX, "may have completed");
        assertThat(deploy(Map.of(Settings.RESUME_INTERRUPTED, "false"))).isNotZero();

        out.reset();
        assertThat(deploy(Map.of())).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("successfully applied: 1 migration");
        assertThat(finishedRows()).as("the interrupted row resumed and finished, as one row").isEqualTo(1);
        assertThat(deploy(Map.of(Settings.RESUME_INTERRUPTED, "maybe"))).isEqualTo(ExitCodes.USAGE);
    }

    private long finishedRows() throws java.sql.SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement(); java.sql.ResultSet rs = s.executeQuery(
                "SELECT count(*) FROM _prisma_migrations WHERE migration_name = '" + INDEX + "'"
                        + " AND finished_at IS NOT NULL AND rolled_back_at IS NULL")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private int deploy(Map<String, String> extra, String... flags) {
        Map<String, String> env = new java.util.HashMap<>(extra);
        env.put(Settings.DATABASE_URL, db.postgresUrl());
        env.put(Settings.MIGRATIONS, migrations.toString());
        CliContext context = cli.context(env, Clock.systemUTC());
        String[] args = new String[flags.length + 1];
        args[0] = "deploy";
        System.arraycopy(flags, 0, args, 1, flags.length);
        return TidemarkCli.run(context, args);
    }
}
