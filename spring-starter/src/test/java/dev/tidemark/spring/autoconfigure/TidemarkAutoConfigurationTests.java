package dev.tidemark.spring.autoconfigure;

import dev.tidemark.ErrorCode;
import dev.tidemark.MigrationFailedException;
import dev.tidemark.Migrator;
import dev.tidemark.TidemarkException;
import dev.tidemark.spring.actuate.TidemarkEndpoint;
import dev.tidemark.spring.actuate.TidemarkEndpoint.MigrationReport;
import dev.tidemark.spring.autoconfigure.books.BooksConfiguration;
import dev.tidemark.testdb.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.boot.LazyInitializationBeanFactoryPostProcessor;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import javax.sql.DataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The auto-configuration in real application contexts against a real PostgreSQL database, one per test.
 */
class TidemarkAutoConfigurationTests {

    private static final List<String> MIGRATIONS = List.of("20250101090000_create_book",
            "20250102090000_add_book_isbn");

    private TestDatabase db;
    private ApplicationContextRunner runner;

    @BeforeEach
    void createDatabase() {
        db = TestDatabase.create(getClass());
        runner = new ApplicationContextRunner()
                .withConfiguration(Boot.autoConfigurations(Boot.DATA_SOURCE, Boot.JDBC_TEMPLATE))
                .withPropertyValues(dataSourceProperties(db));
    }

    @AfterEach
    void dropDatabase() {
        db.close();
    }

