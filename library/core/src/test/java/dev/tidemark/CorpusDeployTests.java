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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Deploys Prisma histories (the project's own, and the real-world ones where {@link Corpus} finds them) and checks the result against what Prisma itself would leave: the same schema
 * as sending each file to the server as one script, and checksums equal to {@code sha256sum} of the files.
 */
class CorpusDeployTests {

    @ParameterizedTest
    @ValueSource(strings = {Corpus.OWN, Corpus.DOCUMENSO, Corpus.UMAMI})
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
                applyAsPrismaWould(reference, dir.resolve("migration.sql"));
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
        return Corpus.migrationDirectories(corpus);
    }

    /**
     * Sends the file as one script, as Prisma does. A file the server refuses as one script because it mixes
     * {@code CREATE INDEX CONCURRENTLY} with other statements (which Prisma cannot deploy, and Tidemark runs statement
     * by statement) is run by {@code psql -f} instead, which also sends one statement at a time; the refused script
     * left nothing behind, as a multi-statement script runs in one implicit transaction.
     */
    static void applyAsPrismaWould(TestDatabase db, Path file) throws IOException {
        String script = Files.readString(file, StandardCharsets.UTF_8);
        List<String> psql = List.of("psql", "-X", "-q", "-w", "-v", "ON_ERROR_STOP=1", "-h", db.host(), "-p",
                String.valueOf(db.port()), "-U", db.user(), "-d", db.name());
        try {
            Processes.run(concat(psql, "-c", script), db.password());
        } catch (IllegalStateException e) {
            if (!String.valueOf(e.getMessage()).contains("cannot run inside a transaction block")) {
                throw e;
            }
            Processes.run(concat(psql, "-f", file.toString()), db.password());
        }
    }

    private static List<String> concat(List<String> command, String... more) {
        List<String> all = new ArrayList<>(command);
        all.addAll(List.of(more));
        return all;
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

    static String schemaDump(TestDatabase db) {
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
