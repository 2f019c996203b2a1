package dev.tidemark.internal.sql;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which interrupted statements are checked, re-run or refused, and which failed rows count as interrupted. */
class ResumeRulesTests {

    static Resumption.Resume kind(String sql) {
        return Resumption.resumeKind(SqlStatement.of(sql), 16);
    }

    @Test
    void eachStatementKindHasItsResumeRule() {
        assertThat(kind("CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS \"Big\" ON t (a)"))
                .isEqualTo(Resumption.Resume.CREATE_INDEX);
        assertThat(kind("CREATE INDEX CONCURRENTLY ON t (a)")).as("unnamed: cannot be looked up")
                .isEqualTo(Resumption.Resume.UNKNOWN);
        assertThat(kind("DROP INDEX CONCURRENTLY IF EXISTS app.t_a")).isEqualTo(Resumption.Resume.DROP_INDEX);
        assertThat(kind("REINDEX INDEX CONCURRENTLY t_a")).isEqualTo(Resumption.Resume.REINDEX);
        assertThat(kind("ALTER TYPE mood ADD VALUE IF NOT EXISTS 'it''s' BEFORE 'b'"))
                .isEqualTo(Resumption.Resume.ENUM_VALUE);
        assertThat(kind("VACUUM (ANALYZE) t")).isEqualTo(Resumption.Resume.RUN);
        assertThat(kind("UPDATE t SET a = 1")).as("runs in a transaction with its count")
                .isEqualTo(Resumption.Resume.RUN);
        assertThat(kind("CALL batches()")).isEqualTo(Resumption.Resume.UNKNOWN);
        assertThat(kind("DO $$ BEGIN COMMIT; END $$")).isEqualTo(Resumption.Resume.UNKNOWN);
        assertThat(kind("CREATE DATABASE other")).isEqualTo(Resumption.Resume.UNKNOWN);
    }

    @Test
    void namesAreReadAsWritten() {
        assertThat(Resumption.indexName(SqlStatement.of("CREATE INDEX CONCURRENTLY \"Big\" ON t (a)")))
                .isEqualTo("\"Big\"");
        assertThat(Resumption.indexName(SqlStatement.of("DROP INDEX CONCURRENTLY app.t_a"))).isEqualTo("app.t_a");
        assertThat(Resumption.enumValue(SqlStatement.of("ALTER TYPE app.mood ADD VALUE 'it''s'")))
                .containsExactly("app.mood", "it's");
    }

    @Test
    void onlyFailuresOutsideTheFileCountAsInterrupted() {
        assertThat(Resumption.interrupted(null)).as("killed before writing logs").isTrue();
        assertThat(Resumption.interrupted("Statement 1 of 2 at m.sql:1:1 failed.\nSQLSTATE 57P01: terminating"))
                .isTrue();
        assertThat(Resumption.interrupted("Statement 1 of 2 at m.sql:1:1 failed.\nSQLSTATE 08006: I/O error"))
                .isTrue();
        assertThat(Resumption.interrupted("Statement 1 of 2 at m.sql:1:1 failed.\nSQLSTATE 42703: no column"))
                .isFalse();
        assertThat(Resumption.interrupted("Resumed by Tidemark at statement 2 of 3 (m.sql:2).")).isTrue();
        assertThat(Resumption.interrupted("Database error code: 23505\nDatabase error: duplicate key"))
                .as("Prisma's logs").isFalse();
    }
}
