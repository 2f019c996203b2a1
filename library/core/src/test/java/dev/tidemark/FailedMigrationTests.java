package dev.tidemark;

import dev.tidemark.testdb.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The failure and recovery cycle, with Prisma's semantics (P3009, migrate resolve). */
class FailedMigrationTests {

    static final String BROKEN = "CREATE TABLE \"post\" (\"id\" SERIAL PRIMARY KEY);\n"
            + "\n"
            + "-- the next statement names a column that does not exist\n"
            + "UPDATE \"post\"\n"
            + "    SET \"title\" = 'untitled';\n";

    @TempDir
    Path dir;
    TestDatabase db;
    MigrationsFolder folder;

    @BeforeEach
    void setUp() {
        db = TestDatabase.create(getClass());
        folder = MigrationsFolder.in(dir)
                .add("20240101000000_init", "CREATE TABLE \"user\" (\"id\" SERIAL PRIMARY KEY);")
                .add("20240102000000_posts", BROKEN);
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    @Test
    void aFailingMigrationIsRolledBackRecordedAndExplained() {
        Migrator migrator = folder.migrator(db.postgresUrl()).build();

        assertThatThrownBy(migrator::deploy)
                .isInstanceOfSatisfying(MigrationFailedException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.MIGRATION_FAILED);
                    assertThat(e.migration()).isEqualTo("20240102000000_posts");
                    assertThat(e.file()).endsWith("20240102000000_posts/migration.sql");
                    // The server points at "title": line 5, column 9 of the file.
                    assertThat(e.line()).isEqualTo(5);
                    assertThat(e.column()).isEqualTo(9);
                    assertThat(e.sqlState()).isEqualTo("42703");
                    assertThat(e.serverMessage()).contains("column \"title\" of relation \"post\" does not exist");
                    assertThat(e.getMessage())
                            .contains("[TM3018]", "20240102000000_posts/migration.sql:5:9", "42703",
                                    "rolled back", "tidemark resolve --rolled-back 20240102000000_posts");
                });

        // The first migration is applied; the failing one left nothing behind.
        assertThat(Sql.tableExists(db, "public.user")).isTrue();
        assertThat(Sql.tableExists(db, "public.post")).isFalse();
        List<List<Object>> rows = Sql.query(db, "SELECT migration_name, finished_at IS NULL, rolled_back_at IS NULL,"
                + " logs, applied_steps_count FROM _prisma_migrations ORDER BY started_at");
        assertThat(rows).hasSize(2);
        assertThat(rows.get(1).get(0)).isEqualTo("20240102000000_posts");
        assertThat(rows.get(1).get(1)).isEqualTo(true);
        assertThat(rows.get(1).get(2)).isEqualTo(true);
        assertThat((String) rows.get(1).get(3)).contains("42703", "migration.sql:5:9", "rolled back");
        assertThat(rows.get(1).get(4)).isEqualTo(0);

