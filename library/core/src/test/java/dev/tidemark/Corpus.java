package dev.tidemark;

import java.nio.file.Files;
import java.nio.file.Path;

/** The real-world migration histories in the shared folder beside the repository. */
final class Corpus {

    private Corpus() {
    }

    static Path documenso() {
        return path("documenso");
    }

    static Path umami() {
        return path("umami");
    }

    static Path path(String name) {
        String shared = System.getenv("TIDEMARK_SHARED_DIR");
        Path base = shared != null ? Path.of(shared) : Path.of("../../../shared");
        Path corpus = base.resolve("corpus").resolve(name).toAbsolutePath().normalize();
        if (!Files.isDirectory(corpus)) {
            throw new IllegalStateException("The corpus " + corpus + " is missing; the shared folder must sit beside"
                    + " the repository (set TIDEMARK_SHARED_DIR to point elsewhere)");
        }
        return corpus;
    }
}
