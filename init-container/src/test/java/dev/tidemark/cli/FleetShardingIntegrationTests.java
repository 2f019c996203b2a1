package dev.tidemark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidemark.testdb.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sharding as a Kubernetes Indexed Job runs it: N processes of the real CLI jar, started together against one fleet,
 * each with its own JOB_COMPLETION_INDEX and the same TIDEMARK_SHARDS. Every target is deployed exactly once.
 */
class FleetShardingIntegrationTests {

    static final int SHARDS = 3;
    static final int TENANTS = 40;

    @TempDir
    Path tmp;

    @Test
    void processesWithDifferentIndexesDeployEveryTargetExactlyOnce() throws Exception {
        // The migration records which schema it ran in, in a table shared by all: a second run would show twice.
        Path migrations = Fixtures.migrations(tmp.resolve("migrations"));
        Fixtures.write(migrations, "20250109000000_record/migration.sql",
                "INSERT INTO public.deployed (schema_name, pid) VALUES (current_schema(), pg_backend_pid());\n");
        try (TestDatabase db = TestDatabase.create(getClass())) {
            StringBuilder ddl = new StringBuilder("CREATE TABLE public.deployed (schema_name text, pid int);");
            for (int i = 0; i < TENANTS; i++) {
                ddl.append(String.format("CREATE SCHEMA tenant_%02d;", i));
            }
            execute(db, ddl.toString());

            List<CompletableFuture<CliProcess.Result>> runs = new ArrayList<>();
            for (int index = 0; index < SHARDS; index++) {
                Map<String, String> env = new HashMap<>(Map.of("DATABASE_URL", db.postgresUrl(),
                        "TIDEMARK_MIGRATIONS", migrations.toString(), "TIDEMARK_SHARDS", String.valueOf(SHARDS),
                        "JOB_COMPLETION_INDEX", String.valueOf(index)));
                runs.add(CompletableFuture.supplyAsync(() -> CliProcess.jar(env, "deploy", "--schemas", "tenant_*",
                        "--output", "json"), runnable -> new Thread(runnable, "shard").start()));
            }
            int total = 0;
            for (CompletableFuture<CliProcess.Result> run : runs) {
                CliProcess.Result result = run.join();
                assertThat(result.exitCode()).as(result.toString()).isZero();
                int taken = (Integer) result.json().get("total");
                assertThat(taken).as("every shard takes a share").isPositive();
                total += taken;
            }
            assertThat(total).isEqualTo(TENANTS);
            assertThat(single(db, "SELECT count(*) FROM public.deployed")).isEqualTo(TENANTS);
            assertThat(single(db, "SELECT count(DISTINCT schema_name) FROM public.deployed")).isEqualTo(TENANTS);
            assertThat(single(db, "SELECT count(DISTINCT schema_name) FROM public.deployed"
                    + " WHERE schema_name LIKE 'tenant\\_%'")).isEqualTo(TENANTS);

            // A retried shard finds its targets up to date.
            Map<String, String> env = Map.of("DATABASE_URL", db.postgresUrl(), "TIDEMARK_MIGRATIONS",
                    migrations.toString(), "TIDEMARK_SHARDS", String.valueOf(SHARDS), "JOB_COMPLETION_INDEX", "1");
            CliProcess.Result again = CliProcess.jar(env, "deploy", "--schemas", "tenant_*", "--output", "json");
            assertThat(again.exitCode()).as(again.toString()).isZero();
            assertThat(again.json().get("upToDate")).isEqualTo(again.json().get("total"));
            assertThat(single(db, "SELECT count(*) FROM public.deployed")).isEqualTo(TENANTS);

            // Without the index, a sharded run refuses to guess.
            CliProcess.Result noIndex = CliProcess.jar(Map.of("DATABASE_URL", db.postgresUrl(), "TIDEMARK_MIGRATIONS",
                    migrations.toString(), "TIDEMARK_SHARDS", "3"), "deploy", "--schemas", "tenant_*");
            assertThat(noIndex.exitCode()).isEqualTo(ExitCodes.USAGE);
            assertThat(noIndex.err()).contains("JOB_COMPLETION_INDEX");
        }
    }

    private static void execute(TestDatabase db, String sql) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static int single(TestDatabase db, String sql) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
