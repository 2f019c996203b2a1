package dev.tidemark;

import dev.tidemark.testdb.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Another session's query text, which Tidemark shows to name a blocker or the lock holder, can hold secrets (an
 * {@code ALTER ROLE ... PASSWORD '...'}): its string literals never reach a log line, an exception or the history.
 */
class QueryTextSecretsTests {

    /** The blocker's last query: secrets in every literal form, and the words that make it recognisable. */
    static final String SECRET_QUERY = "SELECT count(*) FROM busy WHERE 'ALTER ROLE x PASSWORD' <> 'hunter2'"
            + " AND E'hunter3\\'s' <> $$hunter4$$ AND $pw$hunter5$pw$ <> ''";

    @TempDir
    Path dir;

    @Test
    void aBlockersLiteralsAreMaskedInTheLogTheExceptionAndTheHistoryRow() throws Exception {
        try (TestDatabase db = TestDatabase.create(getClass())) {
            Sql.execute(db, "CREATE TABLE busy (id int)");
            MigrationsFolder folder = MigrationsFolder.in(dir).add("01_alter", "ALTER TABLE busy ADD COLUMN note text;");
            try (Connection blocker = db.connect()) {
                blocker.setAutoCommit(false);
                try (Statement s = blocker.createStatement(); ResultSet rs = s.executeQuery(SECRET_QUERY)) {
                    assertThat(rs.next()).isTrue();
                }
                // now idle in transaction, holding ACCESS SHARE on busy, with the literals as its last query
                Migrator migrator = folder.migrator(db.postgresUrl()).lockTimeout(Duration.ofSeconds(2))
                        .lockRetryBudget(Duration.ZERO).build();
                MigrationFailedException[] failure = new MigrationFailedException[1];
                String logs = Stderr.capture(
                        () -> failure[0] = catchThrowableOfType(MigrationFailedException.class, migrator::deploy));
                blocker.rollback();

                assertThat(failure[0]).isNotNull();
                assertThat(failure[0].getMessage()).contains("idle in transaction", "FROM busy", "'…'");
                assertNoSecret(failure[0].getMessage());
                assertNoSecret(logs);
                Object history = Sql.value(db, "SELECT string_agg(coalesce(logs, ''), ' ') FROM _prisma_migrations");
                assertThat(history).asString().contains("FROM busy");
                assertNoSecret(String.valueOf(history));
            }
        }
    }

    @Test
    void theLockHoldersLiteralsAreMaskedInTheLockTimeout() throws Exception {
        try (TestDatabase db = TestDatabase.create(getClass())) {
            Sql.execute(db, "CREATE TABLE busy (id int)");
            MigrationsFolder folder = MigrationsFolder.in(dir).add("01_init", "CREATE TABLE a (id int);");
            try (Connection holder = db.connect(); Statement s = holder.createStatement()) {
                s.execute("SELECT pg_advisory_lock(72707369)");
                try (ResultSet rs = s.executeQuery(SECRET_QUERY)) {
                    assertThat(rs.next()).isTrue();
                }
                Migrator migrator = folder.migrator(db.postgresUrl()).lockWait(Duration.ZERO).build();
                LockTimeoutException[] failure = new LockTimeoutException[1];
                String logs = Stderr.capture(
                        () -> failure[0] = catchThrowableOfType(LockTimeoutException.class, migrator::deploy));

                assertThat(failure[0]).isNotNull();
                assertThat(failure[0].getMessage()).contains("last query", "FROM busy");
                assertNoSecret(failure[0].getMessage());
                assertNoSecret(String.valueOf(failure[0].holder()));
                assertNoSecret(logs);
            }
        }
    }

    private static void assertNoSecret(String text) {
        assertThat(text).doesNotContain("hunter2").doesNotContain("hunter3").doesNotContain("hunter4")
                .doesNotContain("hunter5");
    }
}
