package dev.tidemark.internal.sql;

import dev.tidemark.internal.source.LocalMigration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How statements are classified and grouped; execution itself is tested through Migrator. */
class MigrationRunnerTests {

    @ParameterizedTest
    @ValueSource(strings = {
        "CREATE INDEX CONCURRENTLY i ON t (a)",
        "create unique index concurrently if not exists \"I\" on t (a)",
        "CREATE /* ; */ INDEX CONCURRENTLY ON t (a)",
        "DROP INDEX CONCURRENTLY IF EXISTS i",
        "REINDEX INDEX CONCURRENTLY i",
        "REINDEX (VERBOSE) TABLE CONCURRENTLY t",
        "REINDEX (CONCURRENTLY) TABLE t",
        "REINDEX SCHEMA public",
        "REINDEX DATABASE app",
        "REINDEX SYSTEM app",
        "VACUUM",
        "vacuum (analyze) t",
        "CLUSTER",
        "CLUSTER VERBOSE",
        "CREATE DATABASE other",
        "DROP DATABASE other",
        "ALTER DATABASE app SET TABLESPACE fast",
        "CREATE TABLESPACE fast LOCATION '/x'",
        "DROP TABLESPACE fast",
        "ALTER SYSTEM SET work_mem = '64MB'",
        "CREATE SUBSCRIPTION s CONNECTION 'x' PUBLICATION p",
        "ALTER SUBSCRIPTION s REFRESH PUBLICATION",
        "DROP SUBSCRIPTION s",
        "ALTER TABLE p DETACH PARTITION p1 CONCURRENTLY",
        "alter table p Detach partition p1 concurrently",
        "ALTER TABLE IF EXISTS public.p DETACH PARTITION public.p1 FINALIZE",
        "COMMIT PREPARED 'x'",
        "DISCARD ALL",
    })
    void detectsStatementsThatCannotRunInATransaction(String sql) {
        assertThat(MigrationPlan.cannotRunInTransaction(SqlStatement.of(sql), 16)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "CREATE INDEX i ON t (concurrently)",
        "CREATE INDEX concurrently_idx ON t (a)",
        "CREATE TABLE vacuum (a int)",
        "REINDEX TABLE t",
        "CLUSTER t USING t_pkey",
        "ANALYZE t",
        "ALTER DATABASE app SET work_mem = '64MB'",
        "ALTER TABLE p DETACH PARTITION p1",
        "ALTER TABLE t ADD COLUMN concurrently int",
        "ALTER TYPE mood ADD VALUE 'meh'",
        "SELECT 'VACUUM'",
        "INSERT INTO t VALUES ('CREATE INDEX CONCURRENTLY')",
        "DO $$ BEGIN EXECUTE 'VACUUM'; END $$",
    })
    void leavesEverythingElseInTheTransaction(String sql) {
        assertThat(MigrationPlan.cannotRunInTransaction(SqlStatement.of(sql), 16)).isFalse();
    }

    @Test
    void addingAnEnumValueNeedsAutocommitOnlyBeforePostgres12() {
        SqlStatement addValue = SqlStatement.of("ALTER TYPE \"Role\" ADD VALUE IF NOT EXISTS 'ADMIN'");
        assertThat(MigrationPlan.cannotRunInTransaction(addValue, 11)).isTrue();
        assertThat(MigrationPlan.cannotRunInTransaction(addValue, 12)).isFalse();
        LocalMigration migration = migration("CREATE TABLE a (x int);\nALTER TYPE \"Role\" ADD VALUE 'ADMIN';\n");
        List<SqlStatement> statements = MigrationPlan.statements(migration);
        assertThat(MigrationPlan.of(migration, statements, 11).mode()).isEqualTo(MigrationPlan.Mode.NONE);
        assertThat(MigrationPlan.of(migration, statements, 15).mode())
                .isEqualTo(MigrationPlan.Mode.PER_MIGRATION);
    }

    @Test
    void readsTheIndexNameOfAConcurrentBuild() {
        assertThat(InvalidIndexCleanup.concurrentIndexName(SqlStatement.of("CREATE INDEX CONCURRENTLY Idx ON t (a)")))
                .isEqualTo("idx");
        assertThat(InvalidIndexCleanup.concurrentIndexName(SqlStatement.of(
                "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS \"My\"\"Idx\" ON t (a)"))).isEqualTo("My\"Idx");
        assertThat(InvalidIndexCleanup.concurrentIndexName(SqlStatement.of("CREATE INDEX CONCURRENTLY ON t (a)")))
                .isNull();
        assertThat(InvalidIndexCleanup.concurrentIndexName(SqlStatement.of("CREATE INDEX i ON t (a)"))).isNull();
    }

