package dev.tidemark.maven;

import dev.tidemark.ErrorCode;
import dev.tidemark.Migrator;
import dev.tidemark.RollbackRequest;
import dev.tidemark.TidemarkException;
import dev.tidemark.testdb.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The core's neutral words for a setting, on real failures, get the plugin's parameter and user property. */
class PluginWordsTests {

    @TempDir
    Path dir;

    @Test
    void aLockTimeoutAndARollbackRefusalNameTheParameters() throws Exception {
        Path migration = Files.createDirectories(dir.resolve("20240101000000_init"));
        Files.writeString(migration.resolve("migration.sql"), "CREATE TABLE t (id int);\n");
        try (TestDatabase db = TestDatabase.create(getClass()); Connection holder = db.connect();
                Statement statement = holder.createStatement()) {
            Migrator.Builder builder = Migrator.builder().url(db.postgresUrl()).location(dir.toString());
            statement.execute("SELECT pg_advisory_lock(72707369)");
            TidemarkException locked = catchThrowableOfType(TidemarkException.class,
                    () -> builder.lockWait(Duration.ZERO).build().deploy());
            assertThat(locked.code()).isEqualTo(ErrorCode.LOCK_TIMEOUT);
            assertThat(PluginWords.explain(locked.getMessage())).startsWith(locked.getMessage())
                    .endsWith(" In Maven: <lockWait> or -Dtidemark.lockWait.");
            statement.execute("SELECT pg_advisory_unlock(72707369)");

            builder.lockWait(Migrator.Builder.DEFAULT_LOCK_WAIT).build().deploy();
            TidemarkException refused = catchThrowableOfType(TidemarkException.class,
                    () -> builder.build().rollback(RollbackRequest.steps(1)));
            assertThat(refused.code()).isEqualTo(ErrorCode.ROLLBACK_REFUSED);
            assertThat(PluginWords.explain(refused.getMessage()))
                    .contains(" In Maven: <downLocation> or -Dtidemark.downLocation.")
                    .doesNotContain("<lockWait>");
        }
    }
}
