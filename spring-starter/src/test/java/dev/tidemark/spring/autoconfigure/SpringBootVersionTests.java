package dev.tidemark.spring.autoconfigure;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootVersion;

import static org.assertj.core.api.Assertions.assertThat;

/** Proves which Spring Boot line a run of these shared tests used (4.x here, 3.5 in boot35-tests). */
class SpringBootVersionTests {

    @Test
    void runsOnTheExpectedSpringBootLine() {
        String expected = System.getProperty("tidemark.expected.spring-boot");
        assertThat(expected).as("surefire sets tidemark.expected.spring-boot").isNotBlank();
        assertThat(SpringBootVersion.getVersion()).startsWith(expected);
        assertThat(Boot.major()).isEqualTo(Integer.parseInt(expected.substring(0, 1)));
    }
}
