package dev.tidemark;

import dev.tidemark.testdb.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link Migrator#lint()} against a real database, and deploy's lint mode. */
class LintDatabaseTests {

    @TempDir
    Path folder;

    @Test
    void thePendingMigrationsAreLintedWithTheTargetsCatalog() {
        try (TestDatabase db = TestDatabase.create("lint_catalog")) {
            Migrations.write(folder, "20240101000000_init", """
                    CREATE TABLE "User" ("id" TEXT NOT NULL PRIMARY KEY, "name" VARCHAR(50));
                    CREATE TABLE "Empty" ("id" TEXT NOT NULL PRIMARY KEY);
                    CREATE INDEX "User_name_idx" ON "User"("name");
                    """);
            Migrator migrator = Migrator.builder().url(db.postgresUrl()).location(folder.toString())
                    .lint(LintMode.OFF).build();
            migrator.deploy();
            Sql.execute(db, "INSERT INTO \"User\" SELECT 'u' || g, 'n' FROM generate_series(1, 500) g");
            Sql.execute(db, "ANALYZE \"User\"");
            Sql.execute(db, "ANALYZE \"Empty\"");
            // A table the migrations never created, made by hand: the catalog knows it.
            Sql.execute(db, "CREATE TABLE \"Manual\" (\"id\" TEXT PRIMARY KEY, \"code\" VARCHAR(10))");
            Migrations.write(folder, "20240102000000_next", """
                    ALTER TABLE "User" ADD COLUMN "tenant" TEXT NOT NULL;
                    ALTER TABLE "Empty" ADD COLUMN "tenant" TEXT NOT NULL;
                    ALTER TABLE "Manual" ALTER COLUMN "code" TYPE VARCHAR(20);
                    ALTER TABLE "Manual" ALTER COLUMN "id" TYPE INTEGER USING "id"::integer;
                    DROP INDEX "User_name_idx";
                    """);

            LintReport report = migrator.lint();

            assertThat(report.migrations()).containsExactly("20240102000000_next");
            assertThat(report.pgVersion()).isEqualTo(Integer.parseInt(
                    String.valueOf(Sql.value(db, "SELECT current_setting('server_version_num')::int / 10000"))));
            assertThat(report.findings()).extracting(f -> f.ruleId() + "@" + f.line()).containsExactly(
                    "add-not-null-without-default@1", "type-change-rewrites@4", "drop-index-not-concurrent@5");
            assertThat(report.findings().get(0).message()).contains("User.tenant");
            assertThat(report.findings().get(2).message()).contains("on User");
        }
    }

    @Test
    void lintChangesNothingInTheTarget() {
        try (TestDatabase db = TestDatabase.create("lint_readonly")) {
            Migrations.write(folder, "20240101000000_init", "CREATE TABLE \"T\" (\"id\" TEXT PRIMARY KEY);");
            Migrator migrator = Migrator.builder().url(db.postgresUrl()).location(folder.toString()).build();
            // No history table yet: lint must not create it.
            assertThat(migrator.lint().findings()).isEmpty();
            assertThat(Sql.tableExists(db, "public._prisma_migrations")).isFalse();

            migrator.deploy();
            Migrations.write(folder, "20240102000000_drop", "DROP TABLE \"T\";");
            String dump = SchemaDumps.dump(db);
            List<List<Object>> history = Sql.query(db, "SELECT * FROM _prisma_migrations ORDER BY id");

            assertThat(migrator.lint().findings()).extracting(LintFinding::ruleId).containsExactly("drop-table");

            assertThat(SchemaDumps.dump(db)).isEqualTo(dump);
            assertThat(Sql.query(db, "SELECT * FROM _prisma_migrations ORDER BY id")).isEqualTo(history);
        }
    }

