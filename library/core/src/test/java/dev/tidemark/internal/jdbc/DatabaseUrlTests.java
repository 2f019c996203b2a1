package dev.tidemark.internal.jdbc;

import dev.tidemark.ErrorCode;
import dev.tidemark.TidemarkException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DatabaseUrlTests {

    @Test
    void prismaUrlsBecomeJdbcUrlsWithTheCredentialsMovedOut() {
        DatabaseUrl url = DatabaseUrl.parse(
                "postgresql://app%40prod:p%40ss%3Aw%2Fo%2Brd@db.internal:6543/my%20db?schema=tenant&sslmode=require"
                        + "&connection_limit=5&connect_timeout=7");

        assertThat(url.jdbcUrl())
                .isEqualTo("jdbc:postgresql://db.internal:6543/my%20db?sslmode=require&connectTimeout=7");
        assertThat(url.properties()).containsEntry("user", "app@prod").containsEntry("password", "p@ss:w/o+rd");
        assertThat(url.schema()).isEqualTo("tenant");
        assertThat(url.toString()).isEqualTo("app@prod@db.internal:6543/my db").doesNotContain("p@ss");
    }

    @Test
    void libpqDefaultsApply() {
        DatabaseUrl url = DatabaseUrl.parse("postgres://alice@localhost");
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost/alice");
        assertThat(url.schema()).isNull();
        assertThat(DatabaseUrl.parse("postgresql://[::1]:5432/db").jdbcUrl())
                .isEqualTo("jdbc:postgresql://[::1]:5432/db");
    }

    @Test
    void jdbcUrlsKeepTheirParametersButNotThePassword() {
        DatabaseUrl url = DatabaseUrl.parse(
                "jdbc:postgresql://h:5432/db?user=bob&password=s3cret&currentSchema=app,public&ssl=true");
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://h:5432/db?currentSchema=app%2Cpublic&ssl=true");
        assertThat(url.properties()).containsEntry("user", "bob").containsEntry("password", "s3cret");
        assertThat(url.schema()).isEqualTo("app");
        assertThat(url.toString()).doesNotContain("s3cret");
    }

    @Test
    void unknownSchemesAreRefusedWithoutEchoingThePassword() {
        assertThatThrownBy(() -> DatabaseUrl.parse("mysql://root:hunter22@db/app"))
                .isInstanceOfSatisfying(TidemarkException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION_INVALID);
                    assertThat(e.getMessage()).contains("postgresql://").doesNotContain("hunter22");
                });
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://u@x/db?host=/var/run/postgresql"))
                .isInstanceOf(TidemarkException.class).hasMessageContaining("Unix socket");
    }

    @Test
    void maskHidesPasswordsInAnyText() {
        assertThat(DatabaseUrl.mask("failed for postgresql://u:topsecret@h/db and jdbc:x?password=abc&y=1"))
                .isEqualTo("failed for postgresql://u:****@h/db and jdbc:x?password=****&y=1");
    }
}
