package dev.tidemark;

import dev.tidemark.internal.schema.SchemaIntrospector;
import dev.tidemark.internal.schema.SchemaModel;
import dev.tidemark.internal.schema.SchemaRenderer;
import dev.tidemark.testdb.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DiffTests {

    /** The schema a corpus builds is the same whether Tidemark deploys it or psql runs its files one by one. */
    @ParameterizedTest
    @ValueSource(strings = {Corpus.OWN, Corpus.DOCUMENSO, Corpus.UMAMI})
    void corpusModelIsTheSameWhenBuiltByPsql(String corpus) throws Exception {
        try (TestDatabase byTidemark = TestDatabase.create("by_tidemark");
                TestDatabase byPsql = TestDatabase.create("by_psql")) {
            Migrator.builder().url(byTidemark.postgresUrl()).location(Corpus.path(corpus).toString()).build()
                    .deploy();
            for (Path script : scripts(Corpus.path(corpus))) {
                psql(byPsql, script);
            }
            SchemaModel tidemark = read(byTidemark);
            SchemaModel psql = read(byPsql);
            assertThat(tidemark.tables()).isNotEmpty();
            assertThat(SchemaRenderer.render(tidemark)).isEqualTo(SchemaRenderer.render(psql));
            assertThat(tidemark).isEqualTo(psql);
        }
    }

    /** diff(empty, migrations) is a script that builds the whole schema at once: the largest round trip there is. */
    @ParameterizedTest
    @ValueSource(strings = {Corpus.OWN, Corpus.DOCUMENSO})
    void scriptFromAnEmptySchemaBuildsTheWholeHistory(String corpus) throws Exception {
        try (TestDatabase db = TestDatabase.create(getClass())) {
            Migrator migrator = Migrator.builder().url(db.postgresUrl()).location(Corpus.path(corpus).toString())
                    .build();
            SchemaDiff create = migrator.diff(SchemaSource.empty(), SchemaSource.migrations());
            assertThat(create.isDestructive()).isFalse();
            assertThat(create.script()).contains("CREATE TYPE \"Role\"").contains("CREATE TABLE \"User\"");
            assertThat(create.script().indexOf("CREATE TYPE \"Role\""))
                    .isLessThan(create.script().indexOf("CREATE TABLE \"User\""));
            assertThat(create.script().indexOf("CREATE TABLE \"User\""))
                    .isLessThan(create.script().indexOf("FOREIGN KEY"));
            // psql rather than JDBC: pgjdbc's own statement splitting does not know SQL-standard (BEGIN ATOMIC) bodies.
            Path script = Files.createTempFile("diff-from-empty", ".sql");
            try {
                Files.writeString(script, create.script(), StandardCharsets.UTF_8);
                psql(db, script);
            } finally {
                Files.delete(script);
            }
            SchemaDiff after = migrator.diff(SchemaSource.database(), SchemaSource.migrations());
            assertThat(after.hasDifferences()).as(after.summary()).isFalse();
            assertThat(migrator.describeSchema(SchemaSource.database()))
                    .isEqualTo(migrator.describeSchema(SchemaSource.migrations()));
        }
    }

    /** Prisma's migrate dev --create-only: the diff from the migrations to a desired schema, as the next migration. */
    @Test
    void desiredSchemaFileBecomesTheNextMigration(@TempDir Path dir) throws IOException {
        Path migrations = dir.resolve("migrations");
        writeMigration(migrations, "20240101000000_init", """
                CREATE TYPE "Role" AS ENUM ('USER', 'ADMIN');
                CREATE TABLE "User" ("id" SERIAL PRIMARY KEY, "email" TEXT NOT NULL, "role" "Role" NOT NULL DEFAULT 'USER');
                """);
        Path desired = dir.resolve("schema.sql");
        Files.writeString(desired, """
                CREATE TYPE "Role" AS ENUM ('USER', 'ADMIN', 'OWNER');
                CREATE TABLE "User" ("id" SERIAL PRIMARY KEY, "email" VARCHAR(320) NOT NULL,
                    "role" "Role" NOT NULL DEFAULT 'USER', "name" TEXT);
                CREATE UNIQUE INDEX "User_email_key" ON "User"("email");
                CREATE TABLE "Post" ("id" SERIAL PRIMARY KEY, "authorId" INTEGER NOT NULL REFERENCES "User"("id"));
                """);
        try (TestDatabase db = TestDatabase.create(getClass())) {
            Migrator migrator = Migrator.builder().url(db.postgresUrl()).location(migrations.toString()).build();
            SchemaDiff next = migrator.diff(SchemaSource.migrations(), SchemaSource.sqlFile(desired));
            assertThat(next.summary()).contains("+ added table \"Post\"")
                    .contains("~ changed enum \"Role\": added value(s) 'OWNER'")
                    .contains("+ added column \"User\".\"name\" text")
                    .contains("+ added index \"User_email_key\"");
            writeMigration(migrations, "20240102000000_next", next.script());

            assertThat(migrator.deploy().applied()).hasSize(2);
            assertThat(migrator.diff(SchemaSource.database(), SchemaSource.sqlFile(desired)).hasDifferences())
                    .isFalse();
            assertThat(migrator.drift().hasDifferences()).isFalse();
        }
    }

    /** Scripts reach the shadow database as deploy runs them: explicit transactions, CONCURRENTLY, directives. */
    @Test
    void shadowAppliesScriptsAsDeployDoes(@TempDir Path dir) {
        Path migrations = dir.resolve("migrations");
        writeMigration(migrations, "1_init", "BEGIN;\nCREATE TABLE t (id integer PRIMARY KEY, v text);\nCOMMIT;\n");
        writeMigration(migrations, "2_index", "CREATE INDEX CONCURRENTLY t_v ON t (v);\n");
        writeMigration(migrations, "3_enum", "-- tidemark:transaction=none\nCREATE TYPE mood AS ENUM ('ok');\n"
                + "ALTER TYPE mood ADD VALUE 'great';\nALTER TABLE t ADD COLUMN m mood NOT NULL DEFAULT 'great';\n");
        try (TestDatabase db = TestDatabase.create(getClass())) {
            Migrator migrator = Migrator.builder().url(db.postgresUrl()).location(migrations.toString()).build();
            migrator.deploy();
            SchemaDiff drift = migrator.drift();
            assertThat(drift.hasDifferences()).as(drift.summary()).isFalse();
            assertThat(migrator.describeSchema(SchemaSource.migrations())).contains("index \"t_v\"")
                    .contains("enum \"mood\" ('ok', 'great')");
        }
    }

    @Test
    void givenShadowDatabaseMustBeEmptyAndIsEmptiedAfterwards(@TempDir Path dir) throws Exception {
        Path migrations = dir.resolve("migrations");
        writeMigration(migrations, "1_init", "CREATE TABLE t (id integer PRIMARY KEY);");
        try (TestDatabase db = TestDatabase.create(getClass()); TestDatabase shadow = TestDatabase.create("shadow")) {
            Migrator migrator = Migrator.builder().url(db.postgresUrl()).location(migrations.toString()).build();
            migrator.deploy();

            SchemaDiff drift = migrator.diff(SchemaSource.migrations().withShadowDatabase(shadow.postgresUrl()),
                    SchemaSource.database());
            assertThat(drift.hasDifferences()).isFalse();
            assertThat(read(shadow).isEmpty()).as("the shadow schema is emptied again").isTrue();
            try (Connection connection = shadow.connect(); Statement statement = connection.createStatement();
                    java.sql.ResultSet rs = statement.executeQuery("SELECT nspowner::regrole::text FROM pg_namespace"
                            + " WHERE nspname = 'public'")) {
                assertThat(rs.next()).as("the schema itself stays").isTrue();
                assertThat(rs.getString(1)).as("with its owner").isEqualTo("pg_database_owner");
            }

            try (Connection connection = shadow.connect(); Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE precious (id integer)");
            }
            assertThatThrownBy(() -> migrator.diff(SchemaSource.migrations()
                    .withShadowDatabase(shadow.postgresUrl()), SchemaSource.database()))
                    .isInstanceOfSatisfying(TidemarkException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.SHADOW_DATABASE_FAILED))
                    .hasMessageContaining("is not empty").hasMessageContaining("1 table(s)");
            assertThat(read(shadow).table("precious")).as("a non-empty shadow database is left alone").isPresent();
        }
    }

    @Test
    void migrationFailingOnTheShadowDatabaseIsNamed(@TempDir Path dir) throws IOException {
        Path migrations = dir.resolve("migrations");
        writeMigration(migrations, "1_init", "CREATE TABLE t (id integer PRIMARY KEY);");
        writeMigration(migrations, "2_broken", "ALTER TABLE t ADD COLUMN a text;\n\nALTER TABLE nope ADD COLUMN b text;");
        try (TestDatabase db = TestDatabase.create(getClass())) {
            Migrator migrator = Migrator.builder().url(db.postgresUrl()).location(migrations.toString()).build();
            java.util.Set<String> shadowsBefore = DriftTests.shadowDatabases(db);
            assertThatThrownBy(migrator::drift)
                    .isInstanceOfSatisfying(TidemarkException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.SHADOW_APPLY_FAILED))
                    .hasMessageContaining("2_broken/migration.sql failed at line 3")
                    .hasMessageContaining("relation \"nope\" does not exist");
            DriftTests.assertNoShadowLeftSince(db, shadowsBefore);
        }
    }

    @Test
    void missingCreateDbPrivilegeIsExplained(@TempDir Path dir) throws Exception {
        Path migrations = dir.resolve("migrations");
        writeMigration(migrations, "1_init", "CREATE TABLE t (id integer PRIMARY KEY);");
        String role = "tm_nocreatedb_" + Long.toHexString(System.nanoTime());
        try (TestDatabase db = TestDatabase.create(getClass())) {
            try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
                statement.execute("CREATE ROLE " + role + " LOGIN PASSWORD 'secret-pw' NOCREATEDB");
            }
            try {
                String url = "postgresql://" + role + ":secret-pw@" + db.host() + ":" + db.port() + "/" + db.name();
                Migrator migrator = Migrator.builder().url(url).location(migrations.toString()).build();
                assertThatThrownBy(migrator::drift)
                        .isInstanceOfSatisfying(TidemarkException.class,
                                e -> assertThat(e.code()).isEqualTo(ErrorCode.SHADOW_DATABASE_FAILED))
                        .hasMessageContaining("CREATEDB")
                        .hasMessageContaining("give it as the shadow database URL")
                        .hasMessageNotContaining("--")
                        .hasMessageNotContaining("secret-pw");
            } finally {
                try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
                    statement.execute("DROP ROLE " + role);
                }
            }
        }
    }

    static SchemaModel read(TestDatabase db) throws SQLException {
        try (Connection connection = db.connect()) {
            return new SchemaIntrospector("public", Set.of("_prisma_migrations")).read(connection);
        }
    }

    static void writeMigration(Path migrations, String name, String sql) {
        try {
            Files.createDirectories(migrations.resolve(name));
            Files.writeString(migrations.resolve(name).resolve("migration.sql"), sql, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<Path> scripts(Path corpus) throws IOException {
        try (Stream<Path> dirs = Files.list(corpus)) {
            return dirs.filter(Files::isDirectory).sorted().map(d -> d.resolve("migration.sql")).toList();
        }
    }

    private static void psql(TestDatabase db, Path script) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("/usr/bin/psql", "-X", "-q", "-w", "-v", "ON_ERROR_STOP=1",
                "-h", db.host(), "-p", String.valueOf(db.port()), "-U", db.user(), "-d", db.name(), "-f",
                script.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (db.password() != null) {
            builder.environment().put("PGPASSWORD", db.password());
        }
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as("psql -f %s:\n%s", script, output).isZero();
    }
}
