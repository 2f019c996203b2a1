package dev.tidemark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretsTests {

    @Test
    void masksThePasswordOfAnyUrlShapedText() {
        assertThat(Secrets.mask("postgresql://app:hunter2@db:5432/app?schema=public"))
                .isEqualTo("postgresql://app:****@db:5432/app?schema=public");
        assertThat(Secrets.mask("jdbc:postgresql://db/app?user=app&password=hunter2&ssl=true"))
                .isEqualTo("jdbc:postgresql://db/app?user=app&****".replace("&****", "&password=****&ssl=true"));
        assertThat(Secrets.mask("postgresql://app@db/app")).isEqualTo("postgresql://app@db/app");
    }

    @Test
    void masksARegisteredPasswordWhereverItAppearsEncodedOrNot() {
        Secrets.registerUrl("postgresql://app:Pa%24%24w0rd%2Fx@db:5432/app");

        assertThat(Secrets.mask("login failed with Pa$$w0rd/x for app")).doesNotContain("Pa$$w0rd/x");
        assertThat(Secrets.mask("echoed Pa%24%24w0rd%2Fx back")).doesNotContain("Pa%24%24w0rd%2Fx");
    }

    @Test
    void masksPasswordsGivenAsQueryParameters() {
        Secrets.registerUrl("jdbc:postgresql://db/app?user=app&password=qu3ry-secret");

        assertThat(Secrets.mask("driver said: qu3ry-secret is wrong")).isEqualTo("driver said: **** is wrong");
    }

    @Test
    void anUnencodedPasswordIsRegisteredWhole() {
        Secrets.registerUrl("postgresql://u:Zq7@Xk9:Vb3/Mn5@host/db?password=Pp9%zz&sslmode=disable");

        assertThat(Secrets.mask("the driver said: Zq7@Xk9:Vb3/Mn5 and Pp9%zz"))
                .doesNotContain("Xk9:Vb3/Mn5").doesNotContain("Pp9%zz");
        assertThat(Secrets.mask("postgresql://u:Zq7@Xk9:Vb3/Mn5@host/db")).isEqualTo("postgresql://u:****@host/db");
    }
}
