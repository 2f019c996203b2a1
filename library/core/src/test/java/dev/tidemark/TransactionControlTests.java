package dev.tidemark;

import dev.tidemark.testdb.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A file's own transaction control (isolation level, read-only, SET LOCAL timeouts) takes effect as written, as it
 * does when psql runs the file: each file is applied by Tidemark to one database and by {@code psql -f} to another,
 * and what the transaction saw from inside is compared.
 */
class TransactionControlTests {

    /** What the transaction saw, captured from inside it. */
    private static final String CAPTURE = "INSERT INTO seen SELECT %d, current_setting('transaction_isolation'),"
            + " current_setting('transaction_read_only'), current_setting('statement_timeout'),"
            + " current_setting('lock_timeout');\n";
    private static final String SEEN = "CREATE TABLE seen (step int, isolation text, read_only text,"
            + " statement_timeout text, lock_timeout text);\n";

    @TempDir
    Path dir;

    @Test
    void setTransactionIsolationLevelAndSetLocalTimeoutsAsPrismaHistoriesWriteThem() {
        String file = "BEGIN;\nSET TRANSACTION ISOLATION LEVEL REPEATABLE READ;\nSET LOCAL statement_timeout = 0;\n"
                + "SET LOCAL lock_timeout = '7s';\n" + CAPTURE.formatted(1) + "COMMIT;\n";
        List<List<Object>> seen = appliedByTidemarkAndPsql(file);
        assertThat(seen.get(0)).containsExactly(1, "repeatable read", "off", "0", "7s");
    }

    @Test
    void beginWithAnIsolationLevel() {
        List<List<Object>> seen = appliedByTidemarkAndPsql("BEGIN ISOLATION LEVEL SERIALIZABLE;\n"
                + CAPTURE.formatted(1) + "COMMIT;\n");
        assertThat(seen.get(0).subList(0, 3)).containsExactly(1, "serializable", "off");
    }

    @Test
    void startTransactionWithSeveralModes() {
        List<List<Object>> seen = appliedByTidemarkAndPsql("START TRANSACTION ISOLATION LEVEL REPEATABLE READ,"
                + " READ WRITE, NOT DEFERRABLE;\n" + CAPTURE.formatted(1) + "END;\n");
        assertThat(seen.get(0).subList(0, 3)).containsExactly(1, "repeatable read", "off");
    }

    @Test
    void beginReadOnlyRunsReadOnlyAndTheMigrationIsStillRecorded() {
        // A guard migration: it checks, from inside the read-only transaction, that it is read-only.
        String file = "BEGIN READ ONLY;\nDO $$ BEGIN IF current_setting('transaction_read_only') <> 'on' THEN"
                + " RAISE EXCEPTION 'not read only'; END IF; END $$;\nCOMMIT;\n";
        appliedByTidemarkAndPsql(file);
    }

    @Test
    void beginReadOnlyRefusesWritesAsPsqlDoes() {
        MigrationsFolder folder = MigrationsFolder.in(dir)
                .add("20240101000000_write", "BEGIN READ ONLY;\nCREATE TABLE t (id int);\nCOMMIT;\n");
        try (TestDatabase db = TestDatabase.create(getClass())) {
            assertThatThrownBy(() -> folder.migrator(db.postgresUrl()).build().deploy())
                    .isInstanceOfSatisfying(MigrationFailedException.class,
                            e -> assertThat(e.sqlState()).isEqualTo("25006"));
            assertThatThrownBy(() -> psql(db, folder.path().resolve("20240101000000_write/migration.sql")))
                    .hasMessageContaining("read-only transaction");
        }
    }

    @Test
    void blocksOfAMigrationWithoutATransactionKeepTheirModes() {
        String file = "-- tidemark:transaction=none\n" + SEEN.replace("seen", "seen_none")
                + "BEGIN ISOLATION LEVEL REPEATABLE READ;\n" + CAPTURE.replace("seen", "seen_none").formatted(1)
                + "COMMIT;\n" + "BEGIN;\nSET TRANSACTION ISOLATION LEVEL SERIALIZABLE;\nSET LOCAL lock_timeout = '6s';\n"
                + CAPTURE.replace("seen", "seen_none").formatted(2) + CAPTURE.replace("seen", "seen_none").formatted(3)
                + "COMMIT;\n" + "CREATE INDEX CONCURRENTLY seen_none_step ON seen_none (step);\n";
        MigrationsFolder folder = MigrationsFolder.in(dir).add("20240101000000_blocks", file);
        try (TestDatabase tidemark = TestDatabase.create(getClass());
                TestDatabase reference = TestDatabase.create(getClass())) {
            folder.migrator(tidemark.postgresUrl()).lockTimeout(Duration.ofSeconds(3)).build().deploy();
            psql(reference, folder.path().resolve("20240101000000_blocks/migration.sql"));

            String query = "SELECT step, isolation, read_only FROM seen_none ORDER BY step";
            assertThat(Sql.query(tidemark, query)).isEqualTo(Sql.query(reference, query));
            assertThat(Sql.query(tidemark, query)).extracting(row -> row.get(1))
                    .containsExactly("repeatable read", "serializable", "serializable");
            // Tidemark's lock timeout where the file sets none, the file's own where it does.
            assertThat(Sql.query(tidemark, "SELECT lock_timeout FROM seen_none ORDER BY step"))
                    .extracting(row -> row.get(0)).containsExactly("3s", "6s", "6s");
            assertThat(Sql.value(tidemark, "SELECT count(*) FROM _prisma_migrations WHERE finished_at IS NOT NULL"))
                    .isEqualTo(1L);
        }
    }