    @Test
    void migratesBeforeHibernateValidatesTheSchema() {
        new ApplicationContextRunner()
                .withConfiguration(Boot.autoConfigurations(Boot.DATA_SOURCE, Boot.JDBC_TEMPLATE, Boot.HIBERNATE))
                .withUserConfiguration(BooksConfiguration.class)
                .withPropertyValues(dataSourceProperties(db))
                .withPropertyValues("spring.jpa.hibernate.ddl-auto=validate")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    // The order is declared, not accidental: both JDBC users wait for the initializer.
                    for (String user : List.of("entityManagerFactory", "jdbcTemplate")) {
                        BeanDefinition definition = context.getBeanFactory().getBeanDefinition(user);
                        assertThat(definition.getDependsOn()).as(user).contains("tidemarkInitializer");
                    }
                    assertThat(context.getBean(TidemarkInitializer.class).startup().result().applied())
                            .extracting("name").containsExactlyElementsOf(MIGRATIONS);
                    assertThat(appliedMigrations()).containsExactlyElementsOf(MIGRATIONS);
                });
    }

    @Test
    void beansMarkedDependsOnDatabaseInitializationSeeTheMigratedSchema() {
        runner.withBean(BookCounter.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(BookCounter.class).booksAtStartup).isZero();
        });
    }

    /** Reads the migrated table while the context starts: only works if Tidemark ran first. */
    @DependsOnDatabaseInitialization
    static class BookCounter {

        final long booksAtStartup;

        BookCounter(DataSource dataSource) {
            this.booksAtStartup = new JdbcTemplate(dataSource).queryForObject("SELECT count(*) FROM book", Long.class);
        }
    }

    @Test
    void withoutTidemarkHibernateValidationFailsOnTheSameDatabase() {
        // Guards the test above: Hibernate does fail when the migrations have not run.
        new ApplicationContextRunner()
                .withConfiguration(Boot.autoConfigurations(Boot.DATA_SOURCE, Boot.JDBC_TEMPLATE, Boot.HIBERNATE))
                .withUserConfiguration(BooksConfiguration.class)
                .withPropertyValues(dataSourceProperties(db))
                .withPropertyValues("spring.jpa.hibernate.ddl-auto=validate", "tidemark.enabled=false")
                .run(context -> assertThat(context).hasFailed());
    }

    @Test
    void validateModeFailsStartupNamingPendingMigrationsAndAppliesNothing() {
        runner.withPropertyValues("tidemark.mode=validate").run(context -> {
            assertThat(context).hasFailed();
            TidemarkException failure = rootCause(context.getStartupFailure(), TidemarkException.class);
            assertThat(failure.code()).isEqualTo(ErrorCode.NOT_UP_TO_DATE);
            assertThat(failure.getMessage()).contains("pending: " + String.join(", ", MIGRATIONS));
            FailureAnalysis analysis = new TidemarkFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis.getDescription()).contains("20250101090000_create_book");
            assertThat(analysis.getAction()).contains("tidemark.mode=deploy");
        });
        assertThat(tableExists("_prisma_migrations")).isFalse();
        assertThat(tableExists("book")).isFalse();
    }

    @Test
    void validateModeStartsWhenTheDatabaseIsUpToDate() {
        runner.run(context -> assertThat(context).hasNotFailed());
        runner.withPropertyValues("tidemark.mode=validate").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(TidemarkInitializer.class).startup().action()).isEqualTo("validate");
        });
    }

    @Test
    void validateModeNamesTheOneMigrationStillPending() {
        runner.withPropertyValues("tidemark.locations=classpath:db/failing", "tidemark.mode=none")
                .run(context -> context.getBean(Migrator.class).resolveApplied("20250101090000_create_book"));
        runner.withPropertyValues("tidemark.mode=validate").run(context -> {
            TidemarkException failure = rootCause(context.getStartupFailure(), TidemarkException.class);
            assertThat(failure.getMessage()).contains("pending: 20250102090000_add_book_isbn")
                    .doesNotContain("pending: 20250101090000_create_book");
        });
    }

    @Test
    void disabledCreatesNothingAndRunsNothing() {
        runner.withPropertyValues("tidemark.enabled=false").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(Migrator.class);
            assertThat(context).doesNotHaveBean(TidemarkInitializer.class);
        });
        assertThat(tableExists("_prisma_migrations")).isFalse();
    }

    @Test
    void noneModeRunsNothingButKeepsTheMigrator() {
        runner.withPropertyValues("tidemark.mode=none").run(context -> {
            assertThat(context).hasSingleBean(Migrator.class);
            assertThat(context.getBean(Migrator.class).status().pending()).hasSize(2);
        });
        assertThat(tableExists("_prisma_migrations")).isFalse();
    }

    @Test
    void withoutDataSourceBacksOff() {
        new ApplicationContextRunner().withConfiguration(Boot.autoConfigurations())
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(Migrator.class));
    }

    @Test
    void migratesAsTheSeparateMigrationUser() {
        withOwnerAndAppRoles((owner, app) -> new ApplicationContextRunner()
                .withConfiguration(Boot.autoConfigurations(Boot.DATA_SOURCE, Boot.JDBC_TEMPLATE))
                .withPropertyValues("spring.datasource.url=" + db.jdbcUrl(), "spring.datasource.username=" + app,
                        "spring.datasource.password=app-secret", "tidemark.user=" + owner,
                        "tidemark.password=owner-secret"));
    }

    @Test
    void migrationUserFindsTheDatabaseThroughADataSourceWithoutSpringDatasourceUrl() {
        withOwnerAndAppRoles((owner, app) -> new ApplicationContextRunner()
                .withConfiguration(Boot.autoConfigurations(Boot.DATA_SOURCE, Boot.JDBC_TEMPLATE))
                .withBean(DataSource.class, () -> {
                    PGSimpleDataSource dataSource = new PGSimpleDataSource();
                    dataSource.setUrl(db.jdbcUrl());
                    dataSource.setUser(app);
                    dataSource.setPassword("app-secret");
                    return dataSource;
                })
                .withPropertyValues("tidemark.user=" + owner, "tidemark.password=owner-secret"));
    }

    /** Runs the application as role app (no CREATE right) with Tidemark as role owner, then drops both roles. */
    private void withOwnerAndAppRoles(BiFunction<String, String, ApplicationContextRunner> application) {
        String owner = "tm_owner_" + UUID.randomUUID().toString().substring(0, 8);
        String app = "tm_app_" + UUID.randomUUID().toString().substring(0, 8);
        execute("CREATE ROLE " + owner + " LOGIN PASSWORD 'owner-secret'",
                "CREATE ROLE " + app + " LOGIN PASSWORD 'app-secret'",
                "GRANT CREATE ON DATABASE \"" + db.name() + "\" TO " + owner,
                "GRANT CREATE ON SCHEMA public TO " + owner,
                "REVOKE CREATE ON SCHEMA public FROM PUBLIC");
        try {
            application.apply(owner, app).run(context -> {
                assertThat(context).hasNotFailed();
                // The application's own role could not have created these tables.
                assertThat(queryString("SELECT tableowner FROM pg_tables WHERE tablename = 'book'"))
                        .isEqualTo(owner);
                assertThat(queryString("SELECT tableowner FROM pg_tables WHERE tablename = '_prisma_migrations'"))
                        .isEqualTo(owner);
                assertThat(context.getBean(JdbcTemplate.class).queryForObject("SELECT current_user",
                        String.class)).isEqualTo(app);
            });
        } finally {
            execute("REASSIGN OWNED BY " + owner + " TO " + db.user(), "DROP OWNED BY " + owner,
                    "DROP OWNED BY " + app, "DROP ROLE " + owner, "DROP ROLE " + app);
        }
    }

    @Test
    void runsAtStartupEvenWithLazyInitialization() {
        runner.withInitializer(context -> context.addBeanFactoryPostProcessor(
                new LazyInitializationBeanFactoryPostProcessor())).run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBeanFactory().getBeanDefinition("jdbcTemplate").isLazyInit()).isTrue();
                    assertThat(appliedMigrations()).containsExactlyElementsOf(MIGRATIONS);
                });
    }

    @Test
    void separateMigrationUrlIsUsedInsteadOfTheDataSource() {
        try (TestDatabase other = TestDatabase.create("tidemark_url")) {
            runner.withPropertyValues("tidemark.url=" + other.postgresUrl()).run(context -> {
                assertThat(context).hasNotFailed();
                assertThat(count(other, "SELECT count(*) FROM _prisma_migrations")).isEqualTo(2);
            });
            assertThat(tableExists("_prisma_migrations")).isFalse();
        }
    }

    @Test
    void qualifiedTidemarkDataSourceIsPreferred() {
        try (TestDatabase other = TestDatabase.create("tidemark_qualified")) {
            // Two DataSources: the application's (primary) and the one qualified for Tidemark.
            runner.withBean("dataSource", DataSource.class, db::dataSource, definition -> definition.setPrimary(true))
                    .withBean("migrationDataSource", DataSource.class, other::dataSource,
                            definition -> ((AbstractBeanDefinition) definition).addQualifier(
                                    new AutowireCandidateQualifier(TidemarkDataSource.class)))
                    .run(context -> {
                        assertThat(context).hasNotFailed();
                        assertThat(count(other, "SELECT count(*) FROM _prisma_migrations")).isEqualTo(2);
                        assertThat(context.getBean(JdbcTemplate.class).queryForObject("SELECT current_database()",
                                String.class)).isEqualTo(db.name());
                    });
            assertThat(tableExists("_prisma_migrations")).isFalse();
        }
    }

    @Test
    void customizerAdjustsTheBuilder() {
        execute("CREATE SCHEMA custom");
        runner.withBean(TidemarkCustomizer.class, () -> builder -> builder.schema("custom")).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(Migrator.class).schema()).isEqualTo("custom");
        });
        assertThat(count(db, "SELECT count(*) FROM custom._prisma_migrations")).isEqualTo(2);
    }

    @Test
    void migrationStrategyReplacesTheStartupAction() {
        AtomicInteger calls = new AtomicInteger();
        runner.withBean(TidemarkMigrationStrategy.class, () -> migrator -> calls.incrementAndGet()).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(TidemarkInitializer.class).startup().action()).isEqualTo("strategy");
        });
        assertThat(calls).hasValue(1);
        assertThat(tableExists("_prisma_migrations")).isFalse();
    }

    @Test
    void lockTimeoutAndLockRetryBudgetComeFromTheProperties(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("migration_lock.toml"), "provider = \"postgresql\"\n");
        Files.createDirectories(dir.resolve("20250101090000_alter"));
        Files.writeString(dir.resolve("20250101090000_alter/migration.sql"), "ALTER TABLE busy ADD COLUMN note text;");
        try (Connection blocker = db.connect(); Statement statement = blocker.createStatement()) {
            statement.execute("CREATE TABLE busy (id int)");
            blocker.setAutoCommit(false);
            statement.execute("SELECT * FROM busy"); // holds ACCESS SHARE until rollback
            runner.withPropertyValues("tidemark.locations=file:" + dir, "tidemark.lock-timeout=300ms",
                    "tidemark.lock-retry-budget=0s").run(context -> {
                        MigrationFailedException failure = rootCause(context.getStartupFailure(),
                                MigrationFailedException.class);
                        assertThat(failure.sqlState()).isEqualTo("55P03");
                        // with the default budget of 5 minutes this would still be retrying
                        assertThat(failure.getMessage()).contains("300 ms each", "lock retry budget of 0 s");
                    });
            blocker.rollback();
        }
    }

    @Test
    void historyTableAndStatementTimeoutComeFromTheProperties(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("migration_lock.toml"), "provider = \"postgresql\"\n");
        Files.createDirectories(dir.resolve("20250101090000_slow"));
        Files.writeString(dir.resolve("20250101090000_slow/migration.sql"), "SELECT pg_sleep(5);");
        runner.withPropertyValues("tidemark.locations=file:" + dir, "tidemark.history-table=deploys",
                "tidemark.statement-timeout=200ms").run(context -> {
                    MigrationFailedException failure = rootCause(context.getStartupFailure(),
                            MigrationFailedException.class);
                    assertThat(failure.sqlState()).as("cancelled by statement_timeout").isEqualTo("57014");
                });
        assertThat(tableExists("deploys")).as("the failure is recorded in the configured history table").isTrue();
        assertThat(tableExists("_prisma_migrations")).isFalse();
    }

    @Test
    void theSeedFileComesFromTidemarkSeed(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("migration_lock.toml"), "provider = \"postgresql\"\n");
        Files.createDirectories(dir.resolve("20250101090000_roles"));
        Files.writeString(dir.resolve("20250101090000_roles/migration.sql"), "CREATE TABLE roles (name text);");
        Files.writeString(dir.resolve("seed.sql"), "INSERT INTO roles VALUES ('admin'), ('user');");
        runner.withPropertyValues("tidemark.locations=file:" + dir, "tidemark.seed=file:" + dir.resolve("seed.sql"))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(Migrator.class).seed().statements()).isEqualTo(1);
                });
        assertThat(tableExists("roles")).isTrue();
    }

    @Test
    void moreThanOneLocationIsRefusedClearly() {
        runner.withPropertyValues("tidemark.locations=classpath:db/migrations,classpath:db/other").run(context -> {
            TidemarkException failure = rootCause(context.getStartupFailure(), TidemarkException.class);
            assertThat(failure.code()).isEqualTo(ErrorCode.CONFIGURATION_INVALID);
            assertThat(failure.getMessage()).contains("tidemark.locations", "classpath:db/other");
        });
    }

    @Test
    void healthIsUpWhenUpToDateAndDownNamingTheFailedMigration() {
        runner.withPropertyValues("tidemark.locations=classpath:db/migrations").run(context -> {
            Boot.HealthView health = Boot.health(context.getBean("tidemarkHealthIndicator"));
            assertThat(health.status()).isEqualTo("UP");
            assertThat(health.details()).containsEntry("applied", 2).doesNotContainKeys("failed", "pending");
        });
        try (TestDatabase failing = TestDatabase.create("tidemark_failing")) {
            ApplicationContextRunner onFailing = runner.withPropertyValues(dataSourceProperties(failing))
                    .withPropertyValues("tidemark.locations=classpath:db/failing");
            onFailing.run(context -> {
                MigrationFailedException failure = rootCause(context.getStartupFailure(),
                        MigrationFailedException.class);
                assertThat(failure.migration()).isEqualTo("20250103090000_broken");
            });
            // The operator starts the app without migrating, to look at it: health names the failed migration.
            onFailing.withPropertyValues("tidemark.mode=none").run(context -> {
                Boot.HealthView health = Boot.health(context.getBean("tidemarkHealthIndicator"));
                assertThat(health.status()).isEqualTo("DOWN");
                assertThat(health.details()).containsEntry("failed", List.of("20250103090000_broken"))
                        .containsEntry("applied", 1);
            });
        }
    }

    @Test
    void healthIsDownNamingPendingMigrations() {
        runner.withPropertyValues("tidemark.mode=none").run(context -> {
            Boot.HealthView health = Boot.health(context.getBean("tidemarkHealthIndicator"));
            assertThat(health.status()).isEqualTo("DOWN");
            assertThat(health.details()).containsEntry("pending", MIGRATIONS);
        });
    }

    @Test
    void endpointListsMigrationsWithStateAndTimings() {
        runner.withPropertyValues("management.endpoints.web.exposure.include=tidemark").run(context -> {
            TidemarkEndpoint.TidemarkReport all = context.getBean(TidemarkEndpoint.class).migrations();
            assertThat(all.contexts()).containsOnlyKeys(context.getId());
            TidemarkEndpoint.ContextReport report = all.contexts().get(context.getId());
            assertThat(report.startup().action()).isEqualTo("deploy");
            assertThat(report.startup().outcome()).isEqualTo("success");
            assertThat(report.startup().applied()).containsOnlyKeys(MIGRATIONS);
            List<MigrationReport> migrations = report.migrators().get("tidemarkMigrator").migrations();
            assertThat(migrations).extracting(MigrationReport::name).containsExactlyElementsOf(MIGRATIONS);
            assertThat(migrations).allSatisfy(m -> {
                assertThat(m.state()).isEqualTo("APPLIED");
                assertThat(m.finishedAt()).isAfterOrEqualTo(m.startedAt());
                assertThat(m.durationMillis()).isNotNull().isNotNegative();
            });
        });
    }

    @Test
    void startsWithoutActuatorOrMicrometerOnTheClasspath() {
        // Imported by name, as Spring Boot imports auto-configurations, so that class files are read as a missing
        // jar leaves them: unreadable.
        new ApplicationContextRunner()
                .withClassLoader(new HidingClassLoader("org.springframework.boot.actuate.",
                        "org.springframework.boot.health.", "io.micrometer."))
                .withBean(DataSource.class, db::dataSource)
                .withUserConfiguration(ImportTidemarkByName.class)
                .withPropertyValues("management.endpoints.web.exposure.include=tidemark")
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(TidemarkInitializer.class);
                    assertThat(context).doesNotHaveBean("tidemarkHealthIndicator")
                            .doesNotHaveBean("tidemarkEndpoint").doesNotHaveBean("tidemarkMetrics");
                    assertThat(appliedMigrations()).containsExactlyElementsOf(MIGRATIONS);
                });
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({TidemarkAutoConfiguration.class, TidemarkActuatorAutoConfiguration.class,
            TidemarkEndpointAutoConfiguration.class})
    static class ImportTidemarkByName {
    }

    @Test
    void endpointIsAbsentUnlessExposed() {
        runner.run(context -> assertThat(context).doesNotHaveBean(TidemarkEndpoint.class));
    }

    @Test
    void deployTimerIsRecordedWhenARegistryBindsTheMetrics() {
        runner.run(context -> {
            MeterRegistry registry = new SimpleMeterRegistry();
            context.getBean(dev.tidemark.spring.actuate.TidemarkMetrics.class).bindTo(registry);
            Timer timer = registry.get("tidemark.deploy").tag("action", "deploy").tag("outcome", "success").timer();
            assertThat(timer.count()).isEqualTo(1);
            assertThat(timer.totalTime(TimeUnit.NANOSECONDS)).isEqualTo(
                    context.getBean(TidemarkInitializer.class).startup().duration().toNanos());
            assertThat(registry.get("tidemark.migrations.applied").gauge().value()).isEqualTo(2.0);
        });
    }

    @Test
    void twoApplicationsStartingAtOnceApplyEachMigrationOnce() throws Exception {
        ApplicationContextRunner slow = runner.withPropertyValues("tidemark.locations=classpath:db/slow",
                "tidemark.lock-wait=60s");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Integer>> starts = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                starts.add(pool.submit(() -> {
                    start.await();
                    int[] applied = new int[1];
                    slow.run(context -> {
                        assertThat(context).hasNotFailed();
                        applied[0] = context.getBean(TidemarkInitializer.class).startup().result().applied().size();
                    });
                    return applied[0];
                }));
            }
            start.countDown();
            List<Integer> applied = new ArrayList<>();
            for (Future<Integer> f : starts) {
                applied.add(f.get(2, TimeUnit.MINUTES));
            }
            // One instance applied both migrations while the other waited for the lock, then found nothing to do.
            assertThat(applied).containsExactlyInAnyOrder(2, 0);
        } finally {
            pool.shutdownNow();
        }
        assertThat(count(db, "SELECT count(*) FROM _prisma_migrations")).isEqualTo(2);
        assertThat(count(db, "SELECT count(DISTINCT migration_name) FROM _prisma_migrations"
                + " WHERE finished_at IS NOT NULL")).isEqualTo(2);
    }

    private static String[] dataSourceProperties(TestDatabase database) {
        List<String> properties = new ArrayList<>(List.of("spring.datasource.url=" + database.jdbcUrl(),
                "spring.datasource.username=" + database.user()));
        if (database.password() != null) {
            properties.add("spring.datasource.password=" + database.password());
        }
        return properties.toArray(String[]::new);
    }

    private static <T extends Throwable> T rootCause(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        throw new AssertionError("No " + type.getSimpleName() + " in " + failure, failure);
    }

    private List<String> appliedMigrations() {
        return query(db, "SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL"
                + " ORDER BY started_at");
    }

    private boolean tableExists(String table) {
        return count(db, "SELECT count(*) FROM information_schema.tables WHERE table_name = '" + table + "'") > 0;
    }

    private String queryString(String sql) {
        List<String> rows = query(db, sql);
        return rows.isEmpty() ? null : rows.get(0);
    }

    private static long count(TestDatabase database, String sql) {
        return Long.parseLong(query(database, sql).get(0));
    }

    private static List<String> query(TestDatabase database, String sql) {
        List<String> rows = new ArrayList<>();
        try (Connection c = database.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
        return rows;
    }

    private void execute(String... sql) {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            for (String statement : sql) {
                s.execute(statement);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
