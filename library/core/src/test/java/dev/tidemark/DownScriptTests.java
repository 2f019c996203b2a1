package dev.tidemark;

import dev.tidemark.DownVerification.Check;
import dev.tidemark.DownVerification.Outcome;
import dev.tidemark.testdb.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code generateDown} and {@code verifyDown} on small histories, against a real server. */
class DownScriptTests {

    private static final String INIT = """
            CREATE TABLE "User" (id integer PRIMARY KEY, email text NOT NULL, phone text);
            CREATE TABLE "Setting" (key text PRIMARY KEY, value text);
            """;
    private static final String DROP_PHONE = """
            ALTER TABLE "User" DROP COLUMN phone;
            ALTER TABLE "User" ADD COLUMN nickname varchar(40);
            INSERT INTO "Setting" (key, value) VALUES ('theme', 'dark');
            UPDATE "User" SET nickname = email;
            """;

    @TempDir
    Path dir;

    private TestDatabase db;
    private MigrationsFolder folder;

    @BeforeEach
    void setUp() {
        db = TestDatabase.create(getClass());
        folder = MigrationsFolder.in(dir.resolve("migrations"))
                .add("20240101000000_init", INIT)
                .add("20240102000000_drop_phone", DROP_PHONE);
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    @Test
    void theDownScriptStatesItsDataLossAndTheDataChangesItCannotUndo() throws SQLException {
        DownScript down = folder.migrator(db.postgresUrl()).build().generateDown("drop_phone");

        assertThat(down.migration()).isEqualTo("20240102000000_drop_phone");
        assertThat(down.dataLoss()).containsExactly("drops column \"User\".\"nickname\" and its data");
        assertThat(down.notInverted()).containsExactly(
                "line 3: INSERT INTO \"Setting\" (key, value) VALUES ('theme', 'dark')",
                "line 4: UPDATE \"User\" SET nickname = email");
        assertThat(down.script()).startsWith("-- Down migration for 20240102000000_drop_phone")
                .contains("\n-- WARNING: drops column \"User\".\"nickname\" and its data\n")
                .contains("--   line 3: INSERT INTO \"Setting\"")
                .contains("ALTER TABLE \"User\" ADD COLUMN \"phone\" text;")
                .contains("ALTER TABLE \"User\" DROP COLUMN \"nickname\";");
        // the target database is not touched
        try (Connection connection = db.connect(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }
    }

    /**
     * The generated script undoes the schema, not the seed row: running up again after it inserts the row twice.
     * Completing the script as its header asks makes the round trip come back.
     */
    @Test
    void aGeneratedDownScriptIsReversibleOnceItsListedDataChangesAreUndone() throws IOException {
        Migrator migrator = folder.migrator(db.postgresUrl()).build();
        for (String name : List.of("20240101000000_init", "20240102000000_drop_phone")) {
            folder.write(name + "/down.sql", migrator.generateDown(name).script());
        }
        DownVerification result = migrator.verifyDown(VerifyDownRequest.all());
        assertThat(result.checks()).extracting(Check::migration, Check::outcome).containsExactly(
                org.assertj.core.groups.Tuple.tuple("20240101000000_init", Outcome.REVERSIBLE),
                org.assertj.core.groups.Tuple.tuple("20240102000000_drop_phone", Outcome.FAILS));
        assertThat(result.checks().get(1).error()).startsWith("up again: " + dir.resolve("migrations")
                + "/20240102000000_drop_phone/migration.sql:3: ERROR: duplicate key value violates unique constraint"
                + " \"Setting_pkey\"");

        Path down = dir.resolve("migrations/20240102000000_drop_phone/down.sql");
        Files.writeString(down, Files.readString(down) + "DELETE FROM \"Setting\" WHERE key = 'theme';\n");
        assertThat(migrator.verifyDown(VerifyDownRequest.all()).allReversible()).isTrue();
    }

    @Test
    void verificationNamesWhatADownScriptLeavesAndWhereOneFails() {
        folder.write("20240101000000_init/down.sql", "DROP TABLE \"User\";\n")
                .write("20240102000000_drop_phone/down.sql", """
                        ALTER TABLE "User" ADD COLUMN phone text;
                        ALTER TABLE "User" DROP COLUMN nickname;
                        DELETE FROM "Setting";
                        ALTER TABLE "User" DROP COLUMN no_such_column;
                        """)
                .add("20240103000000_index", "CREATE INDEX user_email ON \"User\" (email);")
                .write("20240103000000_index/down.sql", "DROP INDEX user_email;");
        DownVerification result = folder.migrator(db.postgresUrl()).build().verifyDown(VerifyDownRequest.all());

        assertThat(result.checks()).hasSize(3);
        Check init = result.checks().get(0);
        assertThat(init.outcome()).isEqualTo(Outcome.LEAVES_DIFFERENCES);
        assertThat(init.differences()).containsExactly("+ added table \"Setting\"",
                "after up again: " + dir.resolve("migrations") + "/20240101000000_init/migration.sql:2: ERROR:"
                        + " relation \"Setting\" already exists (SQLSTATE 42P07)");
        Check dropPhone = result.checks().get(1);
        assertThat(dropPhone.outcome()).isEqualTo(Outcome.FAILS);
        assertThat(dropPhone.error()).isEqualTo(dir.resolve("migrations") + "/20240102000000_drop_phone/down.sql:4:"
                + " ERROR: column \"no_such_column\" of relation \"User\" does not exist (SQLSTATE 42703)");
        // the round trips are rolled back: the next migration is checked on the schema after the first up
        assertThat(result.checks().get(2).outcome()).isEqualTo(Outcome.REVERSIBLE);
        assertThat(result.count(Outcome.REVERSIBLE)).isEqualTo(1);
    }

    /** With rows, a down script that restores NOT NULL over rows holding NULL fails, and says where. */
    @Test
    void aSeedCatchesADownScriptThatFailsOnRows() throws IOException {
        folder.add("20240103000000_optional_email", "ALTER TABLE \"User\" ALTER COLUMN email DROP NOT NULL;")
                .write("20240103000000_optional_email/down.sql",
                        "-- back\nALTER TABLE \"User\" ALTER COLUMN email SET NOT NULL;\n");
        Migrator migrator = folder.migrator(db.postgresUrl()).build();
        assertThat(migrator.verifyDown(VerifyDownRequest.of("optional_email")).allReversible()).isTrue();

        Path seed = Files.writeString(dir.resolve("seed.sql"), "INSERT INTO \"User\" (id, email) VALUES (1, NULL);");
        Check check = migrator.verifyDown(VerifyDownRequest.of("optional_email").withSeed(seed)).checks().get(0);
        assertThat(check.outcome()).isEqualTo(Outcome.FAILS);
        assertThat(check.error()).startsWith(dir.resolve("migrations") + "/20240103000000_optional_email/down.sql:2:"
                + " ERROR: column \"email\" of relation \"User\" contains null values");
    }

    @Test
    void aNamedMigrationWithoutADownScriptIsRefused() {
        Migrator migrator = folder.migrator(db.postgresUrl()).build();
        assertThatThrownBy(() -> migrator.verifyDown(VerifyDownRequest.of("init")))
                .isInstanceOf(TidemarkException.class)
                .hasMessageContaining("Migration 20240101000000_init has no down script: " + dir.resolve("migrations")
                        + "/20240101000000_init/down.sql does not exist.");
        assertThatThrownBy(() -> migrator.generateDown("nope"))
                .isInstanceOf(TidemarkException.class)
                .satisfies(e -> assertThat(((TidemarkException) e).code()).isEqualTo(ErrorCode.MIGRATION_NOT_FOUND));
        assertThat(migrator.verifyDown(VerifyDownRequest.all()).checks()).isEmpty();
    }

    /**
     * {@code pending()} checks only what the target has pending (never applied, or rolled back) and has a down.sql;
     * it reads the target's history and writes nothing to it.
     */
    @Test
    void pendingChecksOnlyWhatTheTargetHasPendingAndLeavesTheTargetAlone() throws SQLException {
        folder.write("20240101000000_init/down.sql", "DROP TABLE \"Setting\";\nDROP TABLE \"User\";\n")
                .write("20240102000000_drop_phone/down.sql", """
                        ALTER TABLE "User" ADD COLUMN phone text;
                        ALTER TABLE "User" DROP COLUMN nickname;
                        DELETE FROM "Setting" WHERE key = 'theme';
                        """);
        Migrator migrator = folder.migrator(db.postgresUrl()).build();
        assertThat(migrator.deploy().applied()).hasSize(2);
        folder.add("20240103000000_index", "CREATE INDEX user_email ON \"User\" (email);")
                .write("20240103000000_index/down.sql", "DROP INDEX user_email;")
                .add("20240104000000_no_down", "CREATE TABLE \"Note\" (id integer PRIMARY KEY);");

        DownVerification pending = migrator.verifyDown(VerifyDownRequest.pending());
        assertThat(pending.checks()).extracting(Check::migration, Check::outcome).containsExactly(
                org.assertj.core.groups.Tuple.tuple("20240103000000_index", Outcome.REVERSIBLE));
        assertThat(migrator.verifyDown(VerifyDownRequest.all()).checks()).extracting(Check::migration)
                .containsExactly("20240101000000_init", "20240102000000_drop_phone", "20240103000000_index");
        // read-only on the target: nothing of the pending migrations, no history row added
        assertThat(count("SELECT count(*) FROM _prisma_migrations")).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM pg_indexes WHERE indexname = 'user_email'")).isZero();
        assertThat(count("SELECT count(*) FROM pg_tables WHERE tablename = 'Note'")).isZero();

        migrator.rollback(RollbackRequest.steps(1));
        assertThat(migrator.verifyDown(VerifyDownRequest.pending()).checks()).extracting(Check::migration)
                .as("a rolled-back migration is pending again")
                .containsExactly("20240102000000_drop_phone", "20240103000000_index");

        migrator.deploy();
        assertThat(migrator.verifyDown(VerifyDownRequest.pending()).checks()).as("nothing pending").isEmpty();
        assertThatThrownBy(() -> new VerifyDownRequest(List.of("init"), null, null, true))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("give migrations or pendingOnly, not both");
    }

    private int count(String sql) throws SQLException {
        try (Connection connection = db.connect(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
