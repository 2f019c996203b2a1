package dev.tidemark;

import dev.tidemark.testdb.TestDatabase;
import liquibase.Liquibase;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.DirectoryResourceAccessor;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Histories applied by real Flyway (11) and real Liquibase (4.33), imported: the converted folder holds the same SQL,
 * the history import records what the tool applied, the next deploy is a no-op that leaves the schema as it was
 * (pg_dump), and a new Prisma-style migration applies on top.
 */
class ImportTests {

    @TempDir
    Path dir;
    TestDatabase db;

    @BeforeEach
    void createDatabase() {
        db = TestDatabase.create(getClass());
    }

    @AfterEach
    void dropDatabase() {
        db.close();
    }

    Path flywayFolder() throws IOException {
        Path flyway = Files.createDirectories(dir.resolve("flyway"));
        Files.writeString(flyway.resolve("V1__create_users.sql"), "CREATE TABLE users (id bigint PRIMARY KEY);\n");
        Files.writeString(flyway.resolve("V10__index_email.sql"), "CREATE INDEX users_email ON users (email);\r\n");
        Files.writeString(flyway.resolve("V2__Posts.sql"), "CREATE TABLE posts (id bigint PRIMARY KEY,\n"
                + "  user_id bigint REFERENCES users (id));\nCOMMENT ON TABLE posts IS '${note}';\n");
        Files.createDirectories(flyway.resolve("more"));
        Files.writeString(flyway.resolve("more/V1.1__add_email.sql"), "\uFEFFALTER TABLE users ADD COLUMN email"
                + " text;\n");
        Files.writeString(flyway.resolve("R__user_view.sql"), "CREATE OR REPLACE VIEW user_ids AS SELECT id FROM"
                + " users;\n");
        Files.writeString(flyway.resolve("U2__drop_posts.sql"), "DROP TABLE posts;\n");
        return flyway;
    }

    Flyway flyway(Path folder) {
        return Flyway.configure()
                .dataSource(db.jdbcUrl(), db.user(), db.password())
                .locations("filesystem:" + folder)
                .placeholders(Map.of("note", "written by flyway"))
                .load();
    }

    Migrator migrator(Path migrations) {
        return Migrator.builder().url(db.postgresUrl()).location(migrations.toString()).build();
    }

    @Test
    void flywayHistoryIsImportedAndTheNextDeployIsANoOp() throws Exception {
        Path source = flywayFolder();
        assertThat(flyway(source).migrate().migrationsExecuted).isEqualTo(5); // four versions and the repeatable
        String before = SchemaDump.of(db);

        ImportPlan plan = Importer.flyway(source);
        assertThat(plan.migrations()).extracting(ImportedMigration::name).containsExactly(
                "00000000000001_v1_create_users", "00000000000002_v1_1_add_email", "00000000000003_v2_posts",
                "00000000000004_v10_index_email");
        assertThat(plan.notices()).anySatisfy(n -> assertThat(n).startsWith("R__user_view.sql is a repeatable"))
                .anySatisfy(n -> assertThat(n).startsWith("U2__drop_posts.sql is an undo migration"))
                .anySatisfy(n -> assertThat(n).startsWith("V2__Posts.sql line 3 uses the Flyway placeholder"
                        + " ${note}"))
                .hasSize(3);

        Path migrations = dir.resolve("prisma/migrations");
        assertThat(plan.write(migrations)).isEqualTo(4);
        for (String[] pair : new String[][] {{"V1__create_users.sql", "00000000000001_v1_create_users"},
                {"more/V1.1__add_email.sql", "00000000000002_v1_1_add_email"},
                {"V2__Posts.sql", "00000000000003_v2_posts"},
                {"V10__index_email.sql", "00000000000004_v10_index_email"}}) {
            assertThat(migrations.resolve(pair[1]).resolve("migration.sql")).as(pair[0])
                    .hasBinaryContent(Files.readAllBytes(source.resolve(pair[0])));
        }
        assertThat(migrations.resolve("migration_lock.toml")).content(StandardCharsets.UTF_8)
                .contains("provider = \"postgresql\"");
        assertThat(plan.write(migrations)).as("writing again").isZero();

        Migrator migrator = migrator(migrations);
        HistoryImport dryRun = migrator.importHistory(plan, false);
        assertThat(dryRun.written()).isFalse();
        assertThat(dryRun.recorded()).hasSize(4);
        assertThat(dryRun.pending()).isEmpty();
        assertThat(dryRun.problems()).singleElement().asString()
                .startsWith("Flyway applied the repeatable migration R__user_view.sql");
        assertThat(Sql.tableExists(db, "public._prisma_migrations")).as("a dry run writes nothing").isFalse();

        HistoryImport done = migrator.importHistory(plan, true);
        assertThat(done.written()).isTrue();
        assertThat(done.recorded()).containsExactlyElementsOf(plan.migrations().stream()
                .map(ImportedMigration::name).toList());
        assertThat(Sql.query(db, "SELECT migration_name, checksum FROM _prisma_migrations WHERE finished_at IS NOT"
                + " NULL ORDER BY migration_name")).containsExactlyElementsOf(plan.migrations().stream()
                .map(m -> List.<Object>of(m.name(), m.checksum())).toList());
        assertThat(migrator.importHistory(plan, true).alreadyRecorded()).as("importing again").hasSize(4);

        DeployResult deploy = migrator.deploy();
        assertThat(deploy.applied()).isEmpty();
        assertThat(deploy.alreadyApplied()).isEqualTo(4);
        assertThat(deploy.warnings()).isEmpty();
        assertThat(migrator.status().upToDate()).isTrue();
        assertThat(SchemaDump.of(db)).isEqualTo(before);

        Migrations.write(migrations, "20260101000000_add_bio", "ALTER TABLE users ADD COLUMN bio text;");
        assertThat(migrator.deploy().applied()).extracting(AppliedMigration::name)
                .containsExactly("20260101000000_add_bio");
        assertThat(Sql.value(db, "SELECT count(*) FROM information_schema.columns WHERE column_name = 'bio'"))
                .isEqualTo(1L);
    }

