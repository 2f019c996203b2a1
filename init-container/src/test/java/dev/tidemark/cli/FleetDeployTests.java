package dev.tidemark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidemark.testdb.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code deploy --targets} on 200 schemas of one database plus 5 databases, with the in-repo harbor corpus: every
 * target matches a psql-applied reference, one broken tenant fails alone, and a re-run changes nothing.
 */
class FleetDeployTests {

    static final Path HARBOR = Path.of("..", "library", "core", "src", "test", "resources", "corpus", "harbor");
    static final int SCHEMAS = 200;
    static final int DATABASES = 5;

    @TempDir
    Path tmp;
    private final InProcessCli cli = new InProcessCli();
    private final ByteArrayOutputStream out = cli.out;
    private final ByteArrayOutputStream err = cli.err;

    @Test
    void twoHundredSchemasAndFiveDatabasesGetTheCorpusAndABrokenTenantFailsAlone() throws Exception {
        List<TestDatabase> databases = new ArrayList<>();
        try (TestDatabase tenants = TestDatabase.create("fleet_tenants");
                TestDatabase reference = TestDatabase.create("fleet_reference")) {
            for (int i = 0; i < DATABASES; i++) {
                databases.add(TestDatabase.create("fleet_db" + i));
            }
            StringBuilder lines = new StringBuilder("# 200 tenants in one database\n");
            StringBuilder ddl = new StringBuilder();
            for (int i = 0; i < SCHEMAS; i++) {
                lines.append(tenants.postgresUrl()).append(String.format("?schema=tenant_%03d%n", i));
                ddl.append(String.format("CREATE SCHEMA tenant_%03d;", i));
            }
            // The broken tenant: a table the corpus's first migration creates is already there.
            ddl.append("CREATE TABLE tenant_042.\"User\" (conflict text);");
            execute(tenants, ddl.toString());
            lines.append("# and 5 databases\n");
            databases.forEach(db -> lines.append(db.postgresUrl()).append('\n'));
            Path targets = tmp.resolve("targets.txt");
            Files.writeString(targets, lines);

            assertThat(deploy(targets, "--output", "json")).isEqualTo(ExitCodes.FAILURE);
            Map<String, Object> summary = json();
            assertThat(summary.get("total")).isEqualTo(SCHEMAS + DATABASES);
            assertThat(summary.get("failed")).as("failed: %s", entries(summary).stream()
                    .filter(e -> "FAILED".equals(e.get("state"))).toList()).isEqualTo(1);
            assertThat(summary.get("upToDate")).isEqualTo(SCHEMAS + DATABASES - 1);
            List<Map<String, Object>> entries = entries(summary);
            Map<String, Object> first = entries.get(0);
            assertThat((String) first.get("name")).endsWith("/tenant_042");
            assertThat(first.get("state")).isEqualTo("FAILED");
            @SuppressWarnings("unchecked")
            Map<String, Object> error = (Map<String, Object>) first.get("error");
            assertThat(error.get("code")).isEqualTo("TM3018");
            assertThat((String) error.get("message")).contains("20240108101500_init", "\"User\"", "already exists");
            int corpusSize = migrationCount();
            assertThat(entries.subList(1, entries.size())).allSatisfy(entry -> {
                assertThat(entry.get("state")).isEqualTo("APPLIED");
                assertThat((List<?>) entry.get("applied")).hasSize(corpusSize);
            });
            assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain(":" + tenants.password() + "@");

            // The reference: the corpus applied by psql, file by file, as Prisma sends them.
            try (Stream<Path> dirs = Files.list(HARBOR)) {
                for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                    psql(reference, dir.resolve("migration.sql"));
                }
            }
            String expected = describe(reference, "public");
            assertThat(expected).contains("table User", "enum Role USER,ADMIN");
            for (String schema : List.of("tenant_000", "tenant_041", "tenant_137", "tenant_199")) {
                assertThat(describe(tenants, schema)).as(schema).isEqualTo(expected);
            }
            assertThat(describe(databases.get(3), "public")).isEqualTo(expected);
            assertThat(describe(tenants, "tenant_042")).isEqualTo("column User.conflict text YES \ntable User");

            // A re-run: every finished target is up to date; the broken one still fails, and alone.
            out.reset();
            assertThat(deploy(targets, "--output", "json", "--parallel", "8")).isEqualTo(ExitCodes.FAILURE);
            Map<String, Object> again = json();
            assertThat(again.get("failed")).isEqualTo(1);
            assertThat(entries(again).subList(1, SCHEMAS + DATABASES)).allSatisfy(entry ->
                    assertThat(entry.get("state")).isEqualTo("UP_TO_DATE"));

            // status over the fleet: exit 1 (a failed migration is recorded on tenant_042), text lists it first.
            out.reset();
            assertThat(run("status", "--targets", targets.toString(), "--migrations", HARBOR.toString()))
                    .isEqualTo(ExitCodes.FAILURE);
            String text = out.toString(StandardCharsets.UTF_8);
            assertThat(text.lines().findFirst().orElseThrow()).startsWith("FAILED").contains("tenant_042",
                    "20240108101500_init");
            assertThat(text).contains("204 up to date", "1 failed");
        } finally {
            databases.forEach(TestDatabase::close);
        }
    }

    private int migrationCount() throws Exception {
        try (Stream<Path> dirs = Files.list(HARBOR)) {
            return (int) dirs.filter(Files::isDirectory).count();
        }
    }

    private int deploy(Path targets, String... flags) {
        List<String> args = new ArrayList<>(List.of("deploy", "--targets", targets.toString(), "--migrations",
                HARBOR.toString()));
        args.addAll(List.of(flags));
        return run(args.toArray(String[]::new));
    }

    private int run(String... args) {
        CliContext context = cli.context(new HashMap<>(), Clock.systemUTC());
        return TidemarkCli.run(context, args);
    }

    private Map<String, Object> json() {
        return new Yaml().load(out.toString(StandardCharsets.UTF_8));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> entries(Map<String, Object> summary) {
        return (List<Map<String, Object>>) summary.get("targets");
    }

    private static void execute(TestDatabase db, String sql) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static void psql(TestDatabase db, Path file) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("psql", "-X", "-q", "-w", "-v", "ON_ERROR_STOP=1", "-h",
                db.host(), "-p", String.valueOf(db.port()), "-U", db.user(), "-d", db.name(), "-f", file.toString())
                .redirectErrorStream(true);
        if (db.password() != null) {
            builder.environment().put("PGPASSWORD", db.password());
        }
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as("psql -f " + file + ": " + output).isZero();
    }

    /**
     * A schema's tables, columns, constraints, indexes and enums, with the schema name taken out, so that a tenant
     * schema compares with the reference's public schema. The history table is left out.
     */
    static String describe(TestDatabase db, String schema) throws Exception {
        String sql = "SELECT line FROM ("
                + " SELECT 'table ' || c.relname AS line FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + "  WHERE n.nspname = ? AND c.relkind IN ('r', 'p', 'v', 'm') AND c.relname <> '_prisma_migrations'"
                + " UNION ALL SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' '"
                + "  || is_nullable || ' ' || coalesce(column_default, '') FROM information_schema.columns"
                + "  WHERE table_schema = ? AND table_name <> '_prisma_migrations'"
                + " UNION ALL SELECT 'constraint ' || cl.relname || ' ' || co.conname || ' '"
                + "  || pg_get_constraintdef(co.oid) FROM pg_constraint co JOIN pg_class cl ON cl.oid = co.conrelid"
                + "  JOIN pg_namespace n ON n.oid = cl.relnamespace WHERE n.nspname = ?"
                + "  AND cl.relname <> '_prisma_migrations'"
                + " UNION ALL SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = ?"
                + "  AND tablename <> '_prisma_migrations'"
                + " UNION ALL SELECT 'enum ' || t.typname || ' ' || string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder)"
                + "  FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace"
                + "  WHERE n.nspname = ? GROUP BY t.typname"
                + ") lines ORDER BY line";
        StringBuilder text = new StringBuilder();
        try (Connection c = db.connect(); var statement = c.prepareStatement(sql)) {
            for (int i = 1; i <= 5; i++) {
                statement.setString(i, schema);
            }
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    text.append(rs.getString(1)).append('\n');
                }
            }
        }
        return text.toString().replace(schema + ".", "").replace("\"" + schema + "\".", "").strip();
    }
}
