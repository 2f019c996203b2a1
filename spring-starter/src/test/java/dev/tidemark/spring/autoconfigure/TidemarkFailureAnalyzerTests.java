package dev.tidemark.spring.autoconfigure;

import dev.tidemark.ErrorCode;
import dev.tidemark.MigrationState;
import dev.tidemark.Migrator;
import dev.tidemark.TidemarkException;
import dev.tidemark.testdb.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The "APPLICATION FAILED TO START" report of a failed migration, in real application contexts against a real
 * database: it tells a starter user what to do with the tools they have, and following it works.
 */
class TidemarkFailureAnalyzerTests {

    private static final String BROKEN = "20250103090000_broken";

    private TestDatabase db;
    private ApplicationContextRunner runner;

    @BeforeEach
    void createDatabase() {
        db = TestDatabase.create(getClass());
        List<String> properties = new ArrayList<>(List.of("spring.datasource.url=" + db.jdbcUrl(),
                "spring.datasource.username=" + db.user(), "tidemark.locations=classpath:db/failing"));
        if (db.password() != null) {
            properties.add("spring.datasource.password=" + db.password());
        }
        runner = new ApplicationContextRunner()
                .withConfiguration(Boot.autoConfigurations(Boot.DATA_SOURCE, Boot.JDBC_TEMPLATE))
                .withPropertyValues(properties.toArray(String[]::new));
    }

    @AfterEach
    void dropDatabase() {
        db.close();
    }

    @Test
    void failedMigrationTellsAStarterUserHowToResolveItWithTheMigratorApiOrTheCli() {
        runner.run(context -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = new TidemarkFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis).as("the analyzer handles the startup failure").isNotNull();
            assertThat(analysis.getDescription()).contains("TM3018", BROKEN);
            assertResolveAdvice(analysis.getAction(), "\"" + BROKEN + "\"", BROKEN);
        });

        // The next start finds the failed run recorded: the same advice, although that error names no field.
        runner.run(context -> {
            FailureAnalysis analysis = new TidemarkFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(failure(context.getStartupFailure()).code()).isEqualTo(ErrorCode.FAILED_MIGRATION_PRESENT);
            assertThat(analysis.getDescription()).contains(BROKEN);
            assertResolveAdvice(analysis.getAction(), "\"NAME\"", "NAME");
        });

        // Following the advice's second way: start with tidemark.mode=none and resolve on the Migrator bean.
        runner.withPropertyValues("tidemark.mode=none").run(context -> {
            assertThat(context).hasNotFailed();
            Migrator migrator = context.getBean(Migrator.class);
            migrator.resolveRolledBack(BROKEN);
            assertThat(migrator.status().migrations()).filteredOn(m -> m.name().equals(BROKEN))
                    .extracting(m -> m.state()).containsExactly(MigrationState.ROLLED_BACK);
        });
    }

    private static void assertResolveAdvice(String action, String quotedName, String name) {
        assertThat(action)
                .contains("Migrator.builder().dataSource(dataSource).location(\"classpath:db/migrations\").build()"
                        + ".resolveRolledBack(" + quotedName + ")")
                .contains("tidemark.mode=none", "resolveRolledBack(" + quotedName + ") on its Migrator bean")
                .contains("DATABASE_URL='postgresql://", "tidemark resolve --rolled-back " + name
                        + " --migrations src/main/resources/db/migrations")
                .contains("tidemark.locations", "resolveApplied");
    }

    private static TidemarkException failure(Throwable startupFailure) {
        for (Throwable t = startupFailure; t != null; t = t.getCause()) {
            if (t instanceof TidemarkException tidemark) {
                return tidemark;
            }
        }
        throw new AssertionError("No TidemarkException in " + startupFailure, startupFailure);
    }
}
