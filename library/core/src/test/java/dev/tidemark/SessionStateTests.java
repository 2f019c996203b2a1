package dev.tidemark;

import dev.tidemark.testdb.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every migration starts from the same session state (search_path, role, timeouts) and with the migration lock held,
 * whatever the previous migration did to its session.
 */
class SessionStateTests {

    /** Records whether this session holds the migration lock, from inside a migration. */
    private static final String RECORD_LOCK = "CREATE TABLE lock_seen AS SELECT count(*) AS held"
            + " FROM pg_catalog.pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND classid = 0"
            + " AND objid = 72707369 AND objsubid = 1 AND granted;\n";

    @TempDir
    Path dir;

    @Test
    void aSearchPathSetByOneMigrationDoesNotMoveTheNextMigrationsTables() {
        MigrationsFolder folder = MigrationsFolder.in(dir)
                .add("20240101000000_elsewhere", "CREATE SCHEMA other;\nSET search_path = other;\n")
                .add("20240102000000_next", "CREATE TABLE next_table (id int);\n");
        try (TestDatabase db = TestDatabase.create(getClass())) {
            Sql.execute(db, "CREATE SCHEMA app");
            folder.migrator(db.postgresUrl() + "?schema=app").build().deploy();

            assertThat(Sql.tableExists(db, "app.next_table")).isTrue();
            assertThat(Sql.tableExists(db, "other.next_table")).isFalse();
            assertThat(Sql.value(db, "SELECT count(*) FROM app._prisma_migrations WHERE finished_at IS NOT NULL"))
                    .isEqualTo(2L);
        }
    }

    @Test
    void resetAllDoesNotSendTablesToPublicWithAUrl() {
        MigrationsFolder folder = MigrationsFolder.in(dir)
                .add("20240101000000_reset", "RESET ALL;\nCREATE TABLE after_reset (id int);\n")
                .add("20240102000000_next", "CREATE TABLE next_table (id int);\n");
        try (TestDatabase db = TestDatabase.create(getClass())) {
            Sql.execute(db, "CREATE SCHEMA app");
            folder.migrator(db.postgresUrl() + "?schema=app").build().deploy();

            // With a URL the target schema is a connection startup setting, which RESET restores.
            assertThat(Sql.tableExists(db, "app.after_reset")).isTrue();
            assertThat(Sql.tableExists(db, "app.next_table")).isTrue();
            assertThat(Sql.tableExists(db, "public.after_reset")).isFalse();
            assertThat(Sql.tableExists(db, "public.next_table")).isFalse();
        }
    }

    @Test
    void resetAllDoesNotSendTheNextMigrationsTablesToPublicWithADataSource() {
        MigrationsFolder folder = MigrationsFolder.in(dir)
                .add("20240101000000_reset", "RESET ALL;\n")
                .add("20240102000000_next", "CREATE TABLE next_table (id int);\n");
        try (TestDatabase db = TestDatabase.create(getClass())) {
            Sql.execute(db, "CREATE SCHEMA app");
            Migrator.builder().dataSource(db.dataSource()).schema("app").location(folder.path().toString()).build()
                    .deploy();

            assertThat(Sql.tableExists(db, "app.next_table")).isTrue();
            assertThat(Sql.tableExists(db, "public.next_table")).isFalse();
            assertThat(Sql.value(db, "SELECT count(*) FROM app._prisma_migrations WHERE finished_at IS NOT NULL"))
                    .isEqualTo(2L);
        }
    }

