package dev.tidemark;

import dev.tidemark.testdb.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Deploys real-world Prisma histories and checks the result against what Prisma itself would leave: the same schema
 * as sending each file to the server as one script, and checksums equal to {@code sha256sum} of the files.
 */
class CorpusDeployTests {

    @ParameterizedTest
    @ValueSource(strings = {"documenso", "umami"})
    void deploysFromEmptyExactlyAsPrismaWould(String corpusName) throws Exception {
        Path corpus = Corpus.path(corpusName);
        List<Path> dirs = migrationDirectories(corpus);
        try (TestDatabase tidemark = TestDatabase.create("corpus_tm_" + corpusName);
                TestDatabase reference = TestDatabase.create("corpus_ref_" + corpusName)) {
            Migrator migrator = Migrator.builder().url(tidemark.postgresUrl()).location(corpus.toString()).build();

            DeployResult first = migrator.deploy();
            assertThat(first.applied()).extracting(AppliedMigration::name)
                    .containsExactlyElementsOf(dirs.stream().map(d -> d.getFileName().toString()).toList());
            assertThat(first.alreadyApplied()).isZero();

            // Prisma's way: each file sent to the server as one simple-query script, in order.
            for (Path dir : dirs) {
                String script = Files.readString(dir.resolve("migration.sql"), StandardCharsets.UTF_8);
                Processes.run(List.of("psql", "-X", "-q", "-w", "-v", "ON_ERROR_STOP=1", "-h", reference.host(),
                        "-p", String.valueOf(reference.port()), "-U", reference.user(), "-d", reference.name(), "-c",
                        script), reference.password());
            }
            assertThat(schemaDump(tidemark)).isEqualTo(schemaDump(reference));

            Map<String, String> expected = sha256sum(dirs);
            Map<String, String> recorded = new HashMap<>();
            try (Connection c = tidemark.connect(); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT migration_name, checksum, finished_at IS NOT NULL,"
                            + " rolled_back_at IS NULL, logs IS NULL FROM _prisma_migrations")) {
                while (rs.next()) {
                    assertThat(rs.getBoolean(3)).as("finished_at set").isTrue();
                    assertThat(rs.getBoolean(4)).as("not rolled back").isTrue();
                    assertThat(rs.getBoolean(5)).as("no logs").isTrue();
                    recorded.put(rs.getString(1), rs.getString(2));
                }
            }
            assertThat(recorded).isEqualTo(expected);

            DeployResult second = migrator.deploy();
            assertThat(second.applied()).isEmpty();
            assertThat(second.alreadyApplied()).isEqualTo(dirs.size());
            MigrationStatus status = migrator.status();
            assertThat(status.upToDate()).isTrue();
            assertThat(status.applied()).hasSize(dirs.size());
            assertThat(status.modified()).isEmpty();
            assertThat(status.missingLocally()).isEmpty();
        }
    }

    static List<Path> migrationDirectories(Path corpus) throws IOException {
        try (Stream<Path> children = Files.list(corpus)) {
            return children.filter(Files::isDirectory).sorted().toList();
        }
    }

    private static Map<String, String> sha256sum(List<Path> dirs) {
        List<String> command = new ArrayList<>(List.of("sha256sum"));
        dirs.forEach(d -> command.add(d.resolve("migration.sql").toString()));
        Map<String, String> sums = new HashMap<>();
        for (String line : Processes.run(command).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] parts = line.split("\\s+", 2);
            Path file = Path.of(parts[1].replaceFirst("^\\*", ""));
            sums.put(file.getParent().getFileName().toString(), parts[0]);
        }
        return sums;
    }

    private static String schemaDump(TestDatabase db) {
        String dump = Processes.run(List.of("pg_dump", "-w", "--schema-only", "--no-owner", "--no-privileges",
                "--exclude-table=public._prisma_migrations", "-h", db.host(), "-p", String.valueOf(db.port()), "-U",
                db.user(), db.name()), db.password());
        // Drop the header comments and the random restrict key newer pg_dump versions print.
        return dump.lines()
                .filter(line -> !line.startsWith("--") && !line.startsWith("\\restrict")
                        && !line.startsWith("\\unrestrict"))
                .reduce(new StringBuilder(), (sb, line) -> sb.append(line).append('\n'), StringBuilder::append)
                .toString();
    }
}
