package dev.tidemark;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The migration histories the corpus tests deploy.
 *
 * <p>{@link #OWN} ("harbor", in {@code src/test/resources/corpus}) is written by the project and always present.
 * The real-world histories (documenso, umami) live outside the repository, in the folder named by the setting
 * {@value #SETTING} (system property, else environment variable; default {@code ../shared/corpus} beside the
 * repository root); a test that needs one that is absent is skipped, not failed.
 */
public final class Corpus {

    /** The project's own history, kept in the repository. */
    public static final String OWN = "harbor";
    public static final String DOCUMENSO = "documenso";
    public static final String UMAMI = "umami";
    public static final String SETTING = "TIDEMARK_CORPUS_DIR";

    private Corpus() {
    }

    static Path documenso() {
        return path(DOCUMENSO);
    }

    static Path umami() {
        return path(UMAMI);
    }

    /** The folder of the named history; aborts (skips) the calling test when a real-world one is absent. */
    public static Path path(String name) {
        if (name.equals(OWN)) {
            return own();
        }
        Path corpus = directory().resolve(name);
        Assumptions.assumeTrue(Files.isDirectory(corpus), () -> "the real-world corpus " + name + " is not at "
                + corpus + ", so this case is skipped (set " + SETTING + " to the folder holding documenso/ and umami/)");
        return corpus;
    }

    /** The {@code migration.sql} files of the named history, in the order a deploy applies them. */
    public static List<Path> scripts(String name) {
        return migrationDirectories(path(name)).stream().map(d -> d.resolve("migration.sql")).toList();
    }

    /** The migration directories of a history, in the order a deploy applies them. */
    public static List<Path> migrationDirectories(Path corpus) {
        try (Stream<Path> children = Files.list(corpus)) {
            return children.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where the real-world histories are looked for: the setting, else {@code ../shared/corpus} beside the root. */
    public static Path directory() {
        String configured = System.getProperty(SETTING);
        if (configured == null || configured.isBlank()) {
            configured = System.getenv(SETTING);
        }
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured.strip()).toAbsolutePath().normalize();
        }
        return repositoryRoot().resolve("../shared/corpus").normalize();
    }

    /** The nearest folder above the working directory holding {@code .mvn}: the root of the Maven build. */
    private static Path repositoryRoot() {
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve(".mvn"))) {
                return dir;
            }
        }
        return start;
    }

    private static Path own() {
        URL url = Corpus.class.getResource("/corpus/" + OWN + "/migration_lock.toml");
        if (url == null) {
            throw new IllegalStateException("The corpus " + OWN + " is missing from the test resources");
        }
        try {
            return Path.of(url.toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