    /**
     * A table a pending migration creates is new to the later pending migrations too: nothing can be using it before
     * the deploy that brings it ends. The same migration pending alone, once the table was deployed, is warned about.
     */
    @Test
    void aTableThisDeployCreatesIsNewToItsLaterMigrations(@TempDir Path later) {
        String create = "CREATE TABLE \"Item\" (\"id\" TEXT PRIMARY KEY, \"name\" TEXT, \"parent\" TEXT);";
        String index = """
                CREATE INDEX "Item_name_idx" ON "Item"("name");
                ALTER TABLE "Item" ADD CONSTRAINT "Item_parent_fkey" FOREIGN KEY ("parent") REFERENCES "Item"("id");
                DROP INDEX "Item_name_idx";
                """;
        try (TestDatabase together = TestDatabase.create("lint_together");
                TestDatabase apart = TestDatabase.create("lint_apart")) {
            Migrations.write(folder, "20240101000000_create", create);
            Migrations.write(folder, "20240102000000_index", index);
            Migrator both = Migrator.builder().url(together.postgresUrl()).location(folder.toString()).build();

            assertThat(both.lint().findings()).isEmpty();
            String logs = Stderr.capture(both::deploy);
            assertThat(logs).as(logs).contains("Applied 2 migration(s)").doesNotContain("WARN");
            assertThat(Sql.tableExists(together, "public.\"Item\"")).isTrue();

            Migrations.write(later, "20240101000000_create", create);
            Migrator.builder().url(apart.postgresUrl()).location(later.toString()).build().deploy();
            Migrations.write(later, "20240102000000_index", index);
            Migrator alone = Migrator.builder().url(apart.postgresUrl()).location(later.toString()).build();

            assertThat(alone.lint().findings()).extracting(f -> f.ruleId() + "@" + f.line()).containsExactly(
                    "create-index-not-concurrent@1", "constraint-without-not-valid@2", "drop-index-not-concurrent@3");
            assertThat(Stderr.capture(alone::deploy)).contains("lint warning create-index-not-concurrent at ",
                    "lint warning constraint-without-not-valid at ", "lint warning drop-index-not-concurrent at ");
        }
    }

    @Test
    void deployWithLintErrorRefusesBeforeAnythingRuns() {
        try (TestDatabase db = TestDatabase.create("lint_refuse")) {
            Migrations.write(folder, "20240101000000_init", "CREATE TABLE \"T\" (\"id\" TEXT PRIMARY KEY);");
            Migrator.builder().url(db.postgresUrl()).location(folder.toString()).build().deploy();
            Migrations.write(folder, "20240102000000_add", "CREATE TABLE \"U\" (\"id\" TEXT PRIMARY KEY);");
            Migrations.write(folder, "20240103000000_drop", "DROP TABLE \"T\";");
            Migrator strict = Migrator.builder().url(db.postgresUrl()).location(folder.toString())
                    .lint(LintMode.ERROR).build();

            assertThatThrownBy(strict::deploy).isInstanceOfSatisfying(TidemarkException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.LINT_REFUSED);
                assertThat(e.getMessage()).contains("drop-table", "20240103000000_drop", "migration.sql:1");
            });
            assertThat(Sql.tableExists(db, "public.\"T\"")).isTrue();
            assertThat(Sql.tableExists(db, "public.\"U\"")).isFalse();
            assertThat(Sql.value(db, "SELECT count(*) FROM _prisma_migrations")).isEqualTo(1L);

            String logs = Stderr.capture(() -> Migrator.builder().url(db.postgresUrl()).location(folder.toString())
                    .build().deploy());
            assertThat(logs).contains("lint error drop-table at ", "20240103000000_drop");
            assertThat(Sql.tableExists(db, "public.\"T\"")).isFalse();
        }
    }

    @Test
    void aSuppressedFindingLetsAStrictDeployThroughAndDeployIgnoresTheComment() {
        try (TestDatabase db = TestDatabase.create("lint_suppressed")) {
            Migrations.write(folder, "20240101000000_init", "CREATE TABLE \"T\" (\"id\" TEXT PRIMARY KEY);");
            Migrator strict = Migrator.builder().url(db.postgresUrl()).location(folder.toString())
                    .lint(LintMode.ERROR).build();
            strict.deploy();
            Migrations.write(folder, "20240102000000_drop", """
                    -- tidemark:lint-ignore create-index-not-concurrent the table is empty

                    CREATE INDEX "T_id_idx" ON "T"("id");
                    -- DropTable
                    -- tidemark:lint-ignore drop-table nothing reads T since release 12
                    DROP TABLE "T";
                    """);
            assertThat(strict.lint().suppressed()).isEqualTo(2);

            assertThat(strict.deploy().applied()).extracting(AppliedMigration::name)
                    .containsExactly("20240102000000_drop");
            assertThat(Sql.tableExists(db, "public.\"T\"")).isFalse();
        }
    }
}
