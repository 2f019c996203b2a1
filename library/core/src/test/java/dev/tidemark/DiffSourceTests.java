package dev.tidemark;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DiffSourceTests {

    @Test
    void parsesEveryForm(@TempDir Path dir) {
        assertThat(SchemaSource.parse("database").kind()).isEqualTo(SchemaSource.Kind.DATABASE);
        assertThat(SchemaSource.parse("migrations").kind()).isEqualTo(SchemaSource.Kind.MIGRATIONS);
        assertThat(SchemaSource.parse("migrations").value()).isNull();
        assertThat(SchemaSource.parse("empty").kind()).isEqualTo(SchemaSource.Kind.EMPTY);
        assertThat(SchemaSource.parse("postgresql://u:pw@h/db").kind()).isEqualTo(SchemaSource.Kind.URL);
        assertThat(SchemaSource.parse("jdbc:postgresql://h/db").kind()).isEqualTo(SchemaSource.Kind.URL);
        SchemaSource folder = SchemaSource.parse("migrations:prisma/migrations");
        assertThat(folder.kind()).isEqualTo(SchemaSource.Kind.MIGRATIONS);
        assertThat(folder.value()).isEqualTo("prisma/migrations");
        assertThat(SchemaSource.parse("schema.sql").kind()).isEqualTo(SchemaSource.Kind.SQL_FILE);
        assertThat(SchemaSource.parse("file:desired").value()).isEqualTo("desired");
        assertThat(SchemaSource.parse(dir.toString()).kind()).isEqualTo(SchemaSource.Kind.MIGRATIONS);
    }

    @Test
    void refusesWhatItCannotTellAndNeverEchoesAPassword() {
        assertThatThrownBy(() -> SchemaSource.parse("mysql://u:topsecret@h/db"))
                .isInstanceOfSatisfying(TidemarkException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION_INVALID))
                .hasMessageContaining("migrations:PATH")
                .hasMessageNotContaining("topsecret");
        assertThat(SchemaSource.url("postgresql://u:topsecret@h/db").toString()).doesNotContain("topsecret");
    }
}
