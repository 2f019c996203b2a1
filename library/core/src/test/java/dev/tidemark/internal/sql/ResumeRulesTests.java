package dev.tidemark.internal.sql;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which interrupted statements are checked, re-run or refused, and which failed rows count as interrupted. */
class ResumeRulesTests {

    static MigrationRunner.Resume kind(String sql) {
        return MigrationRunner.resumeKind(SqlStatement.of(sql), 16);
    }

    @Test
    void eachStatementKindHasItsResumeRule() {
        assertThat(kind("CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS \"Big\" ON t (a)"))
                .isEqualTo(MigrationRunner.Resume.CREATE_INDEX);
        assertThat(kind("CREATE INDEX CONCURRENTLY ON t (a)")).as("unnamed: cannot be looked up")
                .isEqualTo(MigrationRunner.Resume.UNKNOWN);
        assertThat(kind("DROP INDEX CONCURRENTLY IF EXISTS app.t_a")).isEqualTo(MigrationRunner.Resume.DROP_INDEX);
        assertThat(kind("REINDEX INDEX CONCURRENTLY t_a")).isEqualTo(MigrationRunner.Resume.REINDEX);
        assertThat(kind("ALTER TYPE mood ADD VALUE IF NOT EXISTS 'it''s' BEFORE 'b'"))
                .isEqualTo(MigrationRunner.Resume.ENUM_VALUE);
        assertThat(kind("VACUUM (ANALYZE) t")).isEqualTo(MigrationRunner.Resume.RUN);
        assertThat(kind("UPDATE t SET a = 1")).as("runs in a transaction with its count")
                .isEqualTo(MigrationRunner.Resume.RUN);
        assertThat(kind("CALL batches()")).isEqualTo(MigrationRunner.Resume.UNKNOWN);
        assertThat(kind("DO $$ BEGIN COMMIT; END $$")).isEqualTo(MigrationRunner.Resume.UNKNOWN);
        assertThat(kind("CREATE DATABASE other")).isEqualTo(MigrationRunner.Resume.UNKNOWN);
    }

    @Test
    void namesAreReadAsWritten() {
        assertThat(MigrationRunner.indexName(SqlStatement.of("CREATE INDEX CONCURRENTLY \"Big\" ON t (a)")))
                .isEqualTo("\"Big\"");
        assertThat(MigrationRunner.indexName(SqlStatement.of("DROP INDEX CONCURRENTLY app.t_a"))).isEqualTo("app.t_a");
        assertThat(MigrationRunner.enumValue(SqlStatement.of("ALTER TYPE app.mood ADD VALUE 'it''s'")))
                .containsExactly("app.mood", "it's");
    }

    @Test
    void onlyFailuresOutsideTheFileCountAsInterrupted() {
        assertThat(MigrationRunner.interrupted(null)).as("killed before writing logs").isTrue();
        assertThat(MigrationRunner.interrupted("Statement 1 of 2 at m.sql:1:1 failed.\nSQLSTATE 57P01: terminating"))
                .isTrue();
        assertThat(MigrationRunner.interrupted("Statement 1 of 2 at m.sql:1:1 failed.\nSQLSTATE 08006: I/O error"))
                .isTrue();
        assertThat(MigrationRunner.interrupted("Statement 1 of 2 at m.sql:1:1 failed.\nSQLSTATE 42703: no column"))
                .isFalse();
        assertThat(MigrationRunner.interrupted("Resumed by Tidemark at statement 2 of 3 (m.sql:2).")).isTrue();
        assertThat(MigrationRunner.interrupted("Database error code: 23505\nDatabase error: duplicate key"))
                .as("Prisma's logs").isFalse();
    }
}
