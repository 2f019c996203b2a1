package dev.tidemark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidemark.testdb.TestDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/** Drives {@code java -jar target/tidemark.jar} as a real process against a real PostgreSQL database. */
class CliJarIntegrationTests {

    private static final String PASSWORD = "S3cr3t@pw!";
    private static final String ENCODED_PASSWORD = "S3cr3t%40pw%21";

    @TempDir
    Path tmp;

    private TestDatabase db;
    private Path migrations;
    private String url;

    @BeforeEach
    void createDatabase() {
        db = TestDatabase.create(getClass());
        migrations = Fixtures.migrations(tmp.resolve("migrations"));
        // The local server trusts loopback connections, so the password is carried along but never checked: these
        // runs show that it is never printed, even on success.
        url = "postgresql://" + db.user() + ":" + ENCODED_PASSWORD + "@" + db.host() + ":" + db.port() + "/"
                + db.name() + "?schema=public";
    }

    @AfterEach
    void dropDatabase() {
        db.close();
    }

    private Map<String, String> env() {
        return Map.of("DATABASE_URL", url, "TIDEMARK_MIGRATIONS", migrations.toString());
    }

    @Test
    void deployAppliesPendingMigrationsThenFindsNothingToDo() {
        CliProcess.Result first = CliProcess.jar(env(), "deploy");
        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.out()).contains("All migrations have been successfully applied: 3 migrations");
        assertThat(first.err()).contains("INFO", "Applied " + Fixtures.CREATE_NOTES, "Applied " + Fixtures.ADD_TAGS,
                "Applied " + Fixtures.INDEX_TAGS);
        assertThat(appliedNames()).containsExactly(Fixtures.CREATE_NOTES, Fixtures.ADD_TAGS, Fixtures.INDEX_TAGS);

