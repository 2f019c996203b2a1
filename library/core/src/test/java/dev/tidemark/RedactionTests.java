package dev.tidemark;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RedactionTests {

    @Test
    void maskUrlHidesAPasswordWhateverItHolds() {
        assertThat(Redaction.maskUrl("postgresql://u:Zq7@Xk9:Vb3/Mn5@host/db"))
                .isEqualTo("postgresql://u:****@host/db");
        assertThat(Redaction.maskUrl("postgresql://u:Qw%zz@host/db?schema=a")).isEqualTo(
                "postgresql://u:****@host/db?schema=a");
        assertThat(Redaction.maskUrl("postgresql://u:pa?ss@host/db")).isEqualTo("postgresql://u:****@host/db");
        assertThat(Redaction.maskUrl("jdbc:postgresql://h/db?user=u&password=x&y=1"))
                .isEqualTo("jdbc:postgresql://h/db?user=u&password=****&y=1");
        assertThat(Redaction.maskUrl("postgresql://u:1234?x@host/db")).isEqualTo("postgresql://u:****@host/db");
        assertThat(Redaction.maskUrl("postgresql://host:5432/db?application_name=ab"))
                .isEqualTo("postgresql://host:5432/db?application_name=ab");
        assertThat(Redaction.maskUrl("postgresql://u@host/db")).isEqualTo("postgresql://u@host/db");
        assertThat(Redaction.maskUrl(null)).isNull();
    }

    @Test
    void maskSecretsHidesEveryUrlPasswordInText() {
        assertThat(Redaction.maskSecrets("from postgresql://a:x@y@h1/db to postgres://b:1/2@h2:5432/db, done"))
                .isEqualTo("from postgresql://a:****@h1/db to postgres://b:****@h2:5432/db, done");
        assertThat(Redaction.maskSecrets("{\"url\":\"jdbc:postgresql://h:5432/db\",\"by\":\"me@x\"}"))
                .isEqualTo("{\"url\":\"jdbc:postgresql://h:5432/db\",\"by\":\"me@x\"}");
        assertThat(Redaction.maskSecrets("url=jdbc:postgresql://h/db?password=s3cret sslpassword=k3y"))
                .isEqualTo("url=jdbc:postgresql://h/db?password=**** sslpassword=****");
    }

    @Test
    void maskLiteralsHidesEveryKindOfStringLiteral() {
        String sql = "ALTER ROLE x PASSWORD 'hunter2'; SELECT E'it\\'s', U&'d\\0061t', $$body$$, $t$ x $t$,"
                + " \"Quoted\" FROM t WHERE a = 'o''clock' AND b = $1 -- it's a comment";
        assertThat(Redaction.maskLiterals(sql)).isEqualTo("ALTER ROLE x PASSWORD '…'; SELECT E'…', U&'…', '…',"
                + " '…', \"Quoted\" FROM t WHERE a = '…' AND b = $1 -- it's a comment");
        assertThat(Redaction.maskLiterals("CREATE ROLE r PASSWORD 'cut-off-by-left(query, 200")).isEqualTo(
                "CREATE ROLE r PASSWORD '…'");
    }
}