    @Test
    void anIsolationLevelAfterTheFirstQueryOfATransactionalMigrationIsRefusedBeforeItRuns() {
        MigrationsFolder folder = MigrationsFolder.in(dir).add("20240101000000_late",
                "CREATE TABLE t (id int);\nBEGIN ISOLATION LEVEL SERIALIZABLE;\nINSERT INTO t VALUES (1);\nCOMMIT;\n");
        try (TestDatabase db = TestDatabase.create(getClass())) {
            assertThatThrownBy(() -> folder.migrator(db.postgresUrl()).build().deploy())
                    .isInstanceOfSatisfying(TidemarkException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.MIGRATIONS_INVALID);
                        assertThat(e.getMessage()).contains("migration.sql:2:1", "tidemark:transaction=none");
                    });
            assertThat(Sql.tableExists(db, "public.t")).isFalse();
        }
    }

    @Test
    void anIsolationLevelAfterAQueryOfItsBlockFailsWithAdviceAboutWhereItGoes() {
        MigrationsFolder folder = MigrationsFolder.in(dir).add("20240101000000_late", "-- tidemark:transaction=none\n"
                + "CREATE TABLE t (id int);\nBEGIN;\nINSERT INTO t VALUES (1);\n"
                + "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE;\nCOMMIT;\n");
        try (TestDatabase db = TestDatabase.create(getClass())) {
            assertThatThrownBy(() -> folder.migrator(db.postgresUrl()).build().deploy())
                    .isInstanceOfSatisfying(MigrationFailedException.class, e -> {
                        assertThat(e.sqlState()).isEqualTo("25001");
                        assertThat(e.line()).isEqualTo(5);
                        assertThat(e.getMessage()).contains("SET TRANSACTION must come before any other statement")
                                .doesNotContain("refuses to run in a transaction");
                    });
            assertThat(Sql.value(db, "SELECT count(*) FROM t")).as("the block was rolled back").isEqualTo(0L);
        }
    }

    /**
     * Applies {@code file} (after a {@code seen} table) with Tidemark, statement timeout 60 s and lock timeout 3 s so
     * that the file's own settings are told apart from Tidemark's, and with psql; returns what Tidemark's run saw,
     * after checking it equals psql's (lock_timeout aside: Tidemark's differs on purpose where the file sets none).
     */
    private List<List<Object>> appliedByTidemarkAndPsql(String file) {
        MigrationsFolder folder = MigrationsFolder.in(dir).add("20240101000000_seen", SEEN)
                .add("20240102000000_file", file);
        try (TestDatabase tidemark = TestDatabase.create(getClass());
                TestDatabase reference = TestDatabase.create(getClass())) {
            DeployResult result = folder.migrator(tidemark.postgresUrl()).statementTimeout(Duration.ofSeconds(60))
                    .lockTimeout(Duration.ofSeconds(3)).build().deploy();
            psql(reference, folder.path().resolve("20240101000000_seen/migration.sql"));
            psql(reference, folder.path().resolve("20240102000000_file/migration.sql"));

            assertThat(result.applied()).hasSize(2);
            assertThat(Sql.value(tidemark, "SELECT count(*) FROM _prisma_migrations WHERE finished_at IS NOT NULL"
                    + " AND migration_name = '20240102000000_file'")).isEqualTo(1L);
            String query = "SELECT step, isolation, read_only FROM seen ORDER BY step";
            assertThat(Sql.query(tidemark, query)).isEqualTo(Sql.query(reference, query));
            if (file.contains("SET LOCAL statement_timeout")) {
                String timeouts = "SELECT statement_timeout, lock_timeout FROM seen ORDER BY step";
                assertThat(Sql.query(tidemark, timeouts)).isEqualTo(Sql.query(reference, timeouts));
            }
            return Sql.query(tidemark, "SELECT * FROM seen ORDER BY step");
        }
    }

    private static void psql(TestDatabase db, Path file) {
        Processes.run(List.of("psql", "-X", "-q", "-w", "-v", "ON_ERROR_STOP=1", "-h", db.host(), "-p",
                String.valueOf(db.port()), "-U", db.user(), "-d", db.name(), "-f", file.toString()), db.password());
    }
}
