package dev.tidemark;

import dev.tidemark.testdb.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The events a deploy sends its listeners, in order, for a deploy where one statement hits its lock timeout and is
 * retried and a later migration fails; the slow-migration warning; a contended migration lock; and a listener that
 * throws, which changes nothing. Every wait ends on an event the test saw, never on a clock.
 */
class MigrationListenerTests {

    private static final String FIRST = "20240101000000_create_a";
    private static final String BLOCKED = "20240102000000_add_note";
    private static final String BROKEN = "20240103000000_broken";

    @TempDir
    Path folder;

    @Test
    void eventsComeInOrderForALockRetryAndAFailure() throws Exception {
        Migrations.write(folder, FIRST, "CREATE TABLE a (id int);\n");
        Migrations.write(folder, BLOCKED, "-- waits for the test's lock once\nALTER TABLE orders ADD COLUMN note text;\n");
        Migrations.write(folder, BROKEN, "CREATE TABLE b (id int);\nSELECT 1 / 0;\n");
        try (TestDatabase db = TestDatabase.create(getClass()); Connection holder = db.connect()) {
            Sql.execute(db, "CREATE TABLE orders (id int)");
            int holderPid = holdAccessShare(holder, "orders");
            List<MigrationEvent> events = Collections.synchronizedList(new ArrayList<>());
            MigrationListener releaseOnRetry = event -> {
                if (event instanceof MigrationEvent.StatementLockRetry) {
                    commit(holder);
                }
            };
            Migrator migrator = Migrator.builder().url(db.postgresUrl()).location(folder.toString())
                    .lockTimeout(Duration.ofSeconds(2)).lockRetryBudget(Duration.ofSeconds(60))
                    .listener(events::add, releaseOnRetry).build();

            assertThatThrownBy(migrator::deploy).isInstanceOf(MigrationFailedException.class);

            assertThat(events).extracting(MigrationListenerTests::describe).containsExactly(
                    "deploy_started 3",
                    "migration_started " + FIRST,
                    "migration_finished " + FIRST + " 1",
                    "migration_started " + BLOCKED,
                    "statement_lock_retry " + BLOCKED + " line 2 attempt 1 after 2000 ms",
                    "migration_finished " + BLOCKED + " 1",
                    "migration_started " + BROKEN,
                    "migration_failed " + BROKEN + " TM3018",
                    "deploy_finished FAILED 2 TM3018");
            assertThat(events).allSatisfy(event -> assertThat(event.target()).isNull());
            MigrationEvent.StatementLockRetry retry = only(events, MigrationEvent.StatementLockRetry.class);
            assertThat(retry.blocker()).as("the blocker named by pg_blocking_pids").startsWith("pid " + holderPid);
            assertThat(retry.backoff()).isPositive();
            MigrationEvent.MigrationFailed failed = only(events, MigrationEvent.MigrationFailed.class);
            assertThat(failed.message()).contains(BROKEN, "division by zero");
            assertThat(failed.duration()).isPositive();
        }
    }

    @Test
    void aListenerThatThrowsChangesNothing() {
        Migrations.write(folder, FIRST, "CREATE TABLE a (id int);\n");
        Migrations.write(folder, BLOCKED, "CREATE TABLE orders (id int);\n");
        try (TestDatabase db = TestDatabase.create(getClass())) {
            List<MigrationEvent> events = Collections.synchronizedList(new ArrayList<>());
            MigrationListener broken = event -> {
                throw new IllegalStateException("listener bug on " + event.type());
            };
            DeployResult result = Migrator.builder().url(db.postgresUrl()).location(folder.toString())
                    .listener(broken, events::add).build().deploy();

            assertThat(result.applied()).extracting(AppliedMigration::name).containsExactly(FIRST, BLOCKED);
            assertThat(Sql.value(db, "SELECT count(*) FROM _prisma_migrations WHERE finished_at IS NOT NULL"))
                    .isEqualTo(2L);
            assertThat(events).extracting(MigrationListenerTests::describe).containsExactly(
                    "deploy_started 2",
                    "migration_started " + FIRST, "migration_finished " + FIRST + " 1",
                    "migration_started " + BLOCKED, "migration_finished " + BLOCKED + " 1",
                    "deploy_finished APPLIED 2 null");
        }
    }