    @Test
    void aRoleSetByOneMigrationIsNotTheRoleOfTheNext() throws Exception {
        String role = "tm_session_role_" + UUID.randomUUID().toString().substring(0, 8);
        MigrationsFolder folder = MigrationsFolder.in(dir)
                .add("20240101000000_as_role", "SET ROLE " + role + ";\n")
                .add("20240102000000_next", "CREATE TABLE next_table (id int);\n"
                        + "CREATE TABLE who AS SELECT current_user::text AS name;\n");
        try (TestDatabase db = TestDatabase.create(getClass())) {
            // The role has no rights on the schema or the history table, so running as it would be seen at once.
            Sql.execute(db, "CREATE ROLE " + role + " NOLOGIN; GRANT " + role + " TO CURRENT_USER");
            try {
                folder.migrator(db.postgresUrl()).build().deploy();

                assertThat(Sql.value(db, "SELECT name FROM who")).isEqualTo(db.user());
                assertThat(Sql.value(db, "SELECT tableowner FROM pg_tables WHERE tablename = 'next_table'"))
                        .isEqualTo(db.user());
                assertThat(Sql.value(db, "SELECT count(*) FROM _prisma_migrations WHERE finished_at IS NOT NULL"))
                        .isEqualTo(2L);
            } finally {
                Sql.execute(db, "DROP ROLE " + role);
            }
        }
    }

    @Test
    void theCallersSessionSettingsAreRestoredAfterADeploy() throws Exception {
        MigrationsFolder folder = MigrationsFolder.in(dir)
                .add("20240101000000_settings", "SET search_path = pg_catalog;\nSET lock_timeout = '9s';\n"
                        + "SET statement_timeout = '8s';\n");
        try (TestDatabase db = TestDatabase.create(getClass()); Connection own = db.connect()) {
            try (Statement s = own.createStatement()) {
                s.execute("SET search_path = public, pg_temp; SET lock_timeout = '1min'; SET statement_timeout = 0");
            }
            javax.sql.DataSource dataSource = lending(own);
            Migrator.builder().dataSource(dataSource).location(folder.path().toString()).build().deploy();

            try (Statement s = own.createStatement(); ResultSet rs = s.executeQuery("SELECT"
                    + " current_setting('search_path'), current_setting('lock_timeout'),"
                    + " current_setting('statement_timeout')")) {
                rs.next();
                assertThat(List.of(rs.getString(1), rs.getString(2), rs.getString(3)))
                        .containsExactly("public, pg_temp", "1min", "0");
            }
        }
    }

    @Test
    void aMigrationThatReleasesTheLockDoesNotLeaveTheNextOneUnlocked() {
        MigrationsFolder folder = MigrationsFolder.in(dir)
                .add("20240101000000_unlock_all", "SELECT pg_advisory_unlock_all();\n")
                .add("20240102000000_check", RECORD_LOCK)
                .add("20240103000000_unlock_key", "-- tidemark:transaction=none\n"
                        + "SELECT pg_advisory_unlock(72707369);\n")
                .add("20240104000000_check_again", RECORD_LOCK.replace("lock_seen", "lock_seen_again"));
        try (TestDatabase db = TestDatabase.create(getClass())) {
            DeployResult result = folder.migrator(db.postgresUrl()).build().deploy();

            assertThat(result.applied()).hasSize(4);
            assertThat(Sql.value(db, "SELECT held FROM lock_seen")).isEqualTo(1L);
            assertThat(Sql.value(db, "SELECT held FROM lock_seen_again")).isEqualTo(1L);
        }
    }

    /**
     * The check after each batched migration releases and retakes each session-level hold under a transaction-level
     * one: after many migrations, one of them giving up the schema's key, the deployer's connection holds the lock
     * exactly once during each migration and not at all after the deploy, and the migration that gave up the key
     * did not keep it given up.
     */
    @Test
    void theLockCheckLeavesExactlyOneHoldOfEachKey() throws Exception {
        String bothKeys = " FROM pg_catalog.pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()"
                + " AND granted AND ((classid = 0 AND objid = 72707369 AND objsubid = 1 AND mode = 'ShareLock')"
                + " OR (classid = 72707369 AND objsubid = 2 AND mode = 'ExclusiveLock'))";
        MigrationsFolder folder = MigrationsFolder.in(dir);
        for (int i = 1; i <= 5; i++) {
            folder.add("2024010" + i + "000000_m" + i, "CREATE TABLE t" + i + " (id int);\n");
        }
        folder.add("20240106000000_give_up_key", "CREATE TABLE t6 (id int);\n"
                + "SELECT pg_advisory_unlock(72707369, pg_catalog.hashtext('public'));\n")
                .add("20240107000000_after", "CREATE TABLE keys_seen AS SELECT count(*) AS held" + bothKeys + ";\n");
        try (TestDatabase db = TestDatabase.create(getClass()); Connection own = db.connect()) {
            javax.sql.DataSource dataSource = lending(own);

            DeployResult result = Migrator.builder().dataSource(dataSource).location(folder.path().toString())
                    .build().deploy();

            assertThat(result.applied()).hasSize(7);
            assertThat(Sql.value(db, "SELECT held FROM keys_seen")).isEqualTo(2L);
            try (Statement s = own.createStatement(); ResultSet rs = s.executeQuery("SELECT (SELECT count(*)"
                    + bothKeys + "), pg_advisory_unlock_shared(72707369),"
                    + " pg_advisory_unlock(72707369, hashtext('public'))")) {
                rs.next();
                assertThat(rs.getLong(1)).as("holds left after the deploy").isZero();
                assertThat(rs.getBoolean(2)).as("a second hold of Prisma's key").isFalse();
                assertThat(rs.getBoolean(3)).as("a second hold of the schema's key").isFalse();
            }
        }
    }

