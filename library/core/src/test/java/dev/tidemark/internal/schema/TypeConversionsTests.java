package dev.tidemark.internal.schema;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class TypeConversionsTests {

    @ParameterizedTest(name = "{0} -> {1}: {2}")
    @CsvSource(delimiter = '|', value = {
            "smallint | integer | true",
            "integer | bigint | true",
            "bigint | integer | false",
            "integer | numeric | true",
            "integer | numeric(5,0) | false",
            "real | double precision | true",
            "double precision | real | false",
            "character varying(50) | character varying(100) | true",
            "character varying(100) | character varying(50) | false",
            "character varying(100) | character varying | true",
            "character varying | character varying(100) | false",
            "character varying(100) | text | true",
            "text | character varying(100) | false",
            "numeric(10,2) | numeric(12,4) | true",
            "numeric(10,2) | numeric(10,4) | false",
            "numeric(10,2) | numeric | true",
            "numeric | numeric(10,2) | false",
            "timestamp(3) without time zone | timestamp(6) without time zone | true",
            "timestamp(3) without time zone | timestamp without time zone | true",
            "timestamp without time zone | timestamp(3) without time zone | false",
            "timestamp(3) without time zone | timestamp(3) with time zone | false",
            "integer | text | true",
            "\"Role\" | text | true",
            "text | \"Role\" | false",
            "text | integer | false",
    })
    void knowsWhichTypeChangesKeepEveryValue(String from, String to, boolean widening) {
        assertThat(TypeConversions.isWidening(from, to)).isEqualTo(widening);
    }
}
