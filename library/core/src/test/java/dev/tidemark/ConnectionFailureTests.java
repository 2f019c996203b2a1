package dev.tidemark;

import dev.tidemark.testdb.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A database that is down, missing, or refuses the password: one clear paragraph each, never the password. */
class ConnectionFailureTests {

    static final String SECRET = "s3cr3t-Pa55word";

    @TempDir
    Path dir;

    @Test
    void anUnreachableDatabaseIsExplainedWithoutThePassword() throws Exception {
        int port = freePort();
        MigrationsFolder folder = MigrationsFolder.in(dir).add("01_init", "CREATE TABLE a (id int);");
        Migrator migrator = folder.migrator("postgresql://app:" + SECRET + "@127.0.0.1:" + port + "/app").build();

        String logs = Stderr.capture(() -> assertThatThrownBy(migrator::deploy)
                .isInstanceOfSatisfying(TidemarkException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.DATABASE_UNREACHABLE);
                    assertThat(e.getMessage()).contains("[TM1001]", "127.0.0.1:" + port, "running")
                            .doesNotContain(SECRET);
                }));
        assertThat(logs).doesNotContain(SECRET);
    }

    @Test
    void connectWaitRetriesUntilTheDeadlineAndLogsEachAttempt() throws Exception {
        int port = freePort();
        MigrationsFolder folder = MigrationsFolder.in(dir).add("01_init", "CREATE TABLE a (id int);");
        Migrator migrator = folder.migrator("postgresql://app:" + SECRET + "@127.0.0.1:" + port + "/app")
                .connectWait(Duration.ofMillis(1200)).build();

        long start = System.nanoTime();
        String logs = Stderr.capture(() -> assertThatThrownBy(migrator::deploy)
                .isInstanceOfSatisfying(TidemarkException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.DATABASE_UNREACHABLE)));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(1200));
        assertThat(logs).contains("not reachable yet (attempt 1", "(attempt 2").doesNotContain(SECRET);
    }

    @Test
    void aMissingDatabaseIsNamed() {
        try (TestDatabase db = TestDatabase.create(getClass())) {
            MigrationsFolder folder = MigrationsFolder.in(dir).add("01_init", "CREATE TABLE a (id int);");
            Migrator migrator = folder.migrator(db.postgresUrl() + "_missing").build();
            assertThatThrownBy(migrator::deploy).isInstanceOfSatisfying(TidemarkException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.DATABASE_NOT_FOUND);
                assertThat(e.getMessage()).contains(db.name() + "_missing", "does not exist");
            });
        }
    }

    /**
     * Needs a server that checks passwords for the role {@code tidemark_password_test}; .ci/run configures the local
     * server so, and the test is skipped where every login is trusted.
     */
    @Test
    void aWrongPasswordIsExplainedWithoutEchoingIt() throws Exception {
        try (TestDatabase db = TestDatabase.create(getClass())) {
            Sql.execute(db, "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'tidemark_password_test')"
                    + " THEN CREATE ROLE tidemark_password_test LOGIN PASSWORD 'right-password'; END IF; END $$");
            assumeTrue(passwordsAreChecked(db), "the server trusts every login; run .ci/run's pg_hba setup");

            MigrationsFolder folder = MigrationsFolder.in(dir).add("01_init", "CREATE TABLE a (id int);");
            Migrator migrator = folder.migrator("postgresql://tidemark_password_test:" + SECRET + "@" + db.host()
                    + ":" + db.port() + "/" + db.name()).build();
            String logs = Stderr.capture(() -> assertThatThrownBy(migrator::deploy)
                    .isInstanceOfSatisfying(TidemarkException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
                        assertThat(e.getMessage()).contains("[TM1000]", "tidemark_password_test", "password")
                                .doesNotContain(SECRET);
                    }));
            assertThat(logs).doesNotContain(SECRET);
        }
    }

    /** As above: the server must ask this role for a password, else the test is skipped. */
    @Test
    void aMissingPasswordIsAnAuthenticationErrorAndIsNotRetried() throws Exception {
        try (TestDatabase db = TestDatabase.create(getClass())) {
            Sql.execute(db, "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'tidemark_password_test')"
                    + " THEN CREATE ROLE tidemark_password_test LOGIN PASSWORD 'right-password'; END IF; END $$");
            assumeTrue(passwordsAreChecked(db), "the server trusts every login; run .ci/run's pg_hba setup");

            MigrationsFolder folder = MigrationsFolder.in(dir).add("01_init", "CREATE TABLE a (id int);");
            Migrator migrator = folder.migrator("postgresql://tidemark_password_test@" + db.host() + ":" + db.port()
                    + "/" + db.name()).connectWait(Duration.ofSeconds(30)).build();
            String logs = Stderr.capture(() -> assertThatThrownBy(migrator::deploy)
                    .isInstanceOfSatisfying(TidemarkException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
                        assertThat(e.getMessage()).contains("[TM1000]", "tidemark_password_test",
                                "asks for a password, and none was given").doesNotContain("reachable");
                    }));
            // not retried: a missing password does not appear by waiting
            assertThat(logs).doesNotContain("not reachable yet");
        }
    }

    @Test
    void anUnknownHostIsNamed() {
        MigrationsFolder folder = MigrationsFolder.in(dir).add("01_init", "CREATE TABLE a (id int);");
        Migrator migrator = folder.migrator("postgresql://app:" + SECRET + "@db-typo.invalid:5432/app").build();
        String logs = Stderr.capture(() -> assertThatThrownBy(migrator::deploy)
                .isInstanceOfSatisfying(TidemarkException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.DATABASE_UNREACHABLE);
                    assertThat(e.getMessage()).contains("the host 'db-typo.invalid' could not be resolved")
                            .doesNotContain(SECRET);
                }));
        assertThat(logs).doesNotContain(SECRET);
    }

    @Test
    void anAmbiguousUrlIsAConfigurationErrorThatShowsNoPartOfThePassword() {
        MigrationsFolder folder = MigrationsFolder.in(dir).add("01_init", "CREATE TABLE a (id int);");
        String logs = Stderr.capture(() -> assertThatThrownBy(
                () -> folder.migrator("postgresql://u:Zq7@Xk9:Vb3/Mn5@127.0.0.1/db").build().deploy())
                .isInstanceOfSatisfying(TidemarkException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION_INVALID);
                    assertThat(e.getMessage()).contains("postgresql://u:****@127.0.0.1/db", "percent-encode")
                            .doesNotContain("Zq7").doesNotContain("Xk9").doesNotContain("Vb3").doesNotContain("Mn5");
                }));
        assertThat(logs).doesNotContain("Xk9");
    }

    private static boolean passwordsAreChecked(TestDatabase db) {
        Properties props = new Properties();
        props.setProperty("user", "tidemark_password_test");
        props.setProperty("password", "certainly-wrong");
        try (Connection ignored = DriverManager.getConnection(db.jdbcUrl(), props)) {
            return false;
        } catch (SQLException e) {
            return "28P01".equals(e.getSQLState());
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