    @Test
    void aMigrationOutlastingTheWarningIsReportedOnceWhileItRuns() throws Exception {
        Migrations.write(folder, BLOCKED, "ALTER TABLE orders ADD COLUMN note text;\n");
        try (TestDatabase db = TestDatabase.create(getClass()); Connection holder = db.connect()) {
            Sql.execute(db, "CREATE TABLE orders (id int)");
            holdAccessShare(holder, "orders");
            List<MigrationEvent> events = Collections.synchronizedList(new ArrayList<>());
            // The migration waits for the test's lock (no lock_timeout) until the warning has been seen.
            MigrationListener releaseWhenSlow = event -> {
                if (event instanceof MigrationEvent.SlowMigration) {
                    commit(holder);
                }
            };
            Migrator.builder().url(db.postgresUrl()).location(folder.toString()).lockTimeout(Duration.ZERO)
                    .slowMigrationWarning(Duration.ofMillis(300)).listener(events::add, releaseWhenSlow).build()
                    .deploy();

            assertThat(events).extracting(MigrationListenerTests::describe).containsExactly(
                    "deploy_started 1",
                    "migration_started " + BLOCKED,
                    "slow_migration " + BLOCKED,
                    "migration_finished " + BLOCKED + " 1",
                    "deploy_finished APPLIED 1 null");
            assertThat(only(events, MigrationEvent.SlowMigration.class).running())
                    .isGreaterThanOrEqualTo(Duration.ofMillis(300));
        }
    }

    @Test
    void aContendedMigrationLockIsReportedWithItsHolder() throws Exception {
        Migrations.write(folder, FIRST, "CREATE TABLE a (id int);\n");
        try (TestDatabase db = TestDatabase.create(getClass()); Connection prisma = db.connect();
                Statement s = prisma.createStatement()) {
            s.execute("SELECT pg_advisory_lock(72707369)"); // as Prisma Migrate takes it
            int pid = pid(prisma);
            List<MigrationEvent> events = Collections.synchronizedList(new ArrayList<>());
            Migrator migrator = Migrator.builder().url(db.postgresUrl()).location(folder.toString())
                    .lockWait(Duration.ZERO).listener(events::add).build();

            assertThatThrownBy(migrator::deploy).isInstanceOf(LockTimeoutException.class);

            assertThat(events).extracting(MigrationListenerTests::describe).containsExactly(
                    "lock_waited false", "deploy_finished FAILED 0 TM1002");
            assertThat(only(events, MigrationEvent.LockWaited.class).blocker()).startsWith("pid " + pid);
        }
    }

    @Test
    void aFleetNamesEachTargetInItsEvents() {
        Migrations.write(folder, FIRST, "CREATE TABLE a (id int);\n");
        try (TestDatabase db = TestDatabase.create(getClass())) {
            Sql.execute(db, "CREATE SCHEMA tenant_1; CREATE SCHEMA tenant_2");
            List<MigrationEvent> events = Collections.synchronizedList(new ArrayList<>());
            FleetResult result = Fleet.builder().schemas(db.postgresUrl(), "tenant_*").parallel(2)
                    .migrator(m -> m.location(folder.toString()).listener(events::add)).build().deploy();

            assertThat(result.allUpToDate()).isTrue();
            List<String> names = result.targets().stream().map(FleetResult.Target::name).toList();
            assertThat(names).hasSize(2);
            for (String name : names) {
                assertThat(events.stream().filter(e -> name.equals(e.target())).map(MigrationEvent::type))
                        .containsExactly("deploy_started", "migration_started", "migration_finished",
                                "deploy_finished");
            }
            assertThat(events).hasSize(8);
        }
    }

    private static String describe(MigrationEvent event) {
        String rest;
        if (event instanceof MigrationEvent.DeployStarted e) {
            rest = String.valueOf(e.pending());
        } else if (event instanceof MigrationEvent.MigrationStarted e) {
            rest = e.migration();
        } else if (event instanceof MigrationEvent.MigrationFinished e) {
            rest = e.migration() + " " + e.statements();
        } else if (event instanceof MigrationEvent.MigrationFailed e) {
            rest = e.migration() + " " + e.code().id();
        } else if (event instanceof MigrationEvent.StatementLockRetry e) {
            rest = e.migration() + " line " + e.line() + " attempt " + e.attempt() + " after "
                    + e.lockTimeout().toMillis() + " ms";
        } else if (event instanceof MigrationEvent.SlowMigration e) {
            rest = e.migration();
        } else if (event instanceof MigrationEvent.LockWaited e) {
            rest = String.valueOf(e.acquired());
        } else if (event instanceof MigrationEvent.DeployFinished e) {
            rest = e.outcome() + " " + e.applied() + " " + (e.code() == null ? null : e.code().id());
        } else {
            throw new AssertionError(event);
        }
        return event.type() + " " + rest;
    }

    private static <T extends MigrationEvent> T only(List<MigrationEvent> events, Class<T> type) {
        List<T> found = events.stream().filter(type::isInstance).map(type::cast).toList();
        assertThat(found).hasSize(1);
        return found.get(0);
    }

    /** Opens a transaction on {@code connection} holding ACCESS SHARE on {@code table}; returns its backend pid. */
    private static int holdAccessShare(Connection connection, String table) throws SQLException {
        connection.setAutoCommit(false);
        try (Statement s = connection.createStatement()) {
            s.executeQuery("SELECT count(*) FROM " + table).close();
        }
        return pid(connection);
    }

    private static int pid(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static void commit(Connection connection) {
        try {
            connection.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