    @Test
    void aFailedFlywayMigrationIsReportedAndNotImported() throws Exception {
        Path source = Files.createDirectories(dir.resolve("flyway"));
        Files.writeString(source.resolve("V1__users.sql"), "CREATE TABLE users (id bigint PRIMARY KEY);\n");
        Files.writeString(source.resolve("V2__index.sql"), "CREATE INDEX CONCURRENTLY users_x ON users (x);\n");
        assertThatThrownBy(() -> flyway(source).migrate()).isInstanceOf(FlywayException.class);
        // Flyway 11 leaves no row for a failure on PostgreSQL (it supports transactional DDL); it writes one where the
        // database does not, and older versions did: the row as Flyway's own table layout holds it.
        assertThat(Sql.query(db, "SELECT version, success FROM flyway_schema_history"))
                .containsExactly(List.of("1", true));
        Sql.execute(db, "INSERT INTO flyway_schema_history (installed_rank, version, description, type, script,"
                + " checksum, installed_by, execution_time, success) VALUES (2, '2', 'index', 'SQL',"
                + " 'V2__index.sql', 1, 'postgres', 3, false)");

        ImportPlan plan = Importer.flyway(source);
        Path migrations = dir.resolve("migrations");
        plan.write(migrations);
        HistoryImport done = migrator(migrations).importHistory(plan, true);

        assertThat(done.recorded()).containsExactly("00000000000001_v1_users");
        assertThat(done.problems()).singleElement().asString().startsWith("V2__index.sql failed when Flyway ran it")
                .contains("tidemark resolve --applied 00000000000002_v2_index");
        assertThat(migrator(migrations).status().pending()).extracting(MigrationInfo::name)
                .containsExactly("00000000000002_v2_index");
    }

    @Test
    void liquibaseFormattedSqlHistoryIsImportedAndTheNextDeployIsANoOp() throws Exception {
        Path changelog = dir.resolve("changelog.sql");
        Files.writeString(changelog, """
                --liquibase formatted sql

                --changeset alice:create-person
                CREATE TABLE person (id int PRIMARY KEY, name text NOT NULL);
                --rollback DROP TABLE person;

                --changeset bob:2
                ALTER TABLE person ADD COLUMN email text;
                CREATE INDEX person_email ON person (email);

                --changeset bob:3 runOnChange:true
                CREATE OR REPLACE VIEW people AS SELECT id, name FROM person;
                """);
        try (Connection connection = db.connect()) {
            Database database = DatabaseFactory.getInstance()
                    .findCorrectDatabaseImplementation(new JdbcConnection(connection));
            @SuppressWarnings("deprecation")
            Liquibase liquibase = new Liquibase("changelog.sql", new DirectoryResourceAccessor(dir), database);
            liquibase.update("");
        }
        assertThat(Sql.value(db, "SELECT count(*) FROM databasechangelog")).isEqualTo(3L);
        String before = SchemaDump.of(db);

        ImportPlan plan = Importer.liquibase(changelog);
        assertThat(plan.migrations()).extracting(ImportedMigration::name, ImportedMigration::version)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("00000000000001_create_person",
                        "create-person::alice"),
                        org.assertj.core.groups.Tuple.tuple("00000000000002_2", "2::bob"),
                        org.assertj.core.groups.Tuple.tuple("00000000000003_3", "3::bob"));
        assertThat(plan.migrations().get(1).script()).isEqualTo("--changeset bob:2\nALTER TABLE person ADD"
                + " COLUMN email text;\nCREATE INDEX person_email ON person (email);\n\n");
        assertThat(plan.notices()).singleElement().asString().startsWith("changelog.sql line 11 (changeset 3::bob):"
                + " runOnChange:true is not supported");

