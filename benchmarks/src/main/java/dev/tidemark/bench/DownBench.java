package dev.tidemark.bench;

import dev.tidemark.DownVerification;
import dev.tidemark.Migrator;
import dev.tidemark.VerifyDownRequest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code verify-down} of the last 20 documenso migrations: down.sql is generated for each into a temporary copy of the
 * corpus (not timed), then {@link Migrator#verifyDown} is timed over {@code --runs} runs (default 3), median printed.
 *
 * <pre>
 * java -cp benchmarks/target/tidemark-benchmarks.jar dev.tidemark.bench.DownBench [--runs N]
 * </pre>
 */
public final class DownBench {

    private static final int LAST = 20;

    private DownBench() {
    }

    public static void main(String[] args) throws IOException {
        int runs = args.length == 2 && args[0].equals("--runs") ? Integer.parseInt(args[1]) : 3;
        Path corpus = Corpus.corpusDir().resolve(Corpus.DOCUMENSO);
        if (!Files.isDirectory(corpus)) {
            System.err.println("The documenso corpus is not at " + corpus + ": set TIDEMARK_CORPUS_DIR.");
            System.exit(2);
        }
        Path copy = Files.createTempDirectory("tidemark-down-bench");
        Server.Target target = Server.createDatabase("down");
        try {
            copyTree(corpus, copy);
            Migrator migrator = Migrator.builder().url(target.jdbcUrl()).user(Server.USER).password(Server.PASSWORD)
                    .location(copy.toString()).build();
            List<Path> dirs;
            try (Stream<Path> children = Files.list(copy)) {
                dirs = children.filter(Files::isDirectory).sorted().toList();
            }
            for (Path dir : dirs.subList(dirs.size() - LAST, dirs.size())) {
                Files.writeString(dir.resolve("down.sql"),
                        migrator.generateDown(dir.getFileName().toString()).script());
            }
            List<Double> millis = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                long start = System.nanoTime();
                DownVerification result = migrator.verifyDown(VerifyDownRequest.all());
                millis.add((System.nanoTime() - start) / 1e6);
                if (result.checks().size() != LAST) {
                    throw new IllegalStateException("checked " + result.checks().size() + " migrations, not " + LAST);
                }
                System.out.printf("run %d: %.0f ms, %d reversible of %d%n", i + 1, millis.get(i),
                        result.count(DownVerification.Outcome.REVERSIBLE), result.checks().size());
            }
            millis.sort(null);
            System.out.printf("verify-down, last %d of %d documenso migrations: median %.0f ms over %d run(s)%n",
                    LAST, dirs.size(), millis.get(millis.size() / 2), runs);
        } finally {
            Server.dropDatabase(target);
            try (Stream<Path> files = Files.walk(copy)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }
}