        CliProcess.Result second = CliProcess.jar(env(), "deploy");
        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertThat(second.out()).contains("No pending migrations to apply (3 already applied)");
        assertThat(first.all() + second.all()).doesNotContain(PASSWORD, ENCODED_PASSWORD);
    }

    @Test
    void deployPrintsJsonWhenAsked() {
        Path first = Fixtures.migrations(tmp.resolve("first"));
        Fixtures.delete(first.resolve(Fixtures.ADD_TAGS));
        Fixtures.delete(first.resolve(Fixtures.INDEX_TAGS));
        assertThat(CliProcess.jar(env(), "deploy", "--migrations", first.toString()).exitCode()).isZero();

        CliProcess.Result result = CliProcess.jar(env(), "deploy", "--output", "json");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        Map<String, Object> json = result.json();
        assertThat(json).containsEntry("command", "deploy").containsEntry("success", true)
                .containsEntry("alreadyApplied", 1);
        List<Map<String, Object>> applied = list(json.get("applied"));
        assertThat(applied).extracting(m -> m.get("name")).containsExactly(Fixtures.ADD_TAGS, Fixtures.INDEX_TAGS);
        assertThat((String) applied.get(0).get("checksum")).hasSize(64);
    }

    @Test
    void statusExitCodeReportsPendingThenUpToDate() {
        CliProcess.Result before = CliProcess.jar(env(), "status", "--exit-code");
        assertThat(before.exitCode()).as(before.toString()).isEqualTo(ExitCodes.NOT_UP_TO_DATE);
        assertThat(before.out()).contains("pending", "Not up to date: 3 pending", "no migration history yet");

        CliProcess.Result withoutFlag = CliProcess.jar(env(), "status");
        assertThat(withoutFlag.exitCode()).as(withoutFlag.toString()).isZero();

        CliProcess.jar(env(), "deploy");
        CliProcess.Result after = CliProcess.jar(env(), "status", "--exit-code");
        assertThat(after.exitCode()).as(after.toString()).isZero();
        assertThat(after.out()).contains("Database schema is up to date!")
                .contains("postgresql://" + db.user() + ":****@")
                .doesNotContain(ENCODED_PASSWORD);
    }

    @Test
    void statusPrintsJsonWithEveryMigrationsState() {
        CliProcess.jar(env(), "resolve", "--applied", Fixtures.CREATE_NOTES);

        CliProcess.Result result = CliProcess.jar(env(), "status", "--output", "json", "--exit-code");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.NOT_UP_TO_DATE);
        Map<String, Object> json = result.json();
        assertThat(json).containsEntry("upToDate", false).containsEntry("historyTableFound", true)
                .containsEntry("pending", List.of(Fixtures.ADD_TAGS, Fixtures.INDEX_TAGS))
                .containsEntry("failed", List.of());
        assertThat(list(json.get("migrations"))).extracting(m -> m.get("name") + "=" + m.get("state"))
                .containsExactly(Fixtures.CREATE_NOTES + "=APPLIED", Fixtures.ADD_TAGS + "=PENDING",
                        Fixtures.INDEX_TAGS + "=PENDING");
    }

    @Test
    void failedMigrationBlocksDeployUntilResolvedRolledBack() {
        Fixtures.write(migrations, Fixtures.ADD_TAGS + "/migration.sql", "ALTER TABLE no_such_table ADD x INT;\n");

        CliProcess.Result failed = CliProcess.jar(env(), "deploy");
        assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(ExitCodes.FAILURE);
        assertThat(failed.err()).contains("ERROR", "TM3018", Fixtures.ADD_TAGS);

        CliProcess.Result status = CliProcess.jar(env(), "status", "--exit-code");
        assertThat(status.exitCode()).isEqualTo(ExitCodes.NOT_UP_TO_DATE);
        assertThat(status.out()).contains("have failed", "Not up to date: 1 failed, 1 pending", "tidemark resolve");

        CliProcess.Result blocked = CliProcess.jar(env(), "deploy", "--output", "json");
        assertThat(blocked.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(blocked.json()).containsEntry("success", false).containsEntry("exitCode", 1);
        assertThat(map(blocked.json().get("error"))).containsEntry("code", "TM3009")
                .containsEntry("name", "FAILED_MIGRATION_PRESENT");

        CliProcess.Result resolved = CliProcess.jar(env(), "resolve", "--rolled-back", Fixtures.ADD_TAGS);
        assertThat(resolved.exitCode()).as(resolved.toString()).isZero();
        assertThat(resolved.out()).contains("marked as rolled back");

        Fixtures.write(migrations, Fixtures.ADD_TAGS + "/migration.sql", "ALTER TABLE notes ADD tags TEXT[];\n");
        CliProcess.Result fixed = CliProcess.jar(env(), "deploy");
        assertThat(fixed.exitCode()).as(fixed.toString()).isZero();
        assertThat(CliProcess.jar(env(), "status", "--exit-code").exitCode()).isZero();
    }

    @Test
    void resolveAppliedRecordsWithoutRunningAndNamesErrors() {
        CliProcess.Result applied = CliProcess.jar(env(), "resolve", "--applied", Fixtures.CREATE_NOTES);
        assertThat(applied.exitCode()).as(applied.toString()).isZero();
        assertThat(appliedNames()).containsExactly(Fixtures.CREATE_NOTES);

        CliProcess.Result again = CliProcess.jar(env(), "resolve", "--applied", Fixtures.CREATE_NOTES);
        assertThat(again.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(again.err()).contains("TM3008");

        CliProcess.Result unknown = CliProcess.jar(env(), "resolve", "--rolled-back", "20990101000000_nope");
        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(unknown.err()).contains("TM3011");

        CliProcess.Result neither = CliProcess.jar(env(), "resolve");
        assertThat(neither.exitCode()).isEqualTo(ExitCodes.USAGE);
        CliProcess.Result both = CliProcess.jar(env(), "resolve", "--applied", "a", "--rolled-back", "b");
        assertThat(both.exitCode()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void flagsWinOverEnvironment() {
        Map<String, String> wrong = Map.of("DATABASE_URL", "postgresql://nobody:" + ENCODED_PASSWORD
                + "@127.0.0.1:1/nowhere", "TIDEMARK_MIGRATIONS", tmp.resolve("missing").toString());

        CliProcess.Result result = CliProcess.jar(wrong, "deploy", "--url", url, "--migrations",
                migrations.toString());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(appliedNames()).hasSize(3);
    }

    @Test
    void schemaFromTheUrlAndFromTheFlag() throws Exception {
        CliProcess.Result fromFlag = CliProcess.jar(env(), "deploy", "--schema", "app");
        assertThat(fromFlag.exitCode()).as(fromFlag.toString()).isZero();
        try (Connection connection = db.connect(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT count(*) FROM app._prisma_migrations")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(3);
        }
    }

    @Test
    void lockHeldByAnotherDeployerExitsWithTheLockTimeoutCode() throws Exception {
        try (Connection holder = db.connect(); Statement statement = holder.createStatement()) {
            statement.execute("SELECT pg_advisory_lock(72707369)");

            CliProcess.Result result = CliProcess.jar(env(), "deploy", "--lock-wait", "1s");

            assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.LOCK_TIMEOUT);
            assertThat(result.err()).contains("TM1002");
        }
    }

    @Test
    void unreachableDatabaseExitsWithItsCodeAndNeverPrintsThePassword() {
        Map<String, String> env = Map.of("DATABASE_URL", "postgresql://app:" + ENCODED_PASSWORD
                + "@127.0.0.1:1/app?sslmode=disable&password=" + ENCODED_PASSWORD, "TIDEMARK_MIGRATIONS",
                migrations.toString());

        CliProcess.Result text = CliProcess.jar(env, "deploy", "--log-level", "debug");
        CliProcess.Result json = CliProcess.jar(env, "status", "--output", "json", "--log-format", "json");
        CliProcess.Result jdbc = CliProcess.jar(Map.of(), "status", "--url",
                "jdbc:postgresql://127.0.0.1:1/app?user=app&password=" + ENCODED_PASSWORD, "--migrations",
                migrations.toString());

        assertThat(text.exitCode()).as(text.toString()).isEqualTo(ExitCodes.DATABASE_UNREACHABLE);
        assertThat(text.err()).contains("TM1001", "app@127.0.0.1:1/app");
        assertThat(json.exitCode()).as(json.toString()).isEqualTo(ExitCodes.DATABASE_UNREACHABLE);
        assertThat(json.json()).containsEntry("success", false).containsEntry("exitCode", 5);
        assertThat(map(json.json().get("error"))).containsEntry("code", "TM1001");
        List<Map<String, Object>> logLines = json.err().lines().map(line -> map(new Yaml().load(line))).toList();
        assertThat(logLines).anySatisfy(event -> assertThat(event).containsEntry("level", "ERROR")
                .hasEntrySatisfying("message", message -> assertThat((String) message).contains("[TM1001]")));
        assertThat(jdbc.exitCode()).as(jdbc.toString()).isEqualTo(ExitCodes.DATABASE_UNREACHABLE);
        for (CliProcess.Result result : List.of(text, json, jdbc)) {
            assertThat(result.all()).doesNotContain(PASSWORD, ENCODED_PASSWORD, "S3cr3t");
        }
    }

    @Test
    void waitForDbRetriesWithBackoffThenGivesUpClearly() {
        CliProcess.Result result = CliProcess.jar(Map.of("DATABASE_URL", "postgresql://app:" + ENCODED_PASSWORD
                + "@127.0.0.1:1/app", "TIDEMARK_MIGRATIONS", migrations.toString()), "deploy", "--wait-for-db", "2s");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.DATABASE_UNREACHABLE);
        assertThat(result.elapsed()).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        assertThat(result.err()).contains("attempt 1", "attempt 2", "Gave up after waiting 2s");
        assertThat(result.all()).doesNotContain("S3cr3t");
    }

    @Test
    void waitForDbConnectsOnceTheDatabaseComesUp() throws Exception {
        try (ServerSocket proxy = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = proxy.getLocalPort();
            proxy.close();
            String late = "postgresql://" + db.user() + "@127.0.0.1:" + port + "/" + db.name();
            CompletableFuture<CliProcess.Result> run = CompletableFuture.supplyAsync(() -> CliProcess.jar(
                    Map.of("DATABASE_URL", late, "TIDEMARK_MIGRATIONS", migrations.toString(),
                            "TIDEMARK_WAIT_FOR_DB", "60s"), "deploy"));
            Thread.sleep(2_000);
            try (TcpForwarder ignored = new TcpForwarder(port, db.host(), db.port())) {
                CliProcess.Result result = run.join();
                assertThat(result.exitCode()).as(result.toString()).isZero();
                assertThat(result.err()).contains("not reachable yet (attempt 1");
                assertThat(appliedNames()).hasSize(3);
            }
        }
    }

    @Test
    void missingDatabaseUrlIsAUsageError() {
        CliProcess.Result result = CliProcess.jar(Map.of("TIDEMARK_MIGRATIONS", migrations.toString()), "deploy");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).contains("DATABASE_URL", "--url");
    }

    @Test
    void invalidSettingsAreUsageErrors() {
        assertThat(CliProcess.jar(env(), "deploy", "--lock-wait", "soon").exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(CliProcess.jar(Map.of("DATABASE_URL", url, "TIDEMARK_LOCK_WAIT", "soon"), "deploy").exitCode())
                .isEqualTo(ExitCodes.USAGE);
        CliProcess.Result badUrl = CliProcess.jar(Map.of("DATABASE_URL", "mysql://u:" + ENCODED_PASSWORD + "@h/db"),
                "deploy");
        assertThat(badUrl.exitCode()).as(badUrl.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(badUrl.err()).contains("TM2000").doesNotContain("S3cr3t");
        assertThat(CliProcess.jar(env(), "deploy", "--no-such-flag").exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(CliProcess.jar(env(), "frobnicate").exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(CliProcess.jar(env()).exitCode()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void badUrlsAreUsageErrorsThatNeverShowThePassword() throws Exception {
        Map<String, String> urls = Map.of(
                "postgresql://u:Zq7@Xk9:Vb3/Mn5@127.0.0.1:5432/db", "is ambiguous",
                "postgresql://u:Qw%zzLp4@127.0.0.1:5432/db", "% in its password",
                "postgresql://u:Hj4?Kl5@127.0.0.1:5432/db", "is ambiguous",
                url + "&shema=app", "'shema'",
                url + "&sslmode=requried", "sslmode=requried");
        for (Map.Entry<String, String> bad : urls.entrySet()) {
            CliProcess.Result result = CliProcess.jar(Map.of("DATABASE_URL", bad.getKey(), "TIDEMARK_MIGRATIONS",
                    migrations.toString()), "deploy");
            assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.USAGE);
            assertThat(result.err()).as(result.toString()).contains("TM2000", bad.getValue(), ":****@")
                    .doesNotContain("Exception", "\tat ");
            assertThat(result.all()).doesNotContain("Zq7", "Xk9", "Vb3", "Mn5", "Qw%", "zzLp4", "Hj4", "Kl5",
                    ENCODED_PASSWORD, PASSWORD);
        }
        try (Connection connection = db.connect(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT count(*) FROM pg_catalog.pg_tables"
                        + " WHERE tablename IN ('_prisma_migrations', 'notes')")) {
            rs.next();
            assertThat(rs.getInt(1)).as("nothing deployed to any schema").isZero();
        }
    }

    @Test
    void anUnknownHostIsNamedAndExitsAsUnreachable() {
        CliProcess.Result result = CliProcess.jar(Map.of("DATABASE_URL", "postgresql://app:" + ENCODED_PASSWORD
                + "@db-typo.invalid:5432/app", "TIDEMARK_MIGRATIONS", migrations.toString()), "deploy");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.DATABASE_UNREACHABLE);
        assertThat(result.err()).contains("TM1001", "the host 'db-typo.invalid' could not be resolved");
        assertThat(result.all()).doesNotContain(PASSWORD, ENCODED_PASSWORD);
    }

    /** Needs the scram pg_hba line .ci/run adds for tidemark_password_test; skipped where every login is trusted. */
    @Test
    void aMissingPasswordIsAnAuthenticationFailureAndIsNotRetried() throws Exception {
        try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
            statement.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'tidemark_password_test')"
                    + " THEN CREATE ROLE tidemark_password_test LOGIN PASSWORD 'right-password'; END IF; END $$");
        }
        Assumptions.assumeTrue(passwordsAreChecked(), "the server trusts every login; run .ci/run's pg_hba setup");

        CliProcess.Result result = CliProcess.jar(Map.of("DATABASE_URL", "postgresql://tidemark_password_test@"
                + db.host() + ":" + db.port() + "/" + db.name(), "TIDEMARK_MIGRATIONS", migrations.toString()),
                "deploy", "--wait-for-db", "30s");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.FAILURE);
        assertThat(result.err()).contains("TM1000", "asks for a password, and none was given")
                .doesNotContain("not reachable yet", "Gave up after waiting");
    }

    @Test
    void theLockRetryBudgetComesFromTheFlagOrTheEnvironment() throws Exception {
        Path first = Fixtures.migrations(tmp.resolve("first"));
        Fixtures.delete(first.resolve(Fixtures.ADD_TAGS));
        Fixtures.delete(first.resolve(Fixtures.INDEX_TAGS));
        assertThat(CliProcess.jar(env(), "deploy", "--migrations", first.toString()).exitCode()).isZero();
        try (Connection blocker = db.connect(); Statement statement = blocker.createStatement()) {
            blocker.setAutoCommit(false);
            statement.execute("SELECT * FROM notes"); // holds a lock ADD_TAGS's ALTER TABLE must wait for

            CliProcess.Result flag = CliProcess.jar(env(), "deploy", "--lock-timeout", "300ms",
                    "--lock-retry-budget", "0s");
            Map<String, String> env = new java.util.HashMap<>(env());
            env.put("TIDEMARK_LOCK_RETRY_BUDGET", "1s");
            env.put("TIDEMARK_LOCK_TIMEOUT", "300ms");
            // the failed attempt may be recorded; clear it so that the next deploy runs the migration again
            CliProcess.jar(env, "resolve", "--rolled-back", Fixtures.ADD_TAGS);
            CliProcess.Result fromEnv = CliProcess.jar(env, "deploy");
            blocker.rollback();

            assertThat(flag.exitCode()).as(flag.toString()).isEqualTo(ExitCodes.FAILURE);
            assertThat(flag.err()).contains("55P03", "lock retry budget of 0 s");
            assertThat(fromEnv.exitCode()).as(fromEnv.toString()).isEqualTo(ExitCodes.FAILURE);
            assertThat(fromEnv.err()).contains("55P03", "lock retry budget of 1 s");
        }
        assertThat(CliProcess.jar(Map.of(), "help", "deploy").out()).contains("--lock-retry-budget");
    }

    private boolean passwordsAreChecked() {
        java.util.Properties props = new java.util.Properties();
        props.setProperty("user", "tidemark_password_test");
        props.setProperty("password", "certainly-wrong");
        try (Connection ignored = java.sql.DriverManager.getConnection(db.jdbcUrl(), props)) {
            return false;
        } catch (java.sql.SQLException e) {
            return "28P01".equals(e.getSQLState());
        }
    }

    @Test
    void missingMigrationsFolderFailsLoudly() {
        CliProcess.Result result = CliProcess.jar(Map.of("DATABASE_URL", url), "deploy", "--migrations",
                tmp.resolve("not-mounted").toString());

        assertThat(result.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(result.err()).contains("TM2001", "not-mounted");
    }

    @Test
    void jsonLogLinesForLogAggregators() {
        CliProcess.Result result = CliProcess.jar(env(), "deploy", "--log-format", "json");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        List<String> lines = result.err().lines().toList();
        assertThat(lines).isNotEmpty();
        for (String line : lines) {
            Map<String, Object> event = new Yaml().load(line);
            assertThat(event).containsKeys("time", "level", "logger", "message");
        }
        assertThat(lines).anyMatch(l -> l.contains("Applied " + Fixtures.CREATE_NOTES));
    }

    @Test
    void createWritesATimestampedMigrationAndPrismasLockFile() throws IOException {
        Path folder = tmp.resolve("new-project/prisma/migrations");

        CliProcess.Result result = CliProcess.jar(Map.of(), "create", "add user email", "--migrations",
                folder.toString());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        try (Stream<Path> children = Files.list(folder)) {
            List<String> names = children.map(p -> p.getFileName().toString()).sorted().toList();
            assertThat(names).hasSize(2).contains("migration_lock.toml");
            assertThat(names.get(0)).matches("\\d{14}_add_user_email");
            assertThat(folder.resolve(names.get(0)).resolve("migration.sql")).exists();
        }
        assertThat(Files.readString(folder.resolve("migration_lock.toml"))).isEqualTo(
                "# Please do not edit this file manually\n"
                        + "# It should be added in your version-control system (e.g., Git)\n"
                        + "provider = \"postgresql\"\n");
        assertThat(CliProcess.jar(Map.of(), "create", "!!!", "--migrations", folder.toString()).exitCode())
                .isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void resetRefusesWithoutBothForceAndTheEnvironmentSwitch() {
        CliProcess.Result noForce = CliProcess.jar(env(), "reset");
        assertThat(noForce.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(noForce.err()).contains("TM3022", "--force");

        CliProcess.Result noSwitch = CliProcess.jar(env(), "reset", "--force");
        assertThat(noSwitch.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(noSwitch.err()).contains("TM3022", "TIDEMARK_ALLOW_RESET");

        CliProcess.Result falseSwitch = CliProcess.jar(Map.of("DATABASE_URL", url, "TIDEMARK_ALLOW_RESET", "false"),
                "reset", "--force");
        assertThat(falseSwitch.exitCode()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void resetWithConsentDropsTheSchemaAndDeploysAgain() throws Exception {
        CliProcess.jar(env(), "deploy");
        try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE public.scratch (id int)");
        }
        Map<String, String> consent = Map.of("DATABASE_URL", url, "TIDEMARK_MIGRATIONS", migrations.toString(),
                "TIDEMARK_ALLOW_RESET", "true");

        CliProcess.Result result = CliProcess.jar(consent, "reset", "--force");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("Reset schema public", "applied 3 migration(s) again");
        assertThat(appliedNames()).hasSize(3);
        try (Connection connection = db.connect(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT to_regclass('public.scratch') IS NULL")) {
            rs.next();
            assertThat(rs.getBoolean(1)).as("objects outside the migrations are dropped too").isTrue();
        }
    }

    @Test
    void driftAndDiffReportHandMadeChangesWithPrismasExitCodes() throws Exception {
        assertThat(CliProcess.jar(env(), "deploy").exitCode()).isZero();

        CliProcess.Result clean = CliProcess.jar(env(), "drift", "--exit-code");
        assertThat(clean.exitCode()).as(clean.toString()).isZero();
        assertThat(clean.out()).contains("No difference detected.");

        try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
            statement.execute("ALTER TABLE notes ADD COLUMN pinned boolean NOT NULL DEFAULT false");
        }
        CliProcess.Result drifted = CliProcess.jar(env(), "drift", "--exit-code");
        assertThat(drifted.exitCode()).as(drifted.toString()).isEqualTo(2);
        assertThat(drifted.out()).contains("pinned").doesNotContain(PASSWORD).doesNotContain(ENCODED_PASSWORD);

        CliProcess.Result withoutExitCode = CliProcess.jar(env(), "drift");
        assertThat(withoutExitCode.exitCode()).as("a difference exits 0 without --exit-code").isZero();

        CliProcess.Result script = CliProcess.jar(env(), "diff", "--from", "migrations", "--to", "database",
                "--script");
        assertThat(script.exitCode()).as(script.toString()).isZero();
        assertThat(script.out()).contains("ALTER TABLE", "\"pinned\"");

        CliProcess.Result error = CliProcess.jar(env(), "diff", "--from", "nonsense-source", "--to", "database");
        assertThat(error.exitCode()).as(error.toString()).isEqualTo(1);
    }

    @Test
    void versionAndHelp() {
        CliProcess.Result version = CliProcess.jar(Map.of(), "version");
        assertThat(version.exitCode()).isZero();
        assertThat(version.out()).startsWith("tidemark " + VersionCommand.version()).contains("Java ");
        assertThat(VersionCommand.version()).isNotEqualTo("unknown").doesNotContain("${");

        CliProcess.Result help = CliProcess.jar(Map.of(), "help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("deploy", "status", "resolve", "create", "diff", "drift", "reset", "version",
                "Exit codes:",
                "DATABASE_URL");
        for (int code = 0; code <= 5; code++) {
            assertThat(help.out()).containsPattern("(?m)^  " + code + " ");
        }
        CliProcess.Result deployHelp = CliProcess.jar(Map.of(), "help", "deploy");
        assertThat(deployHelp.out()).contains("--wait-for-db", "--lock-timeout", "--output");
    }

    private List<String> appliedNames() {
        try (Connection connection = db.connect(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT migration_name FROM public._prisma_migrations"
                        + " WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name")) {
            List<String> names = new java.util.ArrayList<>();
            while (rs.next()) {
                names.add(rs.getString(1));
            }
            return names;
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object value) {
        return (List<Map<String, Object>>) value;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    /** A database that comes up late: forwards a loopback port to the real server once started. */
    private static final class TcpForwarder implements AutoCloseable {
        private final ServerSocket server;

        TcpForwarder(int port, String host, int targetPort) throws IOException {
            server = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
            Thread acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket client = server.accept();
                        Socket target = new Socket(host, targetPort);
                        pump(client.getInputStream(), target.getOutputStream());
                        pump(target.getInputStream(), client.getOutputStream());
                    } catch (IOException closed) {
                        return;
                    }
                }
            }, "forwarder");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        private static void pump(InputStream in, OutputStream out) {
            Thread thread = new Thread(() -> {
                try (in; out) {
                    in.transferTo(out);
                } catch (IOException ignored) {
                    // The other side closed.
                }
            }, "pump");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