        Path migrations = dir.resolve("prisma/migrations");
        plan.write(migrations);
        Migrator migrator = migrator(migrations);
        HistoryImport done = migrator.importHistory(plan, true);
        assertThat(done.recorded()).hasSize(3);
        assertThat(done.problems()).isEmpty();

        DeployResult deploy = migrator.deploy();
        assertThat(deploy.applied()).isEmpty();
        assertThat(deploy.alreadyApplied()).isEqualTo(3);
        assertThat(migrator.status().upToDate()).isTrue();
        assertThat(SchemaDump.of(db)).isEqualTo(before);

        Migrations.write(migrations, "20260101000000_add_phone", "ALTER TABLE person ADD COLUMN phone text;");
        assertThat(migrator.deploy().applied()).extracting(AppliedMigration::name)
                .containsExactly("20260101000000_add_phone");
    }

    @Test
    void xmlChangelogsAreRefusedWithHowToGetSql() throws IOException {
        Path xml = dir.resolve("db.changelog-master.xml");
        Files.writeString(xml, "<?xml version=\"1.0\"?>\n<databaseChangeLog/>\n");
        assertThatThrownBy(() -> Importer.liquibase(xml))
                .isInstanceOfSatisfying(TidemarkException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.IMPORT_INVALID))
                .hasMessageContaining(xml.toString())
                .hasMessageContaining("liquibase update-sql")
                .hasMessageContaining("--liquibase formatted sql");
    }

    @Test
    void flywayFoldersWithADuplicateVersionAreRefused() throws IOException {
        Files.writeString(dir.resolve("V1__a.sql"), "SELECT 1;\n");
        Files.writeString(dir.resolve("V1.0__b.sql"), "SELECT 2;\n");
        assertThatThrownBy(() -> Importer.flyway(dir))
                .isInstanceOfSatisfying(TidemarkException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.IMPORT_INVALID))
                .hasMessageContaining("Flyway version 1")
                .hasMessageContaining("V1.0__b.sql")
                .hasMessageContaining("V1__a.sql");
    }

    @Test
    void timestampVersionsStayTheDirectoryPrefix() throws IOException {
        Files.writeString(dir.resolve("V20240102030405__second.sql"), "SELECT 2;\n");
        Files.writeString(dir.resolve("V20231231235959__first.sql"), "SELECT 1;\n");
        assertThat(Importer.flyway(dir).migrations()).extracting(ImportedMigration::name)
                .containsExactly("20231231235959_first", "20240102030405_second");
    }

    @Test
    void writingOverADifferentFileIsRefusedBeforeAnythingIsWritten() throws IOException {
        Path source = flywayFolder();
        Path migrations = dir.resolve("migrations");
        Migrations.write(migrations, "00000000000003_v2_posts", "SELECT 'edited';");
        assertThatThrownBy(() -> Importer.flyway(source).write(migrations))
                .isInstanceOfSatisfying(TidemarkException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.IMPORT_INVALID))
                .hasMessageContaining("00000000000003_v2_posts")
                .hasMessageContaining("V2__Posts.sql");
        assertThat(migrations.resolve("00000000000001_v1_create_users")).doesNotExist();
    }

    /** The schema as pg_dump prints it, without the Prisma history table (which the import adds). */
    static final class SchemaDump {
        static String of(TestDatabase db) throws IOException, InterruptedException {
            List<String> command = new ArrayList<>(List.of("pg_dump", "--schema-only", "--no-owner",
                    "--exclude-table=public._prisma_migrations", "-h", db.host(), "-p", String.valueOf(db.port()),
                    "-U", db.user(), db.name()));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            if (db.password() != null) {
                builder.environment().put("PGPASSWORD", db.password());
            }
            Process process = builder.start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor()).as("pg_dump: " + out).isZero();
            // pg_dump 15+ prints a random \restrict key on some builds; drop lines that differ run to run
            return out.lines().filter(l -> !l.startsWith("\\restrict") && !l.startsWith("\\unrestrict"))
                    .reduce("", (a, b) -> a + b + "\n");
        }
    }
}
