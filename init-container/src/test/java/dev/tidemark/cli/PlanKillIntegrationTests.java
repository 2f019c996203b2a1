package dev.tidemark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidemark.testdb.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code plan --measure} killed while it measures leaves its shadow database behind (nothing can run after
 * {@code kill -9}); the next run recognises it by its name and its released guard lock, and drops it.
 */
class PlanKillIntegrationTests {

    @TempDir
    Path tmp;

    @Test
    void theNextRunDropsTheShadowDatabaseOfAKilledOne() throws Exception {
        try (TestDatabase db = TestDatabase.create(getClass())) {
            Path migrations = Fixtures.migrations(tmp.resolve("migrations"));
            Map<String, String> env = Map.of("DATABASE_URL", db.postgresUrl(), "TIDEMARK_MIGRATIONS",
                    migrations.toString());
            assertThat(CliProcess.jar(env, "deploy").exitCode()).isZero();
            String slow = "20250104000000_slow/migration.sql";
            Fixtures.write(migrations, slow, "SELECT pg_sleep(60);\n");

            Path jar = Path.of(System.getProperty("tidemark.cli.jar", "target/tidemark.jar"));
            ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-jar", jar.toString(), "plan", "--measure")
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
            builder.environment().keySet().removeIf(k -> k.equals("DATABASE_URL") || k.startsWith("TIDEMARK_"));
            builder.environment().putAll(env);
            Process process = builder.start();
            String leftover;
            try {
                leftover = awaitSleepingShadow(db, process);
            } finally {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
            assertThat(shadows(db)).as("kill -9 leaves the shadow database").contains(leftover);
            awaitGuardReleased(db, leftover);

            Fixtures.write(migrations, slow, "SELECT 1;\n");
            CliProcess.Result next = CliProcess.jar(env, "plan", "--measure");

            assertThat(next.exitCode()).as(next.toString()).isZero();
            assertThat(next.err()).contains("Dropped " + leftover + ", the shadow database of an earlier plan"
                    + " --measure that did not finish");
            assertThat(shadows(db)).doesNotContain(leftover);
        }
    }

    /** The name of the shadow database in which the killed run's pg_sleep is running. */
    private static String awaitSleepingShadow(TestDatabase db, Process process) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            assertThat(process.isAlive()).as("plan --measure is still running").isTrue();
            try (Connection connection = db.connect(); PreparedStatement ps = connection.prepareStatement(
                    "SELECT datname FROM pg_stat_activity WHERE datname LIKE 'tidemark\\_plan\\_%'"
                            + " AND query LIKE '%pg_sleep(60)%' AND application_name <> 'psql'")) {
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return rs.getString(1);
                    }
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("plan --measure never reached the pending migration's pg_sleep");
    }

    /** Waits until the server has noticed the killed client and released its guard lock. */
    private static void awaitGuardReleased(TestDatabase db, String shadow) throws Exception {
        long key = Long.parseLong(shadow.substring(shadow.lastIndexOf('_') + 1));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try (Connection connection = db.connect(); PreparedStatement ps = connection.prepareStatement(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = 72707370"
                            + " AND objid = ?::bigint::oid AND objsubid = 2")) {
                ps.setLong(1, key);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) == 0) {
                        return;
                    }
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the killed run's guard lock was never released");
    }

    private static List<String> shadows(TestDatabase db) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection connection = db.connect(); PreparedStatement ps = connection.prepareStatement(
                "SELECT datname FROM pg_database WHERE datname LIKE 'tidemark\\_plan\\_%'");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }
}
