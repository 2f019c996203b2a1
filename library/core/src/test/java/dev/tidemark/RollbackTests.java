package dev.tidemark;

import dev.tidemark.testdb.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Rollback with down scripts, against real PostgreSQL: the harbor history with hand-written down.sql for its last
 * five migrations (test resources {@code rollback/harbor}, laid over a copy of the corpus), and every refusal, each of
 * which must leave the database and its history exactly as they were.
 */
class RollbackTests {

    static final String INIT = "20240101000000_init";
    static final String POSTS = "20240102000000_posts";
    static final String TAGS = "20240103000000_tags";

    @TempDir
    Path dir;
    TestDatabase db;

    @BeforeEach
    void setUp() {
        db = TestDatabase.create(getClass());
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    @Test
    void rollingBackTheLastFiveHarborMigrationsLeavesTheSchemaOfTheFirstOnesAndDeployRestoresTheRest()
            throws Exception {
        Path corpus = harborWithDownScripts();
        List<Path> dirs = Corpus.migrationDirectories(corpus);
        List<String> names = dirs.stream().map(d -> d.getFileName().toString()).toList();
        List<String> lastFive = new ArrayList<>(names.subList(names.size() - 5, names.size()));
        java.util.Collections.reverse(lastFive);
        Migrator migrator = Migrator.builder().url(db.postgresUrl()).location(corpus.toString()).build();
        migrator.deploy();
        int rowsBefore = count("SELECT count(*) FROM _prisma_migrations");

        RollbackResult result = migrator.rollback(RollbackRequest.steps(5));

        assertThat(result.dryRun()).isFalse();
        assertThat(result.rolledBack()).extracting(RolledBackMigration::name).containsExactlyElementsOf(lastFive);
        assertThat(result.rolledBack()).allSatisfy(m -> {
            assertThat(m.downFile()).endsWith(m.name() + "/down.sql");
            assertThat(m.inTransaction()).isTrue();
        });
        assertThat(result.rolledBack()).extracting(RolledBackMigration::statements).containsExactly(1, 1, 1, 1, 1);
        assertThat(result.stillApplied()).isEqualTo(names.size() - 5);

        try (TestDatabase reference = TestDatabase.create("rollback_ref")) {
            for (Path migration : dirs.subList(0, dirs.size() - 5)) {
                CorpusDeployTests.applyAsPrismaWould(reference, migration.resolve("migration.sql"));
            }
            assertThat(CorpusDeployTests.schemaDump(db)).isEqualTo(CorpusDeployTests.schemaDump(reference));

            // Nothing is deleted: the five rows are kept, with rolled_back_at set.
            assertThat(count("SELECT count(*) FROM _prisma_migrations")).isEqualTo(rowsBefore);
            assertThat(names("SELECT migration_name FROM _prisma_migrations WHERE rolled_back_at IS NOT NULL"
                    + " AND finished_at IS NOT NULL ORDER BY migration_name DESC")).containsExactlyElementsOf(lastFive);

            MigrationStatus status = migrator.status();
            assertThat(status.pending()).extracting(MigrationInfo::name)
                    .containsExactlyInAnyOrderElementsOf(lastFive);
            assertThat(status.pending()).allSatisfy(info -> {
                assertThat(info.state()).isEqualTo(MigrationState.ROLLED_BACK);
                assertThat(info.rolledBackAt()).isNotNull();
                assertThat(info.finishedAt()).isNotNull();
            });
            assertThat(status.applied()).hasSize(names.size() - 5);

            DeployResult again = migrator.deploy();
            assertThat(again.applied()).extracting(AppliedMigration::name)
                    .containsExactlyInAnyOrderElementsOf(lastFive);
            for (Path migration : dirs.subList(dirs.size() - 5, dirs.size())) {
                CorpusDeployTests.applyAsPrismaWould(reference, migration.resolve("migration.sql"));
            }
            assertThat(CorpusDeployTests.schemaDump(db)).isEqualTo(CorpusDeployTests.schemaDump(reference));
            assertThat(migrator.status().upToDate()).isTrue();
            assertThat(migrator.status().applied()).hasSize(names.size());
        }
    }

    @Test
    void toRollsBackEverythingAppliedAfterTheNamedMigration() throws Exception {
        Migrator migrator = threeMigrations().migrator(db.postgresUrl()).build();
        migrator.deploy();

        RollbackResult result = migrator.rollback(RollbackRequest.to(INIT));

        assertThat(result.rolledBack()).extracting(RolledBackMigration::name).containsExactly(TAGS, POSTS);
        assertThat(tables()).containsExactly("user");
        assertThat(migrator.status().pending()).extracting(MigrationInfo::name).containsExactly(POSTS, TAGS);
        assertThat(migrator.rollback(RollbackRequest.to(INIT)).rolledBack()).isEmpty();
        migrator.deploy();
        assertThat(tables()).containsExactly("post", "tag", "user");
    }

    @Test
    void aDryRunChecksAndReportsButChangesNothing() throws Exception {
        Migrator migrator = threeMigrations().migrator(db.postgresUrl()).build();
        migrator.deploy();
        String history = history();

        RollbackResult result = migrator.rollback(RollbackRequest.steps(2).withDryRun(true));

        assertThat(result.dryRun()).isTrue();
        assertThat(result.rolledBack()).extracting(RolledBackMigration::name).containsExactly(TAGS, POSTS);
        assertThat(result.rolledBack()).extracting(RolledBackMigration::statements).containsExactly(2, 1);
        assertThat(result.stillApplied()).isEqualTo(1);
        assertThat(history()).isEqualTo(history);
        assertThat(tables()).containsExactly("post", "tag", "user");
    }

    @Test
    void aMigrationWithoutDownScriptStopsTheRollbackBeforeAnythingRuns() throws Exception {
        MigrationsFolder folder = threeMigrations();
        Files.delete(folder.path().resolve(POSTS).resolve("down.sql"));
        Migrator migrator = folder.migrator(db.postgresUrl()).build();
        migrator.deploy();
        String history = history();

        TidemarkException e = catchThrowableOfType(() -> migrator.rollback(RollbackRequest.steps(2)),
                TidemarkException.class);

        assertThat(e.code()).isEqualTo(ErrorCode.ROLLBACK_REFUSED);
        assertThat(e.getMessage()).contains("[TM3040]", POSTS, POSTS + "/down.sql", "no down script",
                "Nothing was rolled back").doesNotContain(TAGS);
        assertThat(history()).isEqualTo(history);
        assertThat(tables()).containsExactly("post", "tag", "user");
        // One step needs only the newest migration's down script.
        assertThat(migrator.rollback(RollbackRequest.steps(1)).rolledBack()).hasSize(1);
    }

    @Test
    void aModifiedMigrationIsRefusedUnlessForced() throws Exception {
        MigrationsFolder folder = threeMigrations();
        Migrator migrator = folder.migrator(db.postgresUrl()).build();
        migrator.deploy();
        folder.write(TAGS + "/migration.sql", "CREATE TABLE \"tag\" (\"id\" SERIAL PRIMARY KEY);\n-- edited\n");
        String history = history();

        TidemarkException e = catchThrowableOfType(() -> migrator.rollback(RollbackRequest.steps(1)),
                TidemarkException.class);
        assertThat(e.code()).isEqualTo(ErrorCode.ROLLBACK_REFUSED);
        assertThat(e.getMessage()).contains(TAGS, "changed since it was applied", "with force",
                "RollbackRequest.withForce(true)", "recorded checksum").doesNotContain("--force");
        assertThat(history()).isEqualTo(history);

        RollbackResult forced = migrator.rollback(RollbackRequest.steps(1).withForce(true));
        assertThat(forced.rolledBack()).extracting(RolledBackMigration::name).containsExactly(TAGS);
        assertThat(forced.warnings()).singleElement().asString().contains(TAGS, "force");
        assertThat(tables()).containsExactly("post", "user");
    }

    @Test
    void anUnknownOrUnappliedToMigrationIsRefused() throws Exception {
        MigrationsFolder folder = threeMigrations();
        Migrator migrator = folder.migrator(db.postgresUrl()).build();
        migrator.deploy();
        folder.add("20240104000000_later", "SELECT 1;");
        String history = history();

        TidemarkException unknown = catchThrowableOfType(() -> migrator.rollback(RollbackRequest.to("nope")),
                TidemarkException.class);
        assertThat(unknown.code()).isEqualTo(ErrorCode.MIGRATION_NOT_FOUND);
        assertThat(unknown.getMessage()).contains("nope", "tidemark status", "Nothing was rolled back");

        TidemarkException pending = catchThrowableOfType(
                () -> migrator.rollback(RollbackRequest.to("20240104000000_later")), TidemarkException.class);
        assertThat(pending.code()).isEqualTo(ErrorCode.ROLLBACK_REFUSED);
        assertThat(pending.getMessage()).contains("20240104000000_later", "not applied");

        TidemarkException tooMany = catchThrowableOfType(() -> migrator.rollback(RollbackRequest.steps(4)),
                TidemarkException.class);
        assertThat(tooMany.code()).isEqualTo(ErrorCode.ROLLBACK_REFUSED);
        assertThat(tooMany.getMessage()).contains("only 3 are applied");
        assertThat(history()).isEqualTo(history);
    }

    @Test
    void aRollbackPastAFailedMigrationIsRefused() throws Exception {
        MigrationsFolder folder = threeMigrations();
        folder.add("20240104000000_broken", "CREATE TABLE \"broken\" (\"id\" int);\nSELECT * FROM \"missing\";\n");
        Migrator migrator = folder.migrator(db.postgresUrl()).build();
        assertThatThrownBy(migrator::deploy).isInstanceOf(MigrationFailedException.class);
        String history = history();

        TidemarkException e = catchThrowableOfType(() -> migrator.rollback(RollbackRequest.steps(1)),
                TidemarkException.class);

        assertThat(e.code()).isEqualTo(ErrorCode.FAILED_MIGRATION_PRESENT);
        assertThat(e.getMessage()).contains("20240104000000_broken", "failed", "tidemark resolve --rolled-back",
                "Nothing was rolled back");
        assertThat(history()).isEqualTo(history);
        assertThat(tables()).containsExactly("post", "tag", "user");
    }

    @Test
    void aSyntaxErrorInAnyDownScriptStopsTheRollbackBeforeTheFirstRuns() throws Exception {
        MigrationsFolder folder = threeMigrations();
        // The older script is broken: the newer one, which would run first, must not run either.
        folder.write(POSTS + "/down.sql", "-- undo posts\n\nDROP TABL \"post\";\n");
        Migrator migrator = folder.migrator(db.postgresUrl()).build();
        migrator.deploy();
        String history = history();

        TidemarkException e = catchThrowableOfType(() -> migrator.rollback(RollbackRequest.steps(2)),
                TidemarkException.class);

        assertThat(e.code()).isEqualTo(ErrorCode.MIGRATIONS_INVALID);
        assertThat(e.getMessage()).contains(POSTS + "/down.sql:3:6", "syntax error at or near \"TABL\"",
                "Nothing was rolled back");
        assertThat(history()).isEqualTo(history);
        assertThat(tables()).containsExactly("post", "tag", "user");
    }

    @Test
    void aDownScriptTheSplitterRefusesIsNamedWithItsLine() throws Exception {
        MigrationsFolder folder = threeMigrations();
        folder.write(POSTS + "/down.sql", "DROP TABLE \"post\";\nSELECT 'unterminated;\n");
        Migrator migrator = folder.migrator(db.postgresUrl()).build();
        migrator.deploy();
        String history = history();

        TidemarkException e = catchThrowableOfType(() -> migrator.rollback(RollbackRequest.steps(2)),
                TidemarkException.class);

        assertThat(e.code()).isEqualTo(ErrorCode.MIGRATIONS_INVALID);
        assertThat(e.getMessage()).contains(POSTS + "/down.sql:2");
        assertThat(history()).isEqualTo(history);
    }

    @Test
    void aFailingDownScriptLeavesItsMigrationAppliedAndSaysSo() throws Exception {
        MigrationsFolder folder = threeMigrations();
        // Parses, but fails when it runs: the first statement is undone with the script's transaction.
        folder.write(POSTS + "/down.sql", "DROP TABLE \"post\";\nDROP TABLE \"no_such_table\";\n");
        Migrator migrator = folder.migrator(db.postgresUrl()).build();
        migrator.deploy();

        MigrationFailedException e = catchThrowableOfType(() -> migrator.rollback(RollbackRequest.steps(2)),
                MigrationFailedException.class);

        assertThat(e.migration()).isEqualTo(POSTS);
        assertThat(e.file()).endsWith(POSTS + "/down.sql");
        assertThat(e.line()).isEqualTo(2);
        assertThat(e.sqlState()).isEqualTo("42P01");
        assertThat(e.getMessage()).contains("Rolling back " + POSTS + " failed at", POSTS + " stays applied",
                "Before it, this rollback rolled back " + TAGS).doesNotContain("resolve");
        assertThat(tables()).containsExactly("post", "user");
        MigrationStatus status = migrator.status();
        assertThat(status.failed()).isEmpty();
        assertThat(status.applied()).extracting(MigrationInfo::name).containsExactly(INIT, POSTS);
        assertThat(status.pending()).extracting(MigrationInfo::name).containsExactly(TAGS);
    }

    @Test
    void aDownScriptThatRefusesATransactionRunsInAutocommit() throws Exception {
        MigrationsFolder folder = threeMigrations();
        folder.add("20240104000000_index", "CREATE INDEX CONCURRENTLY \"tag_id\" ON \"tag\" (\"id\");\n");
        folder.write("20240104000000_index/down.sql", "DROP INDEX CONCURRENTLY \"tag_id\";\n");
        Migrator migrator = folder.migrator(db.postgresUrl()).build();
        migrator.deploy();

        RollbackResult result = migrator.rollback(RollbackRequest.steps(1));

        assertThat(result.rolledBack()).singleElement().satisfies(m -> {
            assertThat(m.name()).isEqualTo("20240104000000_index");
            assertThat(m.inTransaction()).isFalse();
        });
        assertThat(count("SELECT count(*) FROM pg_indexes WHERE indexname = 'tag_id'")).isZero();
        assertThat(migrator.status().pending()).extracting(MigrationInfo::name)
                .containsExactly("20240104000000_index");
    }

    @Test
    void theDirectiveRunsADownScriptInAutocommitAndAFailureThereSaysWhatStaysApplied() throws Exception {
        MigrationsFolder folder = threeMigrations();
        folder.write(TAGS + "/down.sql", "-- tidemark:transaction=none\nCOMMENT ON TABLE \"tag\" IS NULL;\n"
                + "DROP TABLE \"no_such_table\";\nDROP TABLE \"tag\";\n");
        Migrator migrator = folder.migrator(db.postgresUrl()).build();
        migrator.deploy();

        MigrationFailedException e = catchThrowableOfType(() -> migrator.rollback(RollbackRequest.steps(1)),
                MigrationFailedException.class);

        assertThat(e.file()).endsWith(TAGS + "/down.sql");
        assertThat(e.line()).isEqualTo(3);
        assertThat(e.getMessage()).contains("without a transaction", "1 of its 3 statement(s)",
                TAGS + " is still recorded as applied");
        assertThat(names("SELECT obj_description('\"tag\"'::regclass)")).containsExactly((String) null);
        assertThat(migrator.status().applied()).extracting(MigrationInfo::name).containsExactly(INIT, POSTS, TAGS);
        assertThat(migrator.status().failed()).isEmpty();
    }

    @Test
    void aDownDirectoryOfHandWrittenScriptsIsImported() throws Exception {
        MigrationsFolder folder = MigrationsFolder.in(dir.resolve("migrations"))
                .add(INIT, "CREATE TABLE \"user\" (\"id\" SERIAL PRIMARY KEY);\n")
                .add(POSTS, "CREATE TABLE \"post\" (\"id\" SERIAL PRIMARY KEY);\n")
                .add(TAGS, "CREATE TABLE \"tag\" (\"id\" SERIAL PRIMARY KEY);\n");
        Path downs = Files.createDirectories(dir.resolve("down-migrations"));
        Files.writeString(downs.resolve(TAGS + ".sql"), "DROP TABLE \"tag\";\n");
        Files.writeString(downs.resolve("rollback_20240102000000.sql"), "DROP TABLE \"post\";\n");
        Files.writeString(downs.resolve("README.md"), "not a script\n");
        Migrator migrator = folder.migrator(db.postgresUrl()).downLocation(downs.toString()).build();
        migrator.deploy();

        RollbackResult result = migrator.rollback(RollbackRequest.steps(2));

        assertThat(result.rolledBack()).extracting(RolledBackMigration::downFile)
                .containsExactly(downs.resolve(TAGS + ".sql").toString(),
                        downs.resolve("rollback_20240102000000.sql").toString());
        assertThat(tables()).containsExactly("user");

        // A script matching no migration, and two scripts for one migration, are refused by name.
        Files.writeString(downs.resolve("rollback_20991231000000.sql"), "SELECT 1;\n");
        assertThatThrownBy(() -> migrator.rollback(RollbackRequest.steps(1)))
                .isInstanceOfSatisfying(TidemarkException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.MIGRATIONS_INVALID);
                    assertThat(e.getMessage()).contains("rollback_20991231000000.sql", "no migration");
                });
        Files.delete(downs.resolve("rollback_20991231000000.sql"));
        folder.write(TAGS + "/down.sql", "DROP TABLE \"tag\";\n");
        assertThatThrownBy(() -> migrator.rollback(RollbackRequest.steps(1)))
                .isInstanceOfSatisfying(TidemarkException.class, e -> assertThat(e.getMessage())
                        .contains(TAGS + ".sql", TAGS + "/down.sql", "Keep one of them"));
    }

    @Test
    void downScriptsAreNotPartOfTheChecksumAndDoNotDisturbDeploys() throws Exception {
        MigrationsFolder folder = threeMigrations();
        Migrator migrator = folder.migrator(db.postgresUrl()).build();
        migrator.deploy();
        folder.write(TAGS + "/down.sql", "-- rewritten\nDROP TABLE \"tag\";\n");
        MigrationStatus status = migrator.status();
        assertThat(status.modified()).isEmpty();
        assertThat(status.upToDate()).isTrue();
        assertThat(names("SELECT checksum FROM _prisma_migrations WHERE migration_name = '" + TAGS + "'"))
                .containsExactly(sha256(folder.path().resolve(TAGS).resolve("migration.sql")));
    }

    @Test
    void aRollbackCostsAFixedNumberOfStatementsPerMigration() {
        List<String> executed = java.util.Collections.synchronizedList(new ArrayList<>());
        Migrator migrator = Migrator.builder().location(threeMigrations().path().toString())
                .dataSource(RoundTripTests.counting(db.dataSource(), executed)).build();
        migrator.deploy();
        executed.clear();

        migrator.rollback(RollbackRequest.steps(2));

        // Lock, history read; the syntax check (SET LOCAL, one DO per script, in a transaction rolled back); the
        // session baseline; per migration its statements, the lock-and-baseline check and the history update in its
        // transaction; unlock and restore. Every down script is parsed before the first one runs.
        assertThat(executed).hasSize(2 + 1 + 2 + 1 + (2 + 2) + (1 + 2) + 2);
        assertThat(executed.get(0)).contains("pg_try_advisory_lock_shared(72707369)", "pg_try_advisory_lock(72707369,");
        assertThat(executed.get(3)).startsWith("DO $tidemark_syntax_check$").contains("DROP TABLE \"tag\"");
        assertThat(executed.get(4)).startsWith("DO $tidemark_syntax_check$").contains("DROP TABLE \"post\"");
        assertThat(executed.subList(6, 10)).containsExactly("COMMENT ON TABLE \"tag\" IS NULL", "DROP TABLE \"tag\"",
                executed.get(8), executed.get(9));
        assertThat(executed.get(9)).startsWith("UPDATE").contains("rolled_back_at");
        assertThat(executed.get(10)).isEqualTo("DROP TABLE \"post\"");
        assertThat(executed.get(12)).startsWith("UPDATE").contains("rolled_back_at");
        assertThat(executed.get(13)).contains("pg_advisory_unlock_shared(72707369)", "pg_advisory_unlock(72707369,");
    }

    // ---- helpers

    /** Three migrations, each with a down script; the newest holds two statements. */
    private MigrationsFolder threeMigrations() {
        return MigrationsFolder.in(dir)
                .add(INIT, "CREATE TABLE \"user\" (\"id\" SERIAL PRIMARY KEY);\n")
                .write(INIT + "/down.sql", "DROP TABLE \"user\";\n")
                .add(POSTS, "CREATE TABLE \"post\" (\"id\" SERIAL PRIMARY KEY);\n")
                .write(POSTS + "/down.sql", "DROP TABLE \"post\";\n")
                .add(TAGS, "CREATE TABLE \"tag\" (\"id\" SERIAL PRIMARY KEY);\nCOMMENT ON TABLE \"tag\" IS 'x';\n")
                .write(TAGS + "/down.sql", "-- undo tags\nCOMMENT ON TABLE \"tag\" IS NULL;\nDROP TABLE \"tag\";\n");
    }

    /** A copy of the harbor corpus with the test resources' down scripts laid over it. */
    private Path harborWithDownScripts() throws IOException, URISyntaxException {
        Path target = dir.resolve("harbor");
        copy(Corpus.path(Corpus.OWN), target);
        copy(Path.of(RollbackTests.class.getResource("/rollback/harbor").toURI()), target);
        return target;
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path copy = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static String sha256(Path file) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<String> tables() throws SQLException {
        return names("SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'"
                + " ORDER BY tablename");
    }

    /** The history, row by row, for checking that a refused rollback changed nothing. */
    private String history() throws SQLException {
        return String.join("\n", names("SELECT concat_ws('|', id, checksum, finished_at, migration_name, logs,"
                + " rolled_back_at, started_at, applied_steps_count) FROM _prisma_migrations ORDER BY id"));
    }

    private int count(String sql) throws SQLException {
        return Integer.parseInt(names(sql).get(0));
    }

    private List<String> names(String sql) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }
}