    @Test
    void groupsStatementsIntoUnits() {
        LocalMigration transactional = migration("BEGIN;\nCREATE TABLE a (x int);\nCOMMIT;\nCREATE TABLE b (x int);\n");
        MigrationPlan plan = MigrationPlan.of(transactional, MigrationPlan.statements(transactional), 16);
        assertThat(plan.mode()).isEqualTo(MigrationPlan.Mode.PER_MIGRATION);
        assertThat(plan.units()).hasSize(1);
        assertThat(plan.units().get(0)).extracting(SqlStatement::line).containsExactly(2, 4);

        LocalMigration autocommit = migration("CREATE TABLE a (x int);\nBEGIN;\nINSERT INTO a VALUES (1);\n"
                + "INSERT INTO a VALUES (2);\nCOMMIT;\nCREATE INDEX CONCURRENTLY i ON a (x);\nCOMMIT;\n");
        plan = MigrationPlan.of(autocommit, MigrationPlan.statements(autocommit), 16);
        assertThat(plan.mode()).isEqualTo(MigrationPlan.Mode.NONE);
        assertThat(plan.units()).extracting(unit -> unit.stream().map(SqlStatement::line).toList())
                .containsExactly(List.of(1), List.of(3, 4), List.of(6));
        assertThat(plan.statementCount()).isEqualTo(4);
    }

    @Test
    void aPlanSaysWhatDecidedItsMode() {
        MigrationPlan plan = MigrationPlan.of(migration("CREATE TABLE a (x int);\n"), 16);
        assertThat(plan.reason().cause()).isEqualTo(MigrationPlan.Cause.DEFAULT);
        assertThat(plan.rowUpFront()).isFalse();

        plan = MigrationPlan.of(migration("CREATE TABLE a (x int);\n\nCREATE INDEX CONCURRENTLY i ON a (x);\n"), 16);
        assertThat(plan.reason().cause()).isEqualTo(MigrationPlan.Cause.STATEMENT);
        assertThat(plan.reason().line()).isEqualTo(3);
        assertThat(plan.reason().describe()).isEqualTo("'CREATE INDEX CONCURRENTLY i ON a (x)' at"
                + " migrations/20240101000000_test/migration.sql:3 cannot run inside a transaction block");
        assertThat(plan.rowUpFront()).isTrue();

        plan = MigrationPlan.of(migration("-- a comment\n-- tidemark:transaction=none\nCREATE TABLE a (x int);\n"), 16);
        assertThat(plan.mode()).isEqualTo(MigrationPlan.Mode.NONE);
        assertThat(plan.directive()).isTrue();
        assertThat(plan.reason().describe()).isEqualTo("the directive at migrations/20240101000000_test/migration.sql:2");
        assertThat(plan.serverMajorVersion()).isEqualTo(16);
    }

    @Test
    void refusesToSplitAScriptThatTurnsOffStandardConformingStrings() {
        for (String sql : List.of("SET standard_conforming_strings = off;", "set session standard_conforming_strings"
                + " to 'off';", "SET standard_conforming_strings TO false;")) {
            LocalMigration migration = migration("SELECT 1;\n" + sql + "\n");
            assertThatThrownBy(() -> MigrationPlan.of(migration, MigrationPlan.statements(migration), 16))
                    .as(sql).hasMessageContaining("migration.sql:2:1").hasMessageContaining("E'...'");
        }
        LocalMigration on = migration("SET standard_conforming_strings = on;\n");
        assertThat(MigrationPlan.of(on, MigrationPlan.statements(on), 16).statementCount()).isEqualTo(1);
    }

    @Test
    void explainsInlineCopyData() {
        LocalMigration copy = migration("COPY t (a) FROM stdin;\n1\n2\n\\.\n");
        assertThatThrownBy(() -> MigrationPlan.statements(copy)).hasMessageContaining("migration.sql:4:1")
                .hasMessageContaining("COPY ... FROM stdin").hasMessageContaining("INSERT");
    }

    @Test
    void formatsDurationsAndExcerpts() {
        assertThat(Messages.seconds(Duration.ofMinutes(5))).isEqualTo("300 s");
        assertThat(Messages.seconds(Duration.ofMillis(1500))).isEqualTo("1.5 s");
        assertThat(Messages.excerpt("a\nb\nc\nd\ne", 3)).isEqualTo("a\nb\nc\n... (2 more lines)");
        assertThat(Messages.excerpt("a\nb", 3)).isEqualTo("a\nb");
    }

    private static LocalMigration migration(String sql) {
        return new LocalMigration("20240101000000_test", "migrations/20240101000000_test/migration.sql", sql, "0",
                false);
    }
}
