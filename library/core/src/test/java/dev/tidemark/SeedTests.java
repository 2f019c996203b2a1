package dev.tidemark;

import dev.tidemark.testdb.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SeedTests {

    @TempDir
    Path dir;
    Path migrations;
    Path seed;
    TestDatabase db;

    @BeforeEach
    void createDatabase() throws Exception {
        db = TestDatabase.create(getClass());
        migrations = Migrations.write(dir.resolve("migrations"), "20250101000000_init",
                "CREATE TABLE role (id int PRIMARY KEY, name text NOT NULL UNIQUE);");
        seed = dir.resolve("seed.sql");
        Files.writeString(seed, "INSERT INTO role VALUES (1, 'admin');\nINSERT INTO role VALUES (2, 'user');\n");
    }

    @AfterEach
    void dropDatabase() {
        db.close();
    }

    Migrator.Builder migrator() {
        return Migrator.builder().url(db.postgresUrl()).location(migrations.toString()).seed(seed.toString());
    }

    @Test
    void seedRunsTheFileInTheTargetSchema() {
        Sql.execute(db, "CREATE SCHEMA app");
        Migrator migrator = migrator().schema("app").build();
        migrator.deploy();

        SeedResult result = migrator.seed();

        assertThat(result.statements()).isEqualTo(2);
        assertThat(result.file()).isEqualTo(seed.toString());
        assertThat(Sql.query(db, "SELECT name FROM app.role ORDER BY id"))
                .containsExactly(List.of("admin"), List.of("user"));
    }

    @Test
    void aFailingSeedKeepsNothingAndNamesTheLine() throws Exception {
        Files.writeString(seed, "INSERT INTO role VALUES (1, 'admin');\n\nINSERT INTO role VALUES (1, 'again');\n");
        Migrator migrator = migrator().build();
        migrator.deploy();

        assertThatThrownBy(migrator::seed)
                .isInstanceOfSatisfying(TidemarkException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.SEED_FAILED))
                .hasMessageContaining(seed + " line 3 failed")
                .hasMessageContaining("23505")
                .hasMessageContaining("nothing of it was applied");
        assertThat(Sql.value(db, "SELECT count(*) FROM role")).isEqualTo(0L);
    }

    @Test
    void resetSeedsAfterMigrating() {
        Migrator migrator = migrator().allowReset(true).build();
        migrator.deploy();
        Sql.execute(db, "INSERT INTO role VALUES (9, 'left over')");

        migrator.reset();

        assertThat(Sql.query(db, "SELECT id FROM role ORDER BY id")).containsExactly(List.of(1), List.of(2));
    }

    @Test
    void fastResetsRestoreTheSeededRowsAndAnEditedSeedIsSeededAgain() throws Exception {
        Migrator migrator = migrator().allowReset(true).build();
        FastReset reset = FastReset.prepare(migrator);
        Sql.execute(db, "DELETE FROM role WHERE id = 1");
        Sql.execute(db, "INSERT INTO role VALUES (3, 'guest')");

        reset.restore();
        assertThat(Sql.query(db, "SELECT id FROM role ORDER BY id")).containsExactly(List.of(1), List.of(2));

        Files.writeString(seed, "INSERT INTO role VALUES (5, 'owner');\n");
        FastReset.prepare(migrator).restore();
        assertThat(Sql.query(db, "SELECT id FROM role ORDER BY id")).containsExactly(List.of(5));
    }

    @Test
    void withoutASeedFileSeedSaysHowToConfigureOne() {
        Migrator migrator = Migrator.builder().url(db.postgresUrl()).location(migrations.toString()).build();
        assertThatThrownBy(migrator::seed)
                .isInstanceOfSatisfying(TidemarkException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION_INVALID))
                .hasMessageContaining("seed(\"prisma/seed.sql\")")
                .hasMessageNotContaining("--file");
        Migrator missing = migrator().seed(dir.resolve("nope.sql").toString()).build();
        assertThatThrownBy(missing::seed).hasMessageContaining("nope.sql does not exist");
    }

    @Test
    void transactionControlInTheSeedFileIsRefusedBeforeAnythingRuns() throws Exception {
        Files.writeString(seed, "INSERT INTO role VALUES (1, 'admin');\nCOMMIT;\n");
        Migrator migrator = migrator().build();
        migrator.deploy();
        assertThatThrownBy(migrator::seed)
                .isInstanceOfSatisfying(TidemarkException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.SEED_FAILED))
                .hasMessageContaining("line 2 controls the transaction (COMMIT)");
        assertThat(Sql.value(db, "SELECT count(*) FROM role")).isEqualTo(0L);
    }
}