    @Test
    void aDeployerWhoseLockWasTakenByAnotherStopsAndRollsBack() throws Exception {
        MigrationsFolder folder = MigrationsFolder.in(dir)
                .add("20240101000000_unlock", "CREATE TABLE first_table (id int);\n"
                        + "SELECT pg_advisory_unlock_all();\nSELECT pg_sleep(1.5);\n")
                .add("20240102000000_next", "CREATE TABLE next_table (id int);\n");
        try (TestDatabase db = TestDatabase.create(getClass()); Connection other = db.connect()) {
            Migrator migrator = folder.migrator(db.postgresUrl()).build();
            CompletableFuture<DeployResult> deploy = CompletableFuture.supplyAsync(migrator::deploy);
            // Another deployer: once the first holds the lock, it polls for it the way a waiting deployer does.
            boolean taken = false;
            try (Statement s = other.createStatement()) {
                while (!taken && !deploy.isDone()) {
                    try (ResultSet rs = s.executeQuery("SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_locks"
                            + " WHERE locktype = 'advisory' AND objid = 72707369 AND granted AND database ="
                            + " (SELECT oid FROM pg_database WHERE datname = current_database()))")) {
                        rs.next();
                        if (rs.getBoolean(1)) {
                            break;
                        }
                    }
                    Thread.sleep(5);
                }
                while (!taken && !deploy.isDone()) {
                    try (ResultSet rs = s.executeQuery("SELECT pg_try_advisory_lock(72707369)")) {
                        rs.next();
                        taken = rs.getBoolean(1);
                    }
                    Thread.sleep(10);
                }
            }

            assertThat(taken).as("the other deployer got the lock the migration released").isTrue();
            assertThatThrownBy(() -> deploy.get(60, TimeUnit.SECONDS)).hasCauseInstanceOf(TidemarkException.class)
                    .cause().satisfies(cause -> {
                        TidemarkException e = (TidemarkException) cause;
                        assertThat(e.code()).isEqualTo(ErrorCode.LOCK_LOST);
                        assertThat(e.getMessage()).contains("20240101000000_unlock", "pg_advisory_unlock",
                                "rolled back");
                    });
            assertThat(Sql.tableExists(db, "public.first_table")).isFalse();
            assertThat(Sql.tableExists(db, "public.next_table")).isFalse();
            assertThat(Sql.value(db, "SELECT count(*) FROM _prisma_migrations")).isEqualTo(0L);
        }
    }

    /** A DataSource lending {@code own} as a pool lends a connection: close() gives it back open, as it was. */
    private static javax.sql.DataSource lending(Connection own) {
        Connection borrowed = (Connection) java.lang.reflect.Proxy.newProxyInstance(
                SessionStateTests.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> method.getName().equals("close") ? null : method.invoke(own, args));
        return (javax.sql.DataSource) java.lang.reflect.Proxy.newProxyInstance(SessionStateTests.class.getClassLoader(),
                new Class<?>[] {javax.sql.DataSource.class},
                (proxy, method, args) -> method.getName().equals("getConnection") ? borrowed : null);
    }
}
