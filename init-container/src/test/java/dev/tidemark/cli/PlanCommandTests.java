package dev.tidemark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidemark.testdb.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/** {@code tidemark plan} in text and JSON, with and without {@code --measure}, against a real database. */
class PlanCommandTests {

    @TempDir
    Path tmp;

    private TestDatabase db;
    private Path migrations;
    private final InProcessCli cli = new InProcessCli();
    private final ByteArrayOutputStream out = cli.out;
    private final ByteArrayOutputStream err = cli.err;

    @BeforeEach
    void deployTheFirstMigration() {
        db = TestDatabase.create(getClass());
        migrations = tmp.resolve("migrations");
        Fixtures.write(migrations, "migration_lock.toml", CreateCommand.LOCK_FILE_TEXT);
        Fixtures.write(migrations, Fixtures.CREATE_NOTES + "/migration.sql",
                "CREATE TABLE notes (id SERIAL PRIMARY KEY, body TEXT NOT NULL);\n");
        assertThat(run("deploy")).isZero();
        Fixtures.write(migrations, Fixtures.ADD_TAGS + "/migration.sql",
                "ALTER TABLE notes ADD COLUMN tags TEXT[] NOT NULL DEFAULT '{}';\n"
                        + "ALTER TABLE notes ALTER COLUMN body TYPE VARCHAR(200);\n");
        Fixtures.write(migrations, Fixtures.INDEX_TAGS + "/migration.sql",
                "-- built without blocking writes\nCREATE INDEX CONCURRENTLY notes_tags ON notes USING gin (tags);\n");
        out.reset();
    }

    @AfterEach
    void drop() {
        db.close();
    }

    @Test
    void textListsStatementsWithFileLineModeAndReason() {
        assertThat(run("plan")).isZero();
        String text = stdout();
        assertThat(text).contains("2 pending migration(s), 3 statement(s):")
                .contains(Fixtures.ADD_TAGS + "  one transaction (the default: no directive, and no statement refuses a"
                        + " transaction)\n")
                .contains(migrations.resolve(Fixtures.ADD_TAGS).resolve("migration.sql") + ":2  ALTER TABLE notes"
                        + " ALTER COLUMN body TYPE VARCHAR(200)\n")
                .contains(Fixtures.INDEX_TAGS + "  autocommit, statement by statement (line 2: 'CREATE INDEX"
                        + " CONCURRENTLY notes_tags ON notes USING gin (tags)' cannot run inside a transaction block)")
                .contains("[autocommit]")
                .contains("Run 'tidemark plan --measure'");
    }

    @Test
    void measuredTextNamesLocksAndRewrites() {
        assertThat(run("plan", "--measure")).isZero();
        String text = stdout();
        assertThat(text).contains(", measured on a shadow database:")
                .contains("      blocks reads and writes of notes (ACCESS EXCLUSIVE)\n")
                .contains("      rewrites notes\n")
                .contains("ran outside a transaction, as deploy runs it")
                .contains("Summary: 2 statement(s) block reads or writes, 1 rewrite a table, 1 scan a whole table.");
    }

