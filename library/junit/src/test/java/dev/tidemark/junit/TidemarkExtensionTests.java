package dev.tidemark.junit;

import dev.tidemark.testdb.TestDatabase;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

/**
 * Runs fixture test classes through the JUnit Platform launcher, to check what one test cannot see from inside:
 * parallel tests are isolated, databases are dropped when the run ends, and container tests are skipped without
 * Docker.
 */
class TidemarkExtensionTests {

    static final Set<String> databases = ConcurrentHashMap.newKeySet();
    static final AtomicInteger running = new AtomicInteger();
    static final AtomicInteger maxRunning = new AtomicInteger();
    /** The first two parallel tests wait for each other while both hold their database, so they overlap for sure. */
    static volatile CountDownLatch overlap = new CountDownLatch(2);

    @Test
    void parallelTestsGetADatabaseEachAndAllAreDroppedAfterTheRun() throws SQLException {
        databases.clear();
        maxRunning.set(0);
        overlap = new CountDownLatch(2);
        Map<String, Result> results = run(Map.of(
                "junit.jupiter.execution.parallel.enabled", "true",
                "junit.jupiter.execution.parallel.config.strategy", "fixed",
                "junit.jupiter.execution.parallel.config.fixed.parallelism", "4"), ParallelFixture.class);

        assertThat(results.values()).hasSize(8).allSatisfy(r -> assertThat(r.status).isEqualTo("SUCCESSFUL"));
        assertThat(maxRunning.get()).as("tests overlapped").isGreaterThan(1);
        assertThat(databases).hasSizeBetween(2, 4);
        assertThat(existing(databases)).as("dropped after the run").isEmpty();
    }

    @Test
    void aClassThatChangesTheSchemaGetsADatabaseOfItsOwn() throws SQLException {
        databases.clear();
        Map<String, Result> results = run(Map.of(), SchemaChangingFixture.class, UnchangedSchemaFixture.class);

        assertThat(results.values()).hasSize(3).allSatisfy(r -> assertThat(r.status).isEqualTo("SUCCESSFUL"));
        assertThat(databases).hasSize(2);
        assertThat(existing(databases)).isEmpty();
    }

    @Test
    void aTestThatBreaksTheSchemaDoesNotBreakTheNextOne() throws SQLException {
        databases.clear();
        Map<String, Result> results = run(Map.of(), SchemaBreakingFixture.class);

        assertThat(results.values()).hasSize(2).allSatisfy(r -> assertThat(r.status).isEqualTo("SUCCESSFUL"));
        assertThat(databases).as("the broken database was replaced").hasSize(2);
        assertThat(existing(databases)).isEmpty();
    }

    @Test
    void containerTestsAreSkippedNotFailedWithoutDocker() {
        Map<String, Result> results = run(Map.of(), TidemarkContainersTests.class);

        Result result = results.get("[engine:junit-jupiter]/[class:" + TidemarkContainersTests.class.getName() + "]");
        if (TestDatabase.dockerAvailable()) {
            assertThat(results.values()).allSatisfy(r -> assertThat(r.status).isEqualTo("SUCCESSFUL"));
        } else {
            assertThat(result.status).isEqualTo("SKIPPED");
            assertThat(result.detail).isEqualTo(DockerCondition.SKIPPED);
            assertThat(results).hasSize(1);
        }
    }

    @Test
    void aStaticFieldWithPerMethodResetIsAConfigurationError() {
        Map<String, Result> results = run(Map.of(), StaticFieldFixture.class);

        assertThat(results.values()).anySatisfy(r -> {
            assertThat(r.status).isEqualTo("FAILED");
            assertThat(r.detail).contains("@Migrated field", "is static", "reset = PER_CLASS");
        });
    }

    // ---- Fixtures: run only through run(), not by the build's own test run ----

    @Fixture
    @TidemarkTest
    @Execution(ExecutionMode.CONCURRENT)
    static class ParallelFixture {

        @Migrated
        MigratedDatabase database;

        void isolated(int n) throws InterruptedException {
            int now = running.incrementAndGet();
            maxRunning.accumulateAndGet(now, Math::max);
            try {
                databases.add(database.name());
                DataSource dataSource = database.dataSource();
                assertThat(Sql.scalar(dataSource, "SELECT count(*) FROM \"Account\"")).isEqualTo("1");
                Sql.execute(dataSource, "INSERT INTO \"Account\" (email) VALUES ('t" + n + "@example.com')");
                overlap.countDown();
                assertThat(overlap.await(60, TimeUnit.SECONDS)).as("another test ran at the same time").isTrue();
                assertThat(Sql.query(dataSource, "SELECT email FROM \"Account\" ORDER BY id"))
                        .containsExactly("admin@example.com", "t" + n + "@example.com");
            } finally {
                running.decrementAndGet();
            }
        }

