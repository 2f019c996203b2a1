package dev.tidemark;

import dev.tidemark.testdb.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Drift detection on whole histories (the own corpus, and documenso and umami where present), changed by hand. */
class DriftTests {

    @ParameterizedTest
    @ValueSource(strings = {Corpus.OWN, Corpus.DOCUMENSO})
    void noDriftRightAfterDeploy(String corpus) {
        try (TestDatabase db = TestDatabase.create(getClass())) {
            Migrator migrator = migrator(db, corpus);
            migrator.deploy();
            Set<String> shadowsBefore = shadowDatabases(db);

            SchemaDiff drift = migrator.drift();

            assertThat(drift.hasDifferences()).as(drift.summary()).isFalse();
            assertThat(drift.changes()).isEmpty();
            assertThat(drift.script()).isEmpty();
            assertThat(drift.summary()).isEmpty();
            assertNoShadowLeftSince(db, shadowsBefore);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {Corpus.OWN, Corpus.DOCUMENSO})
    void driftNamesExactlyTheChangesMadeByHand(String corpus) throws SQLException {
        try (TestDatabase db = TestDatabase.create(getClass()); TestDatabase replay = TestDatabase.create("replay")) {
            Migrator migrator = migrator(db, corpus);
            migrator.deploy();
            try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
                statement.execute("ALTER TABLE \"User\" ADD COLUMN \"nickname\" TEXT");
                statement.execute("CREATE INDEX \"User_name_by_hand_idx\" ON \"User\"(\"name\")");
                statement.execute("ALTER TABLE \"User\" ALTER COLUMN \"name\" SET DEFAULT 'anonymous'");
            }

            SchemaDiff drift = migrator.drift();

            assertThat(drift.hasDifferences()).isTrue();
            assertThat(drift.isDestructive()).isFalse();
            assertThat(drift.changes()).extracting(SchemaChange::kind, SchemaChange::objectType, SchemaChange::object)
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple(SchemaChange.Kind.ADDED, SchemaChange.ObjectType.COLUMN,
                                    "\"User\".\"nickname\""),
                            org.assertj.core.groups.Tuple.tuple(SchemaChange.Kind.ADDED, SchemaChange.ObjectType.INDEX,
                                    "\"User_name_by_hand_idx\""),
                            org.assertj.core.groups.Tuple.tuple(SchemaChange.Kind.CHANGED, SchemaChange.ObjectType.COLUMN,
                                    "\"User\".\"name\""));
            assertThat(drift.changes()).filteredOn(c -> c.object().equals("\"User\".\"name\""))
                    .singleElement().satisfies(c -> assertThat(c.description()).contains("default none -> 'anonymous'"));
            assertThat(drift.summary().lines()).hasSize(3);

            // the script reproduces the hand-made changes on top of the migrations
            Migrator other = migrator(replay, corpus);
            other.deploy();
            try (Connection connection = replay.connect(); Statement statement = connection.createStatement()) {
                statement.execute(drift.script());
            }
            assertThat(other.drift().changes()).hasSize(3);
            assertThat(other.diff(SchemaSource.database(), SchemaSource.url(db.postgresUrl())).hasDifferences())
                    .isFalse();
        }
    }

    /** Each history has a table with a nullable {@code "domain" VARCHAR(500)}: harbor's "Workspace", umami's website. */
    @ParameterizedTest
    @CsvSource({Corpus.OWN + ", Workspace", Corpus.UMAMI + ", website"})
    void droppedColumnIsDestructiveToRestore(String corpus, String table) throws SQLException {
        try (TestDatabase db = TestDatabase.create(getClass())) {
            Migrator migrator = migrator(db, corpus);
            migrator.deploy();
            try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
                statement.execute("ALTER TABLE \"" + table + "\" DROP COLUMN domain");
            }
            // from the database back to the migrations: the column is added again
            SchemaDiff back = migrator.diff(SchemaSource.database(), SchemaSource.migrations());
            assertThat(back.changes()).singleElement().satisfies(c -> {
                assertThat(c.kind()).isEqualTo(SchemaChange.Kind.ADDED);
                assertThat(c.object()).isEqualTo("\"" + table + "\".\"domain\"");
                assertThat(c.description())
                        .isEqualTo("added column \"" + table + "\".\"domain\" character varying(500)");
            });
            assertThat(back.isDestructive()).isFalse();
            // drift, from the migrations to the database: the column and its unique index are gone
            SchemaDiff drift = migrator.drift();
            assertThat(drift.isDestructive()).isTrue();
            assertThat(drift.script())
                    .contains("-- WARNING: destructive: drops column \"" + table + "\".\"domain\"");
        }
    }

    @ParameterizedTest
    @CsvSource({Corpus.OWN + ", Workspace", Corpus.UMAMI + ", website"})
    void worksInANonPublicSchema(String corpus, String table) throws SQLException {
        String quoted = table.equals(table.toLowerCase(java.util.Locale.ROOT)) ? table : "\"" + table + "\"";
        try (TestDatabase db = TestDatabase.create(getClass())) {
            Migrator migrator = Migrator.builder().url(db.postgresUrl() + "?schema=app")
                    .location(Corpus.path(corpus).toString()).build();
            migrator.deploy();
            assertThat(migrator.drift().hasDifferences()).isFalse();
            try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
                statement.execute("CREATE INDEX by_hand ON app." + quoted + " (name)");
                statement.execute("CREATE TABLE public.elsewhere (id integer)"); // another schema: not compared
            }
            SchemaDiff drift = migrator.drift();
            assertThat(drift.changes()).extracting(SchemaChange::object).containsExactly("\"by_hand\"");
            assertThat(drift.script()).contains("CREATE INDEX by_hand ON app." + quoted + " USING btree (name);");
            assertThat(migrator.describeSchema(SchemaSource.database())).startsWith("schema \"app\"\n")
                    .doesNotContain("elsewhere");
        }
    }

    static Migrator documenso(TestDatabase db) {
        return migrator(db, Corpus.DOCUMENSO);
    }

    static Migrator migrator(TestDatabase db, String corpus) {
        return Migrator.builder().url(db.postgresUrl()).location(Corpus.path(corpus).toString()).build();
    }

    /** The names of the temporary shadow databases on the server, of every test running now. */
    static Set<String> shadowDatabases(TestDatabase db) {
        try (Connection connection = db.connect(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(
                        "SELECT datname FROM pg_database WHERE datname LIKE 'tidemark\\_shadow\\_%'")) {
            Set<String> names = new HashSet<>();
            while (rs.next()) {
                names.add(rs.getString(1));
            }
            return names;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Asserts that no shadow database created since {@code before} is left: the server is shared with other tests,
     * whose shadows come and go, so each new one is given 30 s to be dropped; a leaked one never is.
     */
    static void assertNoShadowLeftSince(TestDatabase db, Set<String> before) {
        Set<String> left = new HashSet<>(shadowDatabases(db));
        left.removeAll(before);
        for (int i = 0; i < 300 && !left.isEmpty(); i++) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            left.retainAll(shadowDatabases(db));
        }
        assertThat(left).as("temporary shadow databases left behind").isEmpty();
    }
}
