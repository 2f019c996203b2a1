package dev.tidemark;

import dev.tidemark.testdb.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class FastResetTests {

    static final String SHOP = """
            CREATE TYPE "Status" AS ENUM ('OPEN', 'PAID');
            CREATE TABLE "Customer" (id SERIAL PRIMARY KEY, name text NOT NULL);
            CREATE TABLE "Order" (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                customer_id integer NOT NULL REFERENCES "Customer"(id), status "Status" NOT NULL DEFAULT 'OPEN',
                total numeric NOT NULL, total_cents bigint GENERATED ALWAYS AS ((total * 100)::bigint) STORED);
            CREATE TABLE "Line" (order_id integer NOT NULL REFERENCES "Order"(id), sku text NOT NULL);
            CREATE TABLE "Category" (id SERIAL PRIMARY KEY, parent_id integer REFERENCES "Category"(id), name text);
            CREATE TABLE audit (what text);
            CREATE FUNCTION audit_order() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN INSERT INTO audit VALUES (TG_OP || ' ' || coalesce(NEW.id, OLD.id)); RETURN NULL; END $$;
            CREATE TRIGGER order_audit AFTER INSERT OR DELETE ON "Order" FOR EACH ROW EXECUTE FUNCTION audit_order();
            INSERT INTO "Customer" (name) VALUES ('seed customer');
            INSERT INTO "Order" (customer_id, total) VALUES (1, 9.99);
            INSERT INTO "Category" (name) VALUES ('root');
            INSERT INTO "Category" (parent_id, name) VALUES (1, 'child');
            CREATE TABLE "Team" (id int PRIMARY KEY, captain_id int);
            CREATE TABLE "Player" (id int PRIMARY KEY, team_id int REFERENCES "Team"(id));
            ALTER TABLE "Team" ADD CONSTRAINT team_captain FOREIGN KEY (captain_id) REFERENCES "Player"(id);
            CREATE TABLE "Coach" (id int PRIMARY KEY, team_id int NOT NULL REFERENCES "Team"(id));
            INSERT INTO "Team" VALUES (1, NULL);
            INSERT INTO "Coach" VALUES (1, 1);
            """;

    @TempDir
    Path folder;
    TestDatabase db;

    @BeforeEach
    void createDatabase() {
        db = TestDatabase.create(getClass());
        Migrations.write(folder, "20250101000000_shop", SHOP);
    }

    @AfterEach
    void dropDatabase() {
        db.close();
    }

    Migrator migrator() {
        return Migrator.builder().url(db.postgresUrl()).location(folder.toString()).allowReset(true).build();
    }

    @Test
    void restoreRemovesTestDataBringsSeedRowsBackAndRestartsSequences() throws SQLException {
        FastReset reset = FastReset.prepare(migrator());
        assertThat(reset.recorded()).isTrue();
        List<String> migrated = content();
        String firstCustomerId = scalar("INSERT INTO \"Customer\" (name) VALUES ('a') RETURNING id");

        execute("INSERT INTO \"Customer\" (name) VALUES ('b');"
                + " INSERT INTO \"Order\" (customer_id, total) VALUES (2, 5);"
                + " INSERT INTO \"Line\" VALUES (1, 'x'), (2, 'y');"
                + " UPDATE \"Customer\" SET name = 'renamed' WHERE id = 1;"
                + " DELETE FROM \"Category\" WHERE name = 'child';"
                + " INSERT INTO \"Category\" (parent_id, name) VALUES (1, 'other')");
        assertThat(content()).isNotEqualTo(migrated);

        reset.restore();

        assertThat(content()).isEqualTo(migrated);
        assertThat(scalar("INSERT INTO \"Customer\" (name) VALUES ('a') RETURNING id")).isEqualTo(firstCustomerId);
        assertThat(scalar("INSERT INTO \"Order\" (customer_id, total) VALUES (1, 1) RETURNING id")).isEqualTo("2");
    }

    @Test
    void restoresWithoutPermissionToSetTheReplicationRole() throws SQLException {
        assumeTrue(scalar("SELECT rolcreaterole OR rolsuper FROM pg_roles WHERE rolname = current_user").equals("t"),
                "needs a user that may create roles");
        // A plain owner, not a superuser: foreign keys fire, so children go before parents (Team and Player reference
        // each other), and triggers are switched off.
        String role = db.name() + "_owner";
        // A CREATEROLE user that is not a superuser must be a member of a role to hand objects over to it.
        execute("CREATE ROLE " + role + " LOGIN PASSWORD 'owner-secret'; GRANT " + role + " TO CURRENT_USER;"
                + " ALTER DATABASE " + db.name() + " OWNER TO " + role + "; ALTER SCHEMA public OWNER TO " + role);
        try {
            Migrator owner = Migrator.builder().url(db.jdbcUrl()).user(role).password("owner-secret")
                    .location(folder.toString()).allowReset(true).build();
            FastReset reset = FastReset.prepare(owner);
            assertThat(scalar("SELECT replica FROM _tidemark_reset_public.state")).isEqualTo("f");
            List<String> migrated = content();
            execute("INSERT INTO \"Order\" (customer_id, total) VALUES (1, 5); INSERT INTO \"Line\" VALUES (1, 'x');"
                    + " INSERT INTO \"Player\" VALUES (1, 1); UPDATE \"Team\" SET captain_id = 1;"
                    + " INSERT INTO \"Coach\" VALUES (2, 1)");

            reset.restore();

            assertThat(content()).isEqualTo(migrated);
        } finally {
            execute("ALTER DATABASE " + db.name() + " OWNER TO " + db.user() + "; REASSIGN OWNED BY " + role + " TO "
                    + db.user() + "; DROP OWNED BY " + role + "; DROP ROLE " + role);
        }
    }

    @Test
    void reusesTheRecordedStateAndRecordsItAgainWhenTheMigrationsChange() throws SQLException {
        FastReset first = FastReset.prepare(migrator());
        execute("INSERT INTO \"Customer\" (name) VALUES ('left over')");

        FastReset again = FastReset.prepare(migrator());
        assertThat(again.recorded()).isFalse();
        assertThat(again.fingerprint()).isEqualTo(first.fingerprint());
        again.restore();
        assertThat(scalar("SELECT count(*) FROM \"Customer\"")).isEqualTo("1");

        execute("INSERT INTO \"Customer\" (name) VALUES ('left over')");
        Migrations.write(folder, "20250102000000_tags", "CREATE TABLE tag (name text PRIMARY KEY);"
                + " INSERT INTO tag VALUES ('new');");
        FastReset changed = FastReset.prepare(migrator());

        assertThat(changed.recorded()).isTrue();
        assertThat(changed.fingerprint()).isNotEqualTo(first.fingerprint());
        assertThat(scalar("SELECT count(*) FROM \"Customer\"")).isEqualTo("1");
        execute("DELETE FROM tag");
        changed.restore();
        assertThat(scalar("SELECT name FROM tag")).isEqualTo("new");
        assertThatThrownBy(first::restore)
                .isInstanceOfSatisfying(TidemarkException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_UP_TO_DATE))
                .hasMessageContaining("prepared for other migrations");
    }

    @Test
    void refusesUnlessResetIsAllowed() throws SQLException {
        Migrator guarded = Migrator.builder().url(db.postgresUrl()).location(folder.toString()).build();
        guarded.deploy();
        execute("INSERT INTO \"Customer\" (name) VALUES ('production data')");

        assertThatThrownBy(() -> FastReset.prepare(guarded))
                .isInstanceOfSatisfying(TidemarkException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.RESET_REFUSED));
        assertThat(scalar("SELECT count(*) FROM \"Customer\"")).isEqualTo("2");
    }

    @Test
    void concurrentPreparersRecordTheStateOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<FastReset>> results = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Callable<FastReset> prepare = () -> FastReset.prepare(migrator());
                results.add(pool.submit(prepare));
            }
            int recorded = 0;
            for (Future<FastReset> result : results) {
                recorded += result.get().recorded() ? 1 : 0;
            }
            assertThat(recorded).isEqualTo(1);
        } finally {
            pool.shutdown();
        }
        assertThat(scalar("SELECT count(*) FROM _prisma_migrations")).isEqualTo("1");
    }

    @ParameterizedTest
    @ValueSource(strings = {Corpus.OWN, Corpus.DOCUMENSO})
    void restoresAWholeHistory(String corpus) throws SQLException {
        Migrator history = Migrator.builder().url(db.postgresUrl()).location(Corpus.path(corpus).toString())
                .allowReset(true).build();
        FastReset reset = FastReset.prepare(history);
        List<String> migrated = content();
        execute(corpus.equals(Corpus.OWN)
                ? "INSERT INTO \"User\" (email, name) VALUES ('someone@example.com', 'Someone')"
                : "INSERT INTO \"User\" (email, \"emailVerified\", \"identityProvider\", password)"
                        + " VALUES ('someone@example.com', now(), 'DOCUMENSO', 'x')");
        assertThat(content()).isNotEqualTo(migrated);

        try (Connection connection = db.connect()) {
            reset.restore(connection);
            reset.restore(connection);
        }

        assertThat(content()).isEqualTo(migrated);
        assertThat(history.status().upToDate()).isTrue();
    }

    /** Every table of schema public with its rows, as text, and every sequence's position. */
    List<String> content() throws SQLException {
        List<String> content = new ArrayList<>();
        for (String table : query("SELECT quote_ident(relname) FROM pg_class"
                + " WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' AND relname <> '_prisma_migrations'"
                + " ORDER BY 1")) {
            content.add(table + ": " + query("SELECT t::text FROM " + table + " t ORDER BY 1"));
        }
        for (String sequence : query("SELECT quote_ident(relname) FROM pg_class"
                + " WHERE relnamespace = 'public'::regnamespace AND relkind = 'S' ORDER BY 1")) {
            content.add(sequence + ": " + query("SELECT last_value || ' ' || is_called FROM " + sequence));
        }
        return content;
    }

    void execute(String sql) throws SQLException {
        try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    String scalar(String sql) throws SQLException {
        return query(sql).get(0);
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
