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

    @Test
    void aPasswordWithUnencodedSpecialCharactersIsRefusedWithoutShowingAnyOfIt() {
        String[] passwords = {"Zq7@Xk9:Vb3/Mn5", "Qw%zz9Lp", "Ab9/cd7@ef5", "Pq1?rs2@tu3", "Qw8%", "Hj4#k5?l6@mn7", "1234?Wx9"};
        for (String password : passwords) {
            String url = "postgresql://u:" + password + "@host:5432/db";
            assertThatThrownBy(() -> DatabaseUrl.parse(url)).as(url)
                    .isInstanceOfSatisfying(TidemarkException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION_INVALID);
                        assertThat(e.getMessage()).contains("postgresql://u:****@host:5432/db", "percent-encode",
                                "%25");
                        for (String piece : password.split("[@:/%?#]")) {
                            if (piece.length() >= 3) {
                                assertThat(e.getMessage()).as(url).doesNotContain(piece);
                            }
                        }
                    });
        }
    }

    @Test
    void theSamePasswordsPercentEncodedAreAccepted() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://u:Zq7%40Xk9%3AVb3%2FMn5%25@host:5432/db");
        assertThat(url.properties()).containsEntry("password", "Zq7@Xk9:Vb3/Mn5%");
        assertThat(url.toString()).isEqualTo("u@host:5432/db");
        // an unencoded ':' after the first is unambiguous (libpq splits at the first), and '+' stays a plus
        assertThat(DatabaseUrl.parse("postgresql://u:a:b+c@host/db").properties()).containsEntry("password", "a:b+c");
    }

    @Test
    void aBadPercentInAQueryValueNamesTheParameterButNotAPassword() {
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://u@h/db?application_name=50%off"))
                .isInstanceOf(TidemarkException.class).hasMessageContaining("value of application_name")
                .hasMessageContaining("%25");
        assertThatThrownBy(() -> DatabaseUrl.parse("jdbc:postgresql://h/db?user=u&password=Qw%zz"))
                .isInstanceOfSatisfying(TidemarkException.class, e -> assertThat(e.getMessage())
                        .contains("password", "password=****").doesNotContain("Qw"));
    }

    @Test
    void aJdbcUrlWithCredentialsBeforeTheHostIsRefusedMasked() {
        assertThatThrownBy(() -> DatabaseUrl.parse("jdbc:postgresql://u:hunter22@h:5432/db"))
                .isInstanceOfSatisfying(TidemarkException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION_INVALID);
                    assertThat(e.getMessage()).contains("u:****@h", "?user=USER&password=").doesNotContain("hunter22");
                });
    }

    @Test
    void anUnknownParameterIsRefusedNamingItAndTheAcceptedOnes() {
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://u:pw@h:5432/db?shema=app"))
                .isInstanceOfSatisfying(TidemarkException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION_INVALID);
                    assertThat(e.getMessage()).contains("'shema'", "did you mean 'schema'", "Accepted:", "schema,",
                            "connection_limit", "sslmode", "socketTimeout").doesNotContain(":pw@");
                });
        assertThatThrownBy(() -> DatabaseUrl.parse("jdbc:postgresql://h/db?currentSchma=app"))
                .isInstanceOf(TidemarkException.class).hasMessageContaining("'currentSchma'")
                .hasMessageContaining("did you mean 'currentSchema'").hasMessageContaining("loginTimeout");
        assertThatThrownBy(() -> DatabaseUrl.parse("jdbc:postgresql://h/db?schema=app"))
                .isInstanceOf(TidemarkException.class).hasMessageContaining("currentSchema");
    }

    @Test
    void anUnknownParameterAfterAPasswordIsNotEchoed() {
        assertThatThrownBy(() -> DatabaseUrl.parse("jdbc:postgresql://h/db?user=u&password=Rt5&Yh7Ju"))
                .isInstanceOfSatisfying(TidemarkException.class, e -> assertThat(e.getMessage())
                        .contains("after password=", "%26").doesNotContain("Yh7Ju").doesNotContain("Rt5"));
    }

    @Test
    void prismaAndDriverParametersAreAccepted() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://u@h:5432/db?schema=app&connection_limit=1&pool_timeout=0"
                + "&pgbouncer=true&statement_cache_size=0&sslaccept=strict&sslidentity=id.p12&sslcert=c.pem"
                + "&sslkey=k.pem&sslrootcert=ca.pem&sslmode=prefer&socket_timeout=30&connect_timeout=5"
                + "&application_name=me&options=-c%20work_mem%3D64MB&tcpKeepAlive=true");
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://h:5432/db?sslcert=c.pem&sslkey=k.pem"
                + "&sslrootcert=ca.pem&sslmode=prefer&socketTimeout=30&connectTimeout=5&ApplicationName=me"
                + "&options=-c%20work_mem%3D64MB&tcpKeepAlive=true");
        assertThat(url.schema()).isEqualTo("app");
        assertThat(DatabaseUrl.parse("jdbc:postgresql://h/db?sslmode=verify-full&loginTimeout=3&ssl=true"
                + "&ApplicationName=x&prepareThreshold=0&targetServerType=primary").jdbcUrl()).contains("loginTimeout=3");
    }

    @Test
    void aBadValueIsAUsageErrorNamingTheParameter() {
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://u@h/db?sslmode=requried"))
                .isInstanceOfSatisfying(TidemarkException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION_INVALID);
                    assertThat(e.getMessage()).contains("sslmode=requried", "verify-full");
                });
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://u@h/db?connect_timeout=5s"))
                .isInstanceOf(TidemarkException.class).hasMessageContaining("connect_timeout=5s")
                .hasMessageContaining("whole number");
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://u@h/db?pgbouncer=yes"))
                .isInstanceOf(TidemarkException.class).hasMessageContaining("pgbouncer=yes");
        assertThatThrownBy(() -> DatabaseUrl.parse("jdbc:postgresql://h/db?tcpKeepAlive=maybe"))
                .isInstanceOf(TidemarkException.class).hasMessageContaining("tcpKeepAlive=maybe");
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://u@h:54x2/db"))
                .isInstanceOf(TidemarkException.class).hasMessageContaining("not a number");
    }
}
