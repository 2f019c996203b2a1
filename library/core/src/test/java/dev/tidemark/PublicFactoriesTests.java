package dev.tidemark;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The factories the internals use instead of the public types' constructors keep every component and the message. */
class PublicFactoriesTests {

    @Test
    void migrationFailedExceptionBuilderSetsEveryComponentAndToBuilderCopiesThem() {
        SQLException cause = new SQLException("relation \"t\" does not exist", "42P01");
        MigrationFailedException e = MigrationFailedException.builder().message("Migration 1_init failed.")
                .migration("1_init").file("migrations/1_init/migration.sql").position(3, 7).sqlState("42P01")
                .serverMessage("relation \"t\" does not exist").cause(cause).build();

        assertThat(e.code()).isEqualTo(ErrorCode.MIGRATION_FAILED);
        assertThat(e.getMessage()).isEqualTo("[" + ErrorCode.MIGRATION_FAILED.id() + "] Migration 1_init failed.");
        assertThat(e.migration()).isEqualTo("1_init");
        assertThat(e.file()).isEqualTo("migrations/1_init/migration.sql");
        assertThat(e.line()).isEqualTo(3);
        assertThat(e.column()).isEqualTo(7);
        assertThat(e.sqlState()).isEqualTo("42P01");
        assertThat(e.serverMessage()).isEqualTo("relation \"t\" does not exist");
        assertThat(e.getCause()).isSameAs(cause);

        MigrationFailedException copy = e.toBuilder().build();
        assertThat(copy.getMessage()).isEqualTo(e.getMessage());
        assertThat(copy.migration()).isEqualTo("1_init");
        assertThat(copy.file()).isEqualTo("migrations/1_init/migration.sql");
        assertThat(copy.line()).isEqualTo(3);
        assertThat(copy.column()).isEqualTo(7);
        assertThat(copy.sqlState()).isEqualTo("42P01");
        assertThat(copy.serverMessage()).isEqualTo("relation \"t\" does not exist");
        assertThat(copy.getCause()).isSameAs(cause);
    }

    @Test
    void lockTimeoutExceptionBuilderSetsEveryComponent() {
        LockTimeoutException e = LockTimeoutException.builder().message("Held.").waited(Duration.ofMillis(1500))
                .holder("pid 42").build();

        assertThat(e.code()).isEqualTo(ErrorCode.LOCK_TIMEOUT);
        assertThat(e.getMessage()).isEqualTo("[" + ErrorCode.LOCK_TIMEOUT.id() + "] Held.");
        assertThat(e.waited()).isEqualTo(Duration.ofMillis(1500));
        assertThat(e.holder()).isEqualTo("pid 42");
        assertThat(e.getCause()).isNull();
    }

    @Test
    void migrationInfoBuilderEqualsTheCanonicalConstructor() {
        Instant started = Instant.parse("2024-01-02T03:04:05Z");
        Instant finished = started.plusSeconds(2);
        MigrationInfo built = MigrationInfo.builder("1_init", MigrationState.FAILED).checksum("abc")
                .appliedChecksum("def").startedAt(started).finishedAt(finished).rolledBackAt(null)
                .appliedStepsCount(1).logs("boom").build();

        assertThat(built).isEqualTo(new MigrationInfo("1_init", MigrationState.FAILED, "abc", "def", started, finished,
                null, 1, "boom"));
        assertThat(MigrationInfo.builder("2_next", MigrationState.PENDING).build())
                .isEqualTo(new MigrationInfo("2_next", MigrationState.PENDING, null, null, null, null, null, 0, null));
    }
}