        MigrationStatus status = migrator.status();
        assertThat(status.upToDate()).isFalse();
        assertThat(status.failed()).extracting(MigrationInfo::name).containsExactly("20240102000000_posts");
    }

    @Test
    void aFailedMigrationBlocksDeploysUntilResolvedRolledBack() {
        Migrator migrator = folder.migrator(db.postgresUrl()).build();
        assertThatThrownBy(migrator::deploy).isInstanceOf(MigrationFailedException.class);

        // Fixing the file is not enough: the failure must be resolved first, as with Prisma.
        folder.add("20240102000000_posts", "CREATE TABLE \"post\" (\"id\" SERIAL PRIMARY KEY);");
        assertThatThrownBy(migrator::deploy)
                .isInstanceOfSatisfying(TidemarkException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.FAILED_MIGRATION_PRESENT);
                    assertThat(e.getMessage()).contains("[TM3009]", "20240102000000_posts",
                            "resolve --rolled-back 20240102000000_posts", "resolve --applied 20240102000000_posts");
                });

        migrator.resolveRolledBack("20240102000000_posts");
        MigrationStatus resolved = migrator.status();
        assertThat(resolved.rolledBack()).singleElement().satisfies(m -> {
            assertThat(m.name()).isEqualTo("20240102000000_posts");
            assertThat(m.state()).isEqualTo(MigrationState.ROLLED_BACK);
            assertThat(m.rolledBackAt()).isNotNull();
        });
        assertThat(resolved.pending()).extracting(MigrationInfo::name).containsExactly("20240102000000_posts");
        assertThat(resolved.failed()).isEmpty();
        DeployResult result = migrator.deploy();
        assertThat(result.applied()).extracting(AppliedMigration::name).containsExactly("20240102000000_posts");
        assertThat(Sql.tableExists(db, "public.post")).isTrue();
        // Prisma keeps the rolled-back row and adds a new one.
        assertThat(Sql.query(db, "SELECT rolled_back_at IS NOT NULL, finished_at IS NOT NULL FROM _prisma_migrations"
                + " WHERE migration_name = '20240102000000_posts' ORDER BY started_at"))
                .containsExactly(List.of(true, false), List.of(false, true));
        assertThat(migrator.status().upToDate()).isTrue();
    }

    @Test
    void resolveAppliedRecordsAMigrationWithoutRunningIt() {
        Migrator migrator = folder.migrator(db.postgresUrl()).build();
        MigrationFailedException failure = catchThrowableOfType(MigrationFailedException.class, migrator::deploy);
        // The failed row's logs as the failed deploy left them: resolving must keep them, not rewrite them.
        String failedLogs = (String) Sql.value(db, "SELECT logs FROM _prisma_migrations"
                + " WHERE migration_name = '20240102000000_posts'");
        assertThat(failedLogs).contains("SQLSTATE " + failure.sqlState(), failure.serverMessage());

        migrator.resolveApplied("20240102000000_posts");

        assertThat(Sql.tableExists(db, "public.post")).isFalse();
        assertThat(Sql.query(db, "SELECT rolled_back_at IS NOT NULL, finished_at IS NOT NULL, logs,"
                + " applied_steps_count FROM _prisma_migrations WHERE migration_name = '20240102000000_posts'"
                + " ORDER BY started_at"))
                .containsExactly(List.of(true, false, failedLogs, 0), List.of(false, true, "", 0));
        MigrationStatus status = migrator.status();
        assertThat(status.upToDate()).isTrue();
        assertThat(migrator.deploy().applied()).isEmpty();
    }

    @Test
    void resolveRefusesWhatPrismaRefuses() {
        Migrator migrator = folder.migrator(db.postgresUrl()).build();
        assertThatThrownBy(migrator::deploy).isInstanceOf(MigrationFailedException.class);

        assertThatThrownBy(() -> migrator.resolveApplied("20240101000000_init"))
                .isInstanceOfSatisfying(TidemarkException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.ALREADY_APPLIED));
        assertThatThrownBy(() -> migrator.resolveRolledBack("20240101000000_init"))
                .isInstanceOfSatisfying(TidemarkException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FAILED));
        assertThatThrownBy(() -> migrator.resolveRolledBack("20240109000000_never"))
                .isInstanceOfSatisfying(TidemarkException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_IN_HISTORY));
        assertThatThrownBy(() -> migrator.resolveApplied("20240109000000_never"))
                .isInstanceOfSatisfying(TidemarkException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.MIGRATION_NOT_FOUND));
        // Nothing was written by the refusals.
        assertThat(Sql.value(db, "SELECT count(*) FROM _prisma_migrations")).isEqualTo(2L);
    }

    @Test
    void resolveAppliedBaselinesADatabaseWithoutHistory() {
        Migrator migrator = folder.migrator(db.postgresUrl()).build();
        Sql.execute(db, "CREATE TABLE \"user\" (\"id\" SERIAL PRIMARY KEY)");

        migrator.resolveApplied("20240101000000_init");

        assertThat(migrator.status().applied()).extracting(MigrationInfo::name).containsExactly("20240101000000_init");
        assertThat(migrator.status().pending()).extracting(MigrationInfo::name).containsExactly("20240102000000_posts");
    }
}
