package dev.tidemark.maven;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The plugin is a caller of the public API: no source of it names {@code dev.tidemark.internal}. */
class PublicApiOnlyTests {

    @Test
    void noSourceUsesTheInternals() throws IOException {
        Path sources = Path.of("src/main/java");
        assertThat(sources).isDirectory();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(sources)) {
            files = walk.filter(p -> p.toString().endsWith(".java")).toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(9);
        for (Path file : files) {
            assertThat(Files.readString(file)).as(file.toString()).doesNotContain("dev.tidemark.internal");
        }
    }
}
