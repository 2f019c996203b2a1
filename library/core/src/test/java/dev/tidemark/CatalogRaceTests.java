package dev.tidemark;

import dev.tidemark.testdb.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Two deployers of one database creating the same database-wide object at once: an extension belongs to the
 * database, not to a schema, so every tenant of a fleet runs umami's {@code CREATE EXTENSION IF NOT EXISTS}. The
 * deployer whose statement was in flight when the other committed fails with a unique violation on pg_extension;
 * Tidemark runs it again, and then it sees the extension.
 */
class CatalogRaceTests {

    private static final String MIGRATION = "20240101000000_init";

    @TempDir
    Path dir;

    @Test
    void aTransactionalMigrationThatLosesTheRaceRunsAgainAndIsApplied() throws Exception {
        String logs = appliedAfterTheRace("CREATE EXTENSION IF NOT EXISTS pgcrypto;\n"
                + "CREATE TABLE account (id uuid PRIMARY KEY DEFAULT gen_random_uuid());\n", 2);
        assertThat(logs).contains(MIGRATION + ": the statement at " + dir.resolve(MIGRATION + "/migration.sql")
                + ":1 created a database object at the same time as another session", "pg_catalog.pg_extension",
                "Rolled back; running the migration again");
    }

    @Test
    void anAutocommitStatementThatLosesTheRaceRunsAgainAndIsApplied() throws Exception {
        String logs = appliedAfterTheRace("-- tidemark:transaction=none\n"
                + "CREATE EXTENSION IF NOT EXISTS pgcrypto;\n"
                + "CREATE TABLE account (id uuid PRIMARY KEY DEFAULT gen_random_uuid());\n", 2);
        assertThat(logs).contains(":2 created a database object at the same time as another session",
                "Rolled back; running the statement again");
    }

    /** Losing the race without IF NOT EXISTS runs it again too, and then fails as it should: the object exists. */
    @Test
    void withoutIfNotExistsTheRunAgainReportsThatTheExtensionExists() throws Exception {
        try (TestDatabase db = TestDatabase.create(getClass())) {
            Race race = raceAgainstARival(db, "CREATE EXTENSION pgcrypto;\n");
            assertThat(race.failure()).isInstanceOfSatisfying(MigrationFailedException.class, e -> {
                assertThat(e.sqlState()).isEqualTo("42710");
                assertThat(e.serverMessage()).isEqualTo("extension \"pgcrypto\" already exists");
                assertThat(e.line()).isEqualTo(1);
            });
        }
    }

    /** Eight tenants of one database deploying the same first migration at once, on eight workers. */
    @Test
    void aFleetOfTenantsCreatingOneExtensionAllSucceed() {
        try (TestDatabase db = TestDatabase.create(getClass())) {
            assumeTrue(pgcryptoAvailable(db), "the pgcrypto extension is not available on this server");
            StringBuilder schemas = new StringBuilder();
            for (int i = 0; i < 8; i++) {
                schemas.append("CREATE SCHEMA tenant_").append(i).append(';');
            }
            Sql.execute(db, schemas.toString());
            MigrationsFolder folder = MigrationsFolder.in(dir).add(MIGRATION, "CREATE EXTENSION IF NOT EXISTS"
                    + " pgcrypto;\nCREATE TABLE account (id uuid PRIMARY KEY DEFAULT gen_random_uuid());\n");

            FleetResult result = Fleet.builder().schemas(db.postgresUrl(), "tenant_*").parallel(8)
                    .migrator(m -> m.location(folder.path().toString())).build().deploy();

            assertThat(result.targets()).hasSize(8).allSatisfy(t -> {
                assertThat(t.state()).isEqualTo(FleetResult.State.APPLIED);
                assertThat(Sql.tableExists(db, t.name().replaceAll(".*/", "") + ".account")).isTrue();
            });
            assertThat(Sql.value(db, "SELECT count(*) FROM pg_extension WHERE extname = 'pgcrypto'")).isEqualTo(1L);
        }
    }

    /** How a deploy that raced the rival ended: its result, or what it threw; and what was logged meanwhile. */
    private record Race(DeployResult result, Throwable failure, String logs) {
    }

    /**
     * Races {@code sql} against the rival ({@link #raceAgainstARival}), then checks that it was applied and recorded as
     * Prisma records a success, with {@code statements} statements. Returns what was logged.
     */
    private String appliedAfterTheRace(String sql, int statements) throws Exception {
        try (TestDatabase db = TestDatabase.create(getClass())) {
            Race race = raceAgainstARival(db, sql);
            assertThat(race.failure()).isNull();
            assertThat(race.result().applied()).singleElement().satisfies(m -> {
                assertThat(m.name()).isEqualTo(MIGRATION);
                assertThat(m.statements()).isEqualTo(statements);
            });
            assertThat(Sql.tableExists(db, "tenant_b.account")).isTrue();
            assertThat(Sql.query(db, "SELECT applied_steps_count, logs IS NULL, finished_at IS NOT NULL FROM"
                    + " tenant_b._prisma_migrations")).containsExactly(List.of(statements, true, true));
            return race.logs();
        }
    }

    /**
     * Holds a rival transaction that created pgcrypto, starts a deploy of {@code sql} into schema tenant_b, and
     * commits the rival once the deploy's CREATE EXTENSION waits for it.
     */
    private Race raceAgainstARival(TestDatabase db, String sql) throws Exception {
        assumeTrue(pgcryptoAvailable(db), "the pgcrypto extension is not available on this server");
        MigrationsFolder.in(dir).add(MIGRATION, sql);
        Migrator migrator = migrator(db);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Connection rival = db.connect(); Statement rivalSql = rival.createStatement()) {
            rival.setAutoCommit(false);
            rivalSql.execute("CREATE EXTENSION IF NOT EXISTS pgcrypto");
            DeployResult[] result = new DeployResult[1];
            Throwable[] failure = new Throwable[1];
            String logs = Stderr.capture(() -> {
                try {
                    Future<DeployResult> deploy = pool.submit(migrator::deploy);
                    awaitWaitingOnTheRival(db);
                    rival.commit();
                    result[0] = deploy.get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    failure[0] = e.getCause();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            return new Race(result[0], failure[0], logs);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Lock timeouts off: the deploy waits for the rival as long as the test takes to commit it. */
    private Migrator migrator(TestDatabase db) {
        Sql.execute(db, "CREATE SCHEMA IF NOT EXISTS tenant_b");
        return Migrator.builder().dataSource(db.dataSource()).schema("tenant_b").location(dir.toString())
                .lockTimeout(Duration.ZERO).build();
    }

    private static void awaitWaitingOnTheRival(TestDatabase db) throws InterruptedException {
        for (int i = 0; i < 3_000; i++) {
            if (!Sql.value(db, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                    + " AND wait_event_type = 'Lock' AND query LIKE 'CREATE EXTENSION%'").equals(0L)) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the deploy's CREATE EXTENSION never waited for the rival's transaction");
    }

    private static boolean pgcryptoAvailable(TestDatabase db) {
        return Sql.value(db, "SELECT count(*) FROM pg_available_extensions WHERE name = 'pgcrypto'").equals(1L);
    }
}
