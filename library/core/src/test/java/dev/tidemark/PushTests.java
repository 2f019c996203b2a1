package dev.tidemark;

import dev.tidemark.testdb.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PushTests {

    @TempDir
    Path dir;
    Path desired;
    TestDatabase db;

    @BeforeEach
    void createDatabase() {
        db = TestDatabase.create(getClass());
        desired = dir.resolve("desired.sql");
    }

    @AfterEach
    void dropDatabase() {
        db.close();
    }

    Migrator migrator() {
        return Migrator.builder().url(db.postgresUrl()).location(dir.resolve("migrations").toString()).build();
    }

    PushResult push(String sql, PushOption... options) throws Exception {
        Files.writeString(desired, sql);
        return migrator().push(SchemaSource.sqlFile(desired), options);
    }

    @Test
    void pushCreatesWhatIsMissingWithoutAHistory() throws Exception {
        PushResult result = push("CREATE TABLE note (id int PRIMARY KEY, body text);");

        assertThat(result.applied()).isTrue();
        assertThat(result.risky()).isEmpty();
        assertThat(Sql.tableExists(db, "public.note")).isTrue();
        assertThat(Sql.tableExists(db, "public._prisma_migrations")).as("history untouched").isFalse();
        assertThat(push("CREATE TABLE note (id int PRIMARY KEY, body text);").diff().hasDifferences())
                .as("pushing again").isFalse();
    }

    @Test
    void dataLossIsRefusedWithTheListUnlessAccepted() throws Exception {
        Sql.execute(db, "CREATE TABLE note (id int PRIMARY KEY, body text, legacy text)");
        Sql.execute(db, "INSERT INTO note VALUES (1, 'b', 'l')");

        assertThatThrownBy(() -> push("CREATE TABLE note (id int PRIMARY KEY, body text);"))
                .isInstanceOfSatisfying(TidemarkException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.PUSH_REFUSED))
                .hasMessageContaining("1 step(s) can lose data")
                .hasMessageContaining("\"note\".\"legacy\"")
                .hasMessageContaining("accept data loss (PushOption.ACCEPT_DATA_LOSS)")
                .hasMessageNotContaining("--accept-data-loss");
        assertThat(Sql.value(db, "SELECT legacy FROM note")).isEqualTo("l");

        PushResult dryRun = push("CREATE TABLE note (id int PRIMARY KEY, body text);", PushOption.DRY_RUN);
        assertThat(dryRun.applied()).isFalse();
        assertThat(dryRun.diff().script()).contains("DROP COLUMN \"legacy\"");
        assertThat(dryRun.risky()).hasSize(1);
        assertThat(Sql.value(db, "SELECT legacy FROM note")).isEqualTo("l");

        assertThat(push("CREATE TABLE note (id int PRIMARY KEY, body text);", PushOption.ACCEPT_DATA_LOSS)
                .applied()).isTrue();
        assertThat(Sql.value(db, "SELECT count(*) FROM information_schema.columns WHERE column_name = 'legacy'"))
                .isEqualTo(0L);
    }

    @Test
    void notNullOnAColumnWithNullsIsListedAndFailsWhollyEvenWhenAccepted() throws Exception {
        Sql.execute(db, "CREATE TABLE note (id int PRIMARY KEY, body text)");
        Sql.execute(db, "INSERT INTO note VALUES (1, NULL)");
        String sql = "CREATE TABLE note (id int PRIMARY KEY, body text NOT NULL); CREATE TABLE tag (id int);";

        assertThatThrownBy(() -> push(sql))
                .hasMessageContaining("makes \"note\".\"body\" required");
        assertThatThrownBy(() -> push(sql, PushOption.ACCEPT_DATA_LOSS))
                .isInstanceOfSatisfying(TidemarkException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.MIGRATION_FAILED))
                .hasMessageContaining("23502")
                .hasMessageContaining("nothing of it was applied");
        assertThat(Sql.tableExists(db, "public.tag")).as("rolled back as a whole").isFalse();
    }

    @Test
    void aDatabaseWithAMigrationHistoryIsRefusedUnlessForced() throws Exception {
        Migrations.write(dir.resolve("migrations"), "20250101000000_init", "CREATE TABLE note (id int);");
        migrator().deploy();

        assertThatThrownBy(() -> push("CREATE TABLE note (id int); CREATE TABLE tag (id int);"))
                .isInstanceOfSatisfying(TidemarkException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.PUSH_REFUSED))
                .hasMessageContaining("it has a migration history (1 row(s) in \"public\".\"_prisma_migrations\")")
                .hasMessageContaining("tidemark create --from-schema")
                .hasMessageContaining("force the push (PushOption.FORCE)")
                .hasMessageNotContaining("--force");
        assertThat(Sql.tableExists(db, "public.tag")).isFalse();

        assertThat(push("CREATE TABLE note (id int); CREATE TABLE tag (id int);", PushOption.FORCE).applied())
                .isTrue();
        assertThat(Sql.tableExists(db, "public.tag")).isTrue();
        assertThat(Sql.value(db, "SELECT count(*) FROM _prisma_migrations")).isEqualTo(1L);
    }
}
