package dev.tidemark.maven;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Durations as the CLI and the starter read them. */
class DurationsTests {

    @Test
    void readsTheShortFormsABareNumberAndIso() {
        assertThat(Durations.parse("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Durations.parse("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(Durations.parse(" 0 ")).isEqualTo(Duration.ZERO);
        assertThat(Durations.parse("PT1M30S")).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void refusesWhatIsNotADurationOrIsNegative() {
        assertThatThrownBy(() -> Durations.parse("soon")).hasMessage("'soon' is not a duration; write it as 30s,"
                + " 500ms, 2m, 1h or a number of seconds");
        assertThatThrownBy(() -> Durations.parse("-5s")).hasMessageContaining("is negative");
        assertThatThrownBy(() -> Durations.parse("")).hasMessageContaining("is not a duration");
    }
}
