package dev.tidemark;

import dev.tidemark.testdb.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ResetTests {

    /** One object of every kind that reset must drop, and a seed row. */
    static final String EVERY_KIND = """
            CREATE EXTENSION IF NOT EXISTS citext;
            CREATE TYPE "Role" AS ENUM ('USER', 'ADMIN');
            CREATE DOMAIN positive AS integer CHECK (VALUE > 0);
            CREATE TYPE money_amount AS (amount numeric, currency text);
            CREATE TYPE float_range AS RANGE (subtype = float8);
            CREATE SEQUENCE invoice_number START 1000;
            CREATE TABLE "User" (id SERIAL PRIMARY KEY, email citext NOT NULL UNIQUE,
                role "Role" NOT NULL DEFAULT 'USER');
            CREATE TABLE "Post" (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                author_id integer NOT NULL REFERENCES "User"(id), likes positive, price money_amount);
            CREATE VIEW admins AS SELECT * FROM "User" WHERE role = 'ADMIN';
            CREATE MATERIALIZED VIEW post_counts AS SELECT author_id, count(*) FROM "Post" GROUP BY author_id;
            CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
            CREATE TRIGGER post_touch BEFORE UPDATE ON "Post" FOR EACH ROW EXECUTE FUNCTION touch();
            CREATE PROCEDURE promote(uid integer) LANGUAGE sql AS $$ UPDATE "User" SET role = 'ADMIN' WHERE id = uid $$;
            CREATE AGGREGATE concat_all(text) (sfunc = textcat, stype = text, initcond = '');
            INSERT INTO "User" (email, role) VALUES ('root@example.com', 'ADMIN');
            """;

    @TempDir
    Path folder;
    TestDatabase db;

    @BeforeEach
    void createDatabase() {
        db = TestDatabase.create(getClass());
        Migrations.write(folder, "20250101000000_every_kind", EVERY_KIND);
        Migrations.write(folder, "20250102000000_more", "ALTER TABLE \"User\" ADD COLUMN name text;");
    }

    @AfterEach
    void dropDatabase() {
        db.close();
    }

    Migrator.Builder migrator() {
        return Migrator.builder().url(db.postgresUrl()).location(folder.toString());
    }

    @Test
    void refusesUnlessAllowedAndSaysHow() throws SQLException {
        migrator().build().deploy();
        execute("INSERT INTO \"User\" (email) VALUES ('kept@example.com')");

        assertThatThrownBy(() -> migrator().build().reset())
                .isInstanceOfSatisfying(TidemarkException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.RESET_REFUSED))
                .hasMessageContaining("TIDEMARK_ALLOW_RESET=true")
                .hasMessageContaining("allowReset(true)");
        assertThat(query("SELECT count(*) FROM \"User\"")).containsExactly("2");
    }

    @Test
    void dropsEveryObjectOfTheSchemaAndDeploysAgain() throws SQLException {
        migrator().build().deploy();
        List<String> migrated = objects();
        execute("INSERT INTO \"User\" (email) VALUES ('test@example.com')");
        execute("INSERT INTO \"Post\" (author_id, likes) VALUES (1, 3)");
        execute("SELECT nextval('invoice_number')");
        execute("CREATE TABLE scratch (id int); CREATE VIEW scratch_view AS SELECT * FROM scratch;"
                + " CREATE TYPE mood AS ENUM ('happy');"
                + " CREATE FUNCTION answer() RETURNS int LANGUAGE sql AS 'SELECT 42';"
                + " CREATE SEQUENCE loose; CREATE EXTENSION pg_trgm;");
        assertThat(objects()).hasSizeGreaterThan(migrated.size());

        DeployResult result = migrator().allowReset(true).build().reset();

        assertThat(result.applied()).extracting(AppliedMigration::name)
                .containsExactly("20250101000000_every_kind", "20250102000000_more");
        assertThat(objects()).isEqualTo(migrated);
        assertThat(query("SELECT email FROM \"User\"")).containsExactly("root@example.com");
        assertThat(query("SELECT count(*) FROM \"Post\"")).containsExactly("0");
        assertThat(query("SELECT nextval('invoice_number')")).containsExactly("1000");
        assertThat(query("SELECT count(*) FROM _prisma_migrations WHERE finished_at IS NOT NULL")).containsExactly("2");
    }

    @Test
    void keepsTheSchemaItsOwnerGrantsAndOtherSchemas() throws SQLException {
        assumeTrue(query("SELECT rolcreaterole OR rolsuper FROM pg_roles WHERE rolname = current_user").get(0)
                .equals("t"), "needs a user that may create roles");
        String reader = db.name() + "_reader";
        execute("CREATE SCHEMA app; COMMENT ON SCHEMA app IS 'the app'; CREATE ROLE " + reader + ";"
                + " GRANT USAGE ON SCHEMA app TO " + reader + ";"
                + " CREATE SCHEMA other; CREATE TABLE other.kept (id int)");
        try {
            Migrator app = migrator().schema("app").allowReset(true).build();
            app.deploy();
            execute("ALTER TABLE other.kept ADD COLUMN email app.citext; INSERT INTO other.kept VALUES (1, 'A@x')");
            app.reset();
            assertThat(query("SELECT email FROM other.kept")).as("the column of type citext, kept").containsExactly("A@x");
            assertThat(query("SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'citext'"))
                    .containsExactly("app");
            assertThat(query("SELECT obj_description('app'::regnamespace)")).containsExactly("the app");
            assertThat(query("SELECT has_schema_privilege('" + reader + "', 'app', 'USAGE')")).containsExactly("t");
            assertThat(query("SELECT count(*) FROM app.\"User\"")).containsExactly("1");
        } finally {
            execute("DROP SCHEMA app CASCADE; DROP ROLE " + reader);
        }
    }

    @Test
    void waitsForTheMigrationLockAndDropsNothingWithoutIt() throws SQLException {
        migrator().build().deploy();
        try (Connection holder = db.connect(); Statement statement = holder.createStatement()) {
            statement.execute("SELECT pg_advisory_lock(72707369)");
            Migrator migrator = migrator().allowReset(true).lockWait(Duration.ZERO).build();
            assertThatThrownBy(migrator::reset).isInstanceOf(LockTimeoutException.class);
        }
        assertThat(query("SELECT count(*) FROM \"User\"")).containsExactly("1");
    }

    @Test
    void isAllowedByTheEnvironmentVariable() throws Exception {
        migrator().build().deploy();
        execute("CREATE TABLE scratch (id int)");

        assertThat(resetInAnotherJvm(Map.of())).as("exit code without the variable").isEqualTo(2);
        assertThat(query("SELECT to_regclass('scratch') IS NOT NULL")).containsExactly("t");
        assertThat(resetInAnotherJvm(Map.of("TIDEMARK_ALLOW_RESET", "true"))).as("exit code with it").isZero();
        assertThat(query("SELECT to_regclass('scratch') IS NOT NULL")).containsExactly("f");
    }

    /** Runs {@link ResetMain} in a new JVM (a JVM cannot change its own environment); returns its exit code. */
    int resetInAnotherJvm(Map<String, String> environment) throws Exception {
        ProcessBuilder process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ResetMain.class.getName(), db.postgresUrl(),
                folder.toString()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        process.environment().remove(Migrator.ALLOW_RESET_VARIABLE);
        process.environment().putAll(environment);
        return process.start().waitFor();
    }

    /** Resets the database given as the first argument; exit code 2 when the reset is refused. */
    static final class ResetMain {
        public static void main(String[] args) {
            try {
                Migrator.builder().url(args[0]).location(args[1]).build().reset();
            } catch (TidemarkException e) {
                System.exit(e.code() == ErrorCode.RESET_REFUSED ? 2 : 1);
            }
        }
    }

    @Test
    void resetsAnEmptyDatabase() {
        DeployResult result = migrator().allowReset(true).build().reset();
        assertThat(result.applied()).hasSize(2);
    }

    /** Every object in schema public, by kind and name, excluding extension members. */
    List<String> objects() throws SQLException {
        return query("""
                SELECT kind || ' ' || name FROM (
                  SELECT c.relkind::text AS kind, c.relname::text AS name, c.oid AS oid, 'pg_class' AS cat
                    FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace
                  UNION ALL SELECT 'proc', p.proname::text, p.oid, 'pg_proc'
                    FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace
                  UNION ALL SELECT 'type ' || t.typtype::text, t.typname::text, t.oid, 'pg_type'
                    FROM pg_type t WHERE t.typnamespace = 'public'::regnamespace
                  UNION ALL SELECT 'extension', e.extname::text, e.oid, 'pg_extension'
                    FROM pg_extension e WHERE e.extnamespace = 'public'::regnamespace
                ) o WHERE NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = o.oid AND d.deptype = 'e'
                  AND d.classid = o.cat::regclass)
                ORDER BY 1""");
    }

    void execute(String sql) throws SQLException {
        try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    List<String> query(String sql) throws SQLException {
        try (Connection connection = db.connect(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (rs.next()) {
                values.add(rs.getString(1));
            }
            return values;
        }
    }
}