        @Test void t1() throws Exception { isolated(1); }
        @Test void t2() throws Exception { isolated(2); }
        @Test void t3() throws Exception { isolated(3); }
        @Test void t4() throws Exception { isolated(4); }
        @Test void t5() throws Exception { isolated(5); }
        @Test void t6() throws Exception { isolated(6); }
        @Test void t7() throws Exception { isolated(7); }
        @Test void t8() throws Exception { isolated(8); }
    }

    @Fixture
    @TidemarkTest(reset = Reset.NEW_DATABASE_PER_CLASS)
    static class SchemaChangingFixture {

        @Test
        void addsAColumn(MigratedDatabase database) {
            databases.add(database.name());
            Sql.execute(database.dataSource(), "ALTER TABLE \"Account\" ADD COLUMN nickname text");
            assertThat(Sql.scalar(database.dataSource(), "SELECT count(*) FROM \"Account\"")).isEqualTo("1");
        }
    }

    @Fixture
    @TidemarkTest
    static class UnchangedSchemaFixture {

        @Test
        void doesNotSeeTheColumn(MigratedDatabase database) {
            databases.add(database.name());
            assertThat(Sql.scalar(database.dataSource(), "SELECT count(*) FROM information_schema.columns"
                    + " WHERE table_name = 'Account' AND column_name = 'nickname'")).isEqualTo("0");
        }

        @Test
        void seesTheSeedRows(DataSource dataSource) {
            assertThat(Sql.scalar(dataSource, "SELECT count(*) FROM \"Tag\"")).isEqualTo("1");
        }
    }

    @Fixture
    @TidemarkTest
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class SchemaBreakingFixture {

        @Test
        @Order(1)
        void dropsATable(MigratedDatabase database) {
            databases.add(database.name());
            Sql.execute(database.dataSource(), "DROP TABLE \"Tag\"");
        }

        @Test
        @Order(2)
        void stillFindsTheTable(MigratedDatabase database) {
            databases.add(database.name());
            assertThat(Sql.query(database.dataSource(), "SELECT name FROM \"Tag\"")).containsExactly("inbox");
        }
    }

    @Fixture
    @TidemarkTest
    static class StaticFieldFixture {

        @Migrated
        static DataSource dataSource;

        @Test
        void never() {
        }
    }

    /** Runs the class only when launched by {@link #run}. */
    @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
    @ExtendWith(FixtureCondition.class)
    @interface Fixture {
    }

    static final class FixtureCondition implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return context.getConfigurationParameter("tidemark.fixtures").isPresent()
                    ? ConditionEvaluationResult.enabled("launched as a fixture")
                    : ConditionEvaluationResult.disabled("a fixture of TidemarkExtensionTests");
        }
    }

    record Result(String status, String detail) {
    }

    static Map<String, Result> run(Map<String, String> configuration, Class<?>... classes) {
        LauncherDiscoveryRequest request = request()
                .selectors(java.util.Arrays.stream(classes).map(c -> selectClass(c)).toList())
                .configurationParameters(configuration)
                .configurationParameter("tidemark.fixtures", "true")
                .build();
        Map<String, Result> results = new ConcurrentHashMap<>();
        Launcher launcher = LauncherFactory.create();
        launcher.execute(request, new TestExecutionListener() {
            @Override
            public void executionSkipped(TestIdentifier test, String reason) {
                results.put(test.getUniqueId(), new Result("SKIPPED", reason));
            }

            @Override
            public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                if (test.getUniqueId().contains("[class:") && !test.isTest()
                        && result.getStatus() == TestExecutionResult.Status.SUCCESSFUL) {
                    return;
                }
                if (test.getUniqueId().contains("[class:") || test.isTest()) {
                    results.put(test.getUniqueId(), new Result(result.getStatus().name(),
                            result.getThrowable().map(Throwable::getMessage).orElse("")));
                }
            }
        });
        return results;
    }

    /** Which of the databases still exist on the server. */
    static Set<String> existing(Set<String> names) throws SQLException {
        Set<String> found = ConcurrentHashMap.newKeySet();
        try (TestDatabase probe = TestDatabase.create("probe"); Connection connection = probe.connect();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT datname FROM pg_database")) {
            while (rs.next()) {
                if (names.contains(rs.getString(1))) {
                    found.add(rs.getString(1));
                }
            }
        }
        return found;
    }
}
