package dev.tidemark.internal.schema;

import dev.tidemark.internal.schema.SchemaModel.Column;
import dev.tidemark.internal.schema.SchemaModel.ConstraintKind;
import dev.tidemark.internal.schema.SchemaModel.Identity;
import dev.tidemark.testdb.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class SchemaIntrospectorTests {

    /** One of each kind of object the model covers, in an order where nothing is created before it is needed. */
    static final List<String> SAMPLE = List.of(
            "CREATE EXTENSION IF NOT EXISTS citext",
            "CREATE TYPE \"Role\" AS ENUM ('USER', 'ADMIN', 'OWNER')",
            "COMMENT ON TYPE \"Role\" IS 'who may do what'",
            "CREATE SEQUENCE invoice_no AS integer START 1000 INCREMENT 10 CACHE 5",
            "CREATE TABLE \"Team\" (id serial PRIMARY KEY, slug citext NOT NULL, name text COLLATE \"C\")",
            "CREATE TABLE \"User\" (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
                    + " email varchar(255) NOT NULL, role \"Role\" NOT NULL DEFAULT 'USER', roles \"Role\"[],"
                    + " team_id integer REFERENCES \"Team\"(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,"
                    + " first text, last text, full_name text GENERATED ALWAYS AS (first || ' ' || last) STORED,"
                    + " age integer CONSTRAINT age_positive CHECK (age > 0),"
                    + " created_at timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,"
                    + " CONSTRAINT user_email_unique UNIQUE (email))",
            "ALTER TABLE \"User\" ADD CONSTRAINT name_present CHECK (first IS NOT NULL) NOT VALID",
            "COMMENT ON TABLE \"User\" IS 'people'",
            "COMMENT ON COLUMN \"User\".email IS 'lower case'",
            "CREATE UNIQUE INDEX team_slug ON \"Team\" (slug)",
            "CREATE INDEX user_lower_email ON \"User\" (lower(email)) INCLUDE (role) WHERE age IS NOT NULL",
            "CREATE INDEX user_created_brin ON \"User\" USING brin (created_at)",
            "CREATE VIEW admins AS SELECT id, email FROM \"User\" WHERE role = 'ADMIN'",
            "CREATE VIEW admin_emails AS SELECT email FROM admins",
            "CREATE MATERIALIZED VIEW team_sizes AS SELECT team_id, count(*) AS members FROM \"User\" GROUP BY 1",
            "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN NEW.created_at = now();"
                    + " RETURN NEW; END$$",
            "CREATE PROCEDURE noop(n integer) LANGUAGE sql AS $$SELECT 1$$",
            "CREATE TRIGGER user_touch BEFORE UPDATE ON \"User\" FOR EACH ROW EXECUTE FUNCTION touch()");

    static void execute(Connection connection, List<String> statements) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    static SchemaModel read(TestDatabase db) throws SQLException {
        try (Connection connection = db.connect()) {
            return new SchemaIntrospector("public", Set.of("_prisma_migrations")).read(connection);
        }
    }

    @Test
    void readsEveryKindOfObject() throws SQLException {
        try (TestDatabase db = TestDatabase.create(getClass())) {
            try (Connection connection = db.connect()) {
                execute(connection, SAMPLE);
            }
            SchemaModel model = read(db);

            assertThat(model.extensions()).extracting(SchemaModel.Extension::name).containsExactly("citext");
            assertThat(model.enums()).singleElement().satisfies(e -> {
                assertThat(e.values()).containsExactly("USER", "ADMIN", "OWNER");
                assertThat(e.comment()).isEqualTo("who may do what");
            });
            assertThat(model.sequences()).extracting(SchemaModel.Sequence::name)
                    .containsExactly("Team_id_seq", "invoice_no");
            SchemaModel.Sequence invoice = model.sequences().get(1);
            assertThat(invoice.start()).isEqualTo(1000);
            assertThat(invoice.increment()).isEqualTo(10);
            assertThat(invoice.cache()).isEqualTo(5);
            assertThat(model.sequences().get(0).ownedByTable()).isEqualTo("Team");
            assertThat(model.sequences().get(0).ownedByColumn()).isEqualTo("id");

            SchemaModel.Table user = model.table("User").orElseThrow();
            assertThat(user.columns()).extracting(Column::name).containsExactly("id", "email", "role", "roles",
                    "team_id", "first", "last", "full_name", "age", "created_at");
            assertThat(user.column("id").orElseThrow().identity()).isEqualTo(Identity.ALWAYS);
            assertThat(user.column("email").orElseThrow().type()).isEqualTo("character varying(255)");
            assertThat(user.column("email").orElseThrow().comment()).isEqualTo("lower case");
            assertThat(user.column("role").orElseThrow().defaultExpression()).isEqualTo("'USER'::\"Role\"");
            assertThat(user.column("roles").orElseThrow().type()).isEqualTo("\"Role\"[]");
            assertThat(user.column("full_name").orElseThrow().generated()).contains("first").contains("last");
            assertThat(user.column("full_name").orElseThrow().defaultExpression()).isNull();
            assertThat(user.column("created_at").orElseThrow().notNull()).isTrue();
            assertThat(model.table("Team").orElseThrow().column("name").orElseThrow().collation()).isEqualTo("C");
            assertThat(model.table("Team").orElseThrow().column("slug").orElseThrow().collation()).isNull();
            assertThat(user.comment()).isEqualTo("people");

            assertThat(user.constraints()).extracting(SchemaModel.Constraint::name).containsExactly("User_pkey",
                    "User_team_id_fkey", "age_positive", "name_present", "user_email_unique");
            SchemaModel.Constraint fk = user.constraint("User_team_id_fkey").orElseThrow();
            assertThat(fk.kind()).isEqualTo(ConstraintKind.FOREIGN_KEY);
            assertThat(fk.referencedTable()).isEqualTo("Team");
            assertThat(fk.definition()).contains("ON DELETE CASCADE").contains("DEFERRABLE INITIALLY DEFERRED");
            assertThat(user.constraint("name_present").orElseThrow().definition()).endsWith("NOT VALID");

            // constraint-backed indexes (User_pkey, user_email_unique) belong to their constraints
            assertThat(model.indexes()).extracting(SchemaModel.Index::name)
                    .containsExactly("team_slug", "user_created_brin", "user_lower_email");
            assertThat(model.indexes().get(2).definition()).contains("lower((email)::text)").contains("INCLUDE (role)")
                    .contains("WHERE (age IS NOT NULL)");
            assertThat(model.indexes().get(1).definition()).contains("USING brin");
            assertThat(model.indexes().get(0).unique()).isTrue();

            assertThat(model.views()).extracting(SchemaModel.View::name)
                    .containsExactly("admin_emails", "admins", "team_sizes");
            assertThat(model.views().get(0).dependsOn()).containsExactly("admins");
            assertThat(model.views().get(1).dependsOn()).containsExactly("User");
            assertThat(model.views().get(2).materialized()).isTrue();

            assertThat(model.routines()).extracting(SchemaModel.Routine::signature)
                    .containsExactly("noop(integer)", "touch()");
            assertThat(model.routines().get(0).arguments()).isEqualTo("IN n integer");
            assertThat(model.routines().get(0).procedure()).isTrue();
            assertThat(model.routines()).noneMatch(r -> r.name().startsWith("citext"));
            assertThat(model.triggers()).singleElement().satisfies(t -> {
                assertThat(t.table()).isEqualTo("User");
                assertThat(t.definition()).contains("BEFORE UPDATE").contains("touch()");
            });
        }
    }

    @Test
    void modelAndRenderingDoNotDependOnCreationOrder() throws SQLException {
        try (TestDatabase first = TestDatabase.create("introspect_a");
                TestDatabase second = TestDatabase.create("introspect_b")) {
            try (Connection connection = first.connect()) {
                execute(connection, SAMPLE);
            }
            try (Connection connection = second.connect()) {
                // objects created in another order, with unrelated objects created and dropped in between
                execute(connection, List.of("CREATE TABLE scratch (x int)", "CREATE TYPE scratch_t AS ENUM ('a')"));
                int[] order = {16, 15, 3, 0, 1, 4, 9, 5, 17, 14, 12, 13, 11, 10, 8, 7, 6, 2};
                assertThat(order).hasSize(SAMPLE.size());
                for (int i : order) {
                    execute(connection, List.of(SAMPLE.get(i)));
                }
                execute(connection, List.of("DROP TABLE scratch", "DROP TYPE scratch_t"));
            }
            SchemaModel a = read(first);
            SchemaModel b = read(second);
            assertThat(SchemaRenderer.render(b)).isEqualTo(SchemaRenderer.render(a));
            assertThat(b).isEqualTo(a);
        }
    }

    @Test
    void rendersReadableStableText() throws SQLException {
        try (TestDatabase db = TestDatabase.create(getClass())) {
            try (Connection connection = db.connect()) {
                execute(connection, SAMPLE);
            }
            String text = SchemaRenderer.render(read(db));
            assertThat(text).startsWith("schema \"public\"\n");
            assertThat(text).contains("\nenum \"Role\" ('USER', 'ADMIN', 'OWNER')\n  comment 'who may do what'\n");
            assertThat(text).contains("\ntable \"User\"\n  column \"id\" bigint not null generated always as identity\n"
                    + "  column \"email\" character varying(255) not null\n    comment 'lower case'\n");
            assertThat(text).contains("  column \"name\" text collate \"C\"\n");
            assertThat(text).contains("\nsequence \"invoice_no\" as integer start 1000 increment 10 min 1 max"
                    + " 2147483647 cache 5\n");
            assertThat(text).contains("  constraint \"User_team_id_fkey\" FOREIGN KEY (team_id) REFERENCES"
                    + " \"Team\"(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED\n");
            assertThat(text).contains("\nview \"admin_emails\"\n  SELECT admins.email\n     FROM admins\n");
            assertThat(text).doesNotContain("_prisma_migrations");
            // rendering the same model twice gives the same text
            assertThat(SchemaRenderer.render(read(db))).isEqualTo(text);
        }
    }

    @Test
    void missingSchemaReadsAsEmpty() throws SQLException {
        try (TestDatabase db = TestDatabase.create(getClass()); Connection connection = db.connect()) {
            SchemaModel model = new SchemaIntrospector("nowhere", Set.of()).read(connection);
            assertThat(model.isEmpty()).isTrue();
            assertThat(model.name()).isEqualTo("nowhere");
            assertThat(connection.getAutoCommit()).isTrue();
        }
    }
}