    @Test
    void jsonIsVersionedAndCarriesEveryField() {
        assertThat(run("plan", "--measure", "--format", "json")).isZero();
        Map<String, Object> json = new Yaml().load(stdout());
        assertThat(json).containsEntry("command", "plan").containsEntry("success", true)
                .containsEntry("formatVersion", 1).containsEntry("measured", true)
                .containsEntry("statementCount", 3).containsEntry("upToDate", false);
        List<Map<String, Object>> migrationsJson = list(json.get("migrations"));
        assertThat(migrationsJson).extracting(m -> m.get("name")).containsExactly(Fixtures.ADD_TAGS,
                Fixtures.INDEX_TAGS);
        assertThat(migrationsJson.get(1)).containsEntry("transactionMode", "NONE").containsEntry("state", "PENDING");
        Map<String, Object> retype = list(migrationsJson.get(0).get("statements")).get(1);
        assertThat(retype).containsEntry("line", 2).containsEntry("autocommit", false);
        Map<String, Object> effect = map(retype.get("effect"));
        assertThat(effect).containsEntry("measured", true).containsEntry("rewrites", List.of("notes"))
                .containsEntry("error", null).containsKeys("durationMicros", "estimateSeconds", "estimateBasis");
        // ACCESS EXCLUSIVE on notes was taken by the statement before, in the same transaction; the rewrite adds
        // SHARE on it and rebuilds its primary key index
        assertThat(list(effect.get("locks"))).extracting(l -> l.get("relation") + " " + l.get("mode"))
                .containsExactly("notes_pkey AccessExclusiveLock", "notes ShareLock");
        Map<String, Object> first = map(list(migrationsJson.get(0).get("statements")).get(0).get("effect"));
        assertThat(list(first.get("locks"))).singleElement().satisfies(lock -> assertThat(lock)
                .containsEntry("relation", "notes").containsEntry("kind", "table")
                .containsEntry("mode", "AccessExclusiveLock").containsEntry("modeName", "ACCESS EXCLUSIVE")
                .containsEntry("blocks", "blocks reads and writes of notes"));
        assertThat(list(migrationsJson.get(0).get("findings"))).filteredOn(f -> f.get("line").equals(2))
                .singleElement().satisfies(finding -> assertThat(finding)
                        .containsEntry("rule", "type-change-rewrites")
                        .containsEntry("measured", Map.of("outcome", "confirmed", "evidence", "rewrites notes")));
    }

    @Test
    void textAndJsonShowTheLintFindingsAtTheirLines() {
        String name = "20250105000000_index_body";
        Fixtures.write(migrations, name + "/migration.sql", "-- a plain index\nCREATE INDEX notes_body ON notes (body);\n");
        Path file = migrations.resolve(name).resolve("migration.sql");

        assertThat(run("plan")).isZero();
        String text = stdout();
        assertThat(text.substring(text.indexOf(name + "  one transaction")))
                .contains("  lint:\n    warning create-index-not-concurrent  " + file + ":2  ")
                .contains("      safe form: ")
                .containsPattern("\nLint: \\d+ finding\\(s\\): \\d+ error\\(s\\), \\d+ warning\\(s\\), \\d+ info\\.\n");

        out.reset();
        assertThat(run("plan", "--format", "json")).isZero();
        Map<String, Object> json = new Yaml().load(stdout());
        assertThat(json).containsEntry("formatVersion", 1);
        Map<String, Object> index = list(json.get("migrations")).get(2);
        assertThat(index).containsEntry("name", name);
        assertThat(list(index.get("findings"))).anySatisfy(finding -> assertThat(finding)
                .containsEntry("rule", "create-index-not-concurrent").containsEntry("migration", name)
                .containsEntry("file", file.toString()).containsEntry("line", 2)
                .containsKeys("severity", "column", "message", "safeForm")
                .containsEntry("measured", null));
        assertThat(list(json.get("findings"))).extracting(f -> f.get("migration") + ":" + f.get("rule"))
                .contains(name + ":create-index-not-concurrent");
    }

    @Test
    void upToDateAndErrors() {
        assertThat(run("deploy")).isZero();
        out.reset();
        assertThat(run("plan", "--measure")).isZero();
        assertThat(stdout()).contains("No pending migration: deploy would do nothing.");

        out.reset();
        Fixtures.write(migrations, "20250104000000_bad/migration.sql", "-- tidemark:transaction=sometimes\nSELECT 1;\n");
        assertThat(run("plan", "--format", "json")).isEqualTo(ExitCodes.FAILURE);
        Map<String, Object> json = new Yaml().load(stdout());
        assertThat(json).containsEntry("command", "plan").containsEntry("success", false);
        assertThat(map(json.get("error")).get("message").toString())
                .contains("20250104000000_bad/migration.sql:1:1: the directive '-- tidemark:transaction=sometimes'");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object value) {
        return (List<Map<String, Object>>) value;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    private int run(String... args) {
        Map<String, String> env = new HashMap<>();
        env.put("DATABASE_URL", db.postgresUrl());
        env.put("TIDEMARK_MIGRATIONS", migrations.toString());
        CliContext context = cli.context(env,
                Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC));
        return TidemarkCli.run(context, args);
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }
}
