package dev.tidemark;

import dev.tidemark.testdb.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A 30 MB seed script deploys in a JVM with a 128 MB heap: the script is held once (no raw-bytes copy, no per-statement
 * copies or token lists), so a big migration needs about its own size in memory, not several times it.
 */
class LargeScriptTests {

    static final int ROWS_PER_STATEMENT = 10;
    static final long TARGET_BYTES = 30L * 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void aThirtyMegabyteScriptDeploysUnderA128MegabyteHeap() throws Exception {
        try (TestDatabase db = TestDatabase.create(getClass())) {
            MigrationsFolder folder = MigrationsFolder.in(dir);
            Path script = dir.resolve("20240101000000_seed").resolve("migration.sql");
            Files.createDirectories(script.getParent());
            long rows = writeSeed(script);
            assertThat(Files.size(script)).isGreaterThanOrEqualTo(TARGET_BYTES);

            String output = Processes.run(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx128m", "-cp", System.getProperty("java.class.path"), Deploy.class.getName(),
                    db.postgresUrl(), folder.path().toString()), db.password());

            assertThat(output).contains("applied=1").doesNotContain("OutOfMemoryError");
            assertThat(Sql.value(db, "SELECT count(*) FROM seed")).isEqualTo(rows);
            assertThat(Sql.value(db, "SELECT count(DISTINCT note) FROM seed")).isEqualTo(rows);
            assertThat(Sql.value(db, "SELECT checksum FROM _prisma_migrations WHERE finished_at IS NOT NULL"))
                    .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                            .digest(Files.readAllBytes(script))));
        }
    }

    /** Multi-row INSERTs of about 1 KB each, with semicolons, quotes and dollar quotes inside the literals. */
    private static long writeSeed(Path script) throws IOException {
        long rows = 0;
        long size = 0;
        try (BufferedWriter out = Files.newBufferedWriter(script, StandardCharsets.UTF_8)) {
            String create = "CREATE TABLE seed (id int PRIMARY KEY, note text NOT NULL);\n";
            out.write(create);
            size += create.length();
            while (size < TARGET_BYTES) {
                StringBuilder statement = new StringBuilder("INSERT INTO seed (id, note) VALUES\n");
                for (int i = 0; i < ROWS_PER_STATEMENT; i++) {
                    statement.append(i == 0 ? "  " : ",\n  ").append('(').append(rows).append(", 'row ").append(rows)
                            .append(": it''s a note; with a semicolon and $$ signs, padded to look like real data")
                            .append(" from a production export of customer records')");
                    rows++;
                }
                statement.append(";\n");
                out.write(statement.toString());
                size += statement.length();
            }
        }
        return rows;
    }

    /** The child JVM: one deploy, its outcome on standard output. */
    public static final class Deploy {
        public static void main(String[] args) {
            DeployResult result = Migrator.builder().url(args[0]).location(args[1]).build().deploy();
            System.out.println("applied=" + result.applied().size());
        }
    }
}
