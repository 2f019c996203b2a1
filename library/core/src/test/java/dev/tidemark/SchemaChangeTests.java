package dev.tidemark;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** The public object types stand for the words the schema differ uses. */
class SchemaChangeTests {

    @Test
    void everyWordOfTheDifferHasItsType() {
        assertThat(SchemaChange.ObjectType.of("foreign key")).isEqualTo(SchemaChange.ObjectType.FOREIGN_KEY);
        assertThat(SchemaChange.ObjectType.of("materialized view")).isEqualTo(SchemaChange.ObjectType.MATERIALIZED_VIEW);
        assertThat(SchemaChange.ObjectType.of("partition")).isEqualTo(SchemaChange.ObjectType.PARTITION);
        assertThat(SchemaChange.ObjectType.of("a new kind")).isEqualTo(SchemaChange.ObjectType.OTHER);
        assertThat(Arrays.stream(SchemaChange.ObjectType.values()).map(SchemaChange.ObjectType::label).distinct())
                .hasSize(SchemaChange.ObjectType.values().length);
    }

    @Test
    void aDeployWarningReadsAsItsMessage() {
        DeployWarning warning = new DeployWarning(DeployWarning.Kind.MODIFIED, "01_init", "Migration 01_init was"
                + " modified after it was applied.");
        assertThat(warning).asString().isEqualTo("Migration 01_init was modified after it was applied.");
    }
}
