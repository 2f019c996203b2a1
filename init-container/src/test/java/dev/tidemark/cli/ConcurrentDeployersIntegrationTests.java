package dev.tidemark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidemark.testdb.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rollout: many init containers start at once, and the one holding the lock reaches a {@code CREATE INDEX
 * CONCURRENTLY}. The build waits for every transaction older than it; a deployer that waited for the lock inside a
 * running statement would deadlock it (40P01). Waiting deployers poll instead, idle between polls, so the build
 * proceeds and everyone exits 0.
 *
 * <p>Sixteen processes by default; {@code -Dtidemark.test.deployers=N} runs another count (fewer on a small
 * machine, more for a long run).
 */
class ConcurrentDeployersIntegrationTests {

    private static final int DEPLOYERS = Integer.getInteger("tidemark.test.deployers", 16);
    private static final String[] MIGRATIONS = {
        "20240101000000_create_events", "CREATE TABLE events (id bigint PRIMARY KEY, kind int, payload text);\n"
                + "INSERT INTO events SELECT g, g % 50, md5(g::text) FROM generate_series(1, 50000) g;\n",
        // Long enough that every other deployer is waiting for the lock when the builds below start.
        "20240102000000_slow_backfill", "SELECT pg_sleep(3);\nUPDATE events SET payload = upper(payload)"
                + " WHERE kind = 7;\n",
        "20240103000000_index_kind", "CREATE INDEX CONCURRENTLY events_kind ON events (kind);\n",
        "20240104000000_index_payload", "CREATE INDEX CONCURRENTLY events_payload ON events (payload);\n"
                + "CREATE UNIQUE INDEX CONCURRENTLY events_kind_id ON events (kind, id);\n",
        "20240105000000_add_column", "ALTER TABLE events ADD COLUMN seen boolean NOT NULL DEFAULT false;\n",
    };

    @TempDir
    Path tmp;

    @Test
    void deployersStartedTogetherAllSucceedAndApplyEachMigrationOnce() throws Exception {
        assertThat(DEPLOYERS).as("tidemark.test.deployers").isGreaterThanOrEqualTo(2);
        Path migrations = writeMigrations(tmp.resolve("migrations"));
        try (TestDatabase db = TestDatabase.create(getClass());
                TestDatabase reference = TestDatabase.create(getClass())) {
            Map<String, String> env = Map.of("DATABASE_URL", db.postgresUrl(), "TIDEMARK_MIGRATIONS",
                    migrations.toString(), "TIDEMARK_LOCK_WAIT", "120s");
            CountDownLatch start = new CountDownLatch(1);
            List<CompletableFuture<CliProcess.Result>> runs = new ArrayList<>();
            for (int i = 0; i < DEPLOYERS; i++) {
                runs.add(CompletableFuture.supplyAsync(() -> {
                    await(start);
                    return CliProcess.jar(env, "deploy");
                }, runnable -> new Thread(runnable, "deployer").start()));
            }
            start.countDown();

            List<CliProcess.Result> results = runs.stream().map(CompletableFuture::join).toList();

            for (CliProcess.Result result : results) {
                assertThat(result.exitCode()).as(result.toString()).isZero();
                assertThat(result.all()).doesNotContain("40P01", "deadlock");
            }
            assertThat(query(db, "SELECT migration_name, count(*) FILTER (WHERE finished_at IS NOT NULL"
                    + " AND rolled_back_at IS NULL), count(*) FROM _prisma_migrations GROUP BY 1 ORDER BY 1"))
                    .containsExactly(expectedHistory());
            assertThat(query(db, "SELECT count(*) FROM pg_index WHERE NOT indisvalid")).containsExactly("0");

            for (int i = 0; i < MIGRATIONS.length; i += 2) {
                psql(reference, migrations.resolve(MIGRATIONS[i]).resolve("migration.sql"));
            }
            assertThat(schemaDump(db)).isEqualTo(schemaDump(reference));
        }
    }

    private static String[] expectedHistory() {
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < MIGRATIONS.length; i += 2) {
            rows.add(MIGRATIONS[i] + " | 1 | 1");
        }
        return rows.toArray(String[]::new);
    }

    private static Path writeMigrations(Path root) throws IOException {
        Files.createDirectories(root);
        Files.writeString(root.resolve("migration_lock.toml"), "provider = \"postgresql\"\n");
        for (int i = 0; i < MIGRATIONS.length; i += 2) {
            Path dir = Files.createDirectories(root.resolve(MIGRATIONS[i]));
            Files.writeString(dir.resolve("migration.sql"), MIGRATIONS[i + 1]);
        }
        return root;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static List<String> query(TestDatabase db, String sql) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= columns; i++) {
                    row.append(i > 1 ? " | " : "").append(rs.getString(i));
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }

    private static void psql(TestDatabase db, Path file) {
        CliProcess.Result result = CliProcess.run(List.of("psql", "-X", "-q", "-w", "-v", "ON_ERROR_STOP=1", "-h",
                db.host(), "-p", String.valueOf(db.port()), "-U", db.user(), "-d", db.name(), "-f", file.toString()),
                pgPassword(db), false);
        assertThat(result.exitCode()).as(result.toString()).isZero();
    }

    private static String schemaDump(TestDatabase db) {
        CliProcess.Result result = CliProcess.run(List.of("pg_dump", "-w", "--schema-only", "--no-owner",
                "--no-privileges", "--exclude-table=public._prisma_migrations", "-h", db.host(), "-p",
                String.valueOf(db.port()), "-U", db.user(), db.name()), pgPassword(db), false);
        assertThat(result.exitCode()).as(result.toString()).isZero();
        // Drop the header comments and the random restrict key newer pg_dump versions print.
        return String.join("\n", result.out().lines().filter(line -> !line.startsWith("--")
                && !line.startsWith("\\restrict") && !line.startsWith("\\unrestrict")).toList());
    }

    private static Map<String, String> pgPassword(TestDatabase db) {
        return db.password() == null ? Map.of() : Map.of("PGPASSWORD", db.password());
    }
}
