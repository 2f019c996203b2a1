package dev.tidemark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidemark.testdb.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a person sees when running the jar: where it looks for migrations by default, each log line once, status as
 * short as Prisma's, and JSON field names shared with the actuator endpoint.
 */
class CliOutputIntegrationTests {

    /** The fields of the actuator endpoint's MigrationReport (spring-starter), which the CLI's JSON must share. */
    static final List<String> ENDPOINT_MIGRATION_FIELDS = List.of("name", "state", "checksum", "startedAt",
            "finishedAt", "durationMillis", "appliedStepsCount", "logs");

    @TempDir
    Path tmp;

    private TestDatabase db;

    @BeforeEach
    void createDatabase() {
        db = TestDatabase.create(getClass());
    }

    @AfterEach
    void dropDatabase() {
        db.close();
    }

    private Map<String, String> env() {
        return Map.of("DATABASE_URL", db.postgresUrl());
    }

    private Map<String, String> env(Path migrations) {
        return Map.of("DATABASE_URL", db.postgresUrl(), "TIDEMARK_MIGRATIONS", migrations.toString());
    }

    @Test
    void withoutFlagOrVariableThePrismaFolderIsUsedElseMigrations() {
        Path project = tmp.resolve("project");
        Fixtures.migrations(project.resolve("migrations"));
        Fixtures.write(project, "prisma/migrations/migration_lock.toml", CreateCommand.LOCK_FILE_TEXT);
        Fixtures.write(project, "prisma/migrations/" + Fixtures.CREATE_NOTES + "/migration.sql",
                "CREATE TABLE notes (id SERIAL PRIMARY KEY);\n");

        CliProcess.Result prisma = CliProcess.jarIn(project, env(), "status");
        assertThat(prisma.exitCode()).as(prisma.toString()).isZero();
        assertThat(prisma.out()).contains("1 migration found in prisma/migrations");

        Fixtures.delete(project.resolve("prisma"));
        CliProcess.Result plain = CliProcess.jarIn(project, env(), "status");
        assertThat(plain.exitCode()).as(plain.toString()).isZero();
        assertThat(plain.out()).contains("3 migrations found in migrations");
    }

    @Test
    void missingDefaultFolderNamesTheFlagTheVariableAndWhereItLooked() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty"));

        CliProcess.Result result = CliProcess.jarIn(empty, env(), "deploy");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.FAILURE);
        assertThat(result.err()).contains("TM2001", "--migrations", "TIDEMARK_MIGRATIONS", "./prisma/migrations",
                "./migrations", empty.toRealPath().toString());
        assertThat(occurrences(result.all(), "TM2001")).as(result.toString()).isEqualTo(1);
    }

    @Test
    void eachAppliedMigrationAndEachWarningIsPrintedOnce() {
        Path migrations = Fixtures.migrations(tmp.resolve("migrations"));
        // --lint=off: the lint warning about INDEX_TAGS's index would name its file a second time (LintCommandTests)
        CliProcess.Result first = CliProcess.jar(env(migrations), "deploy", "--lint=off");
        assertThat(first.exitCode()).as(first.toString()).isZero();
        for (String name : List.of(Fixtures.CREATE_NOTES, Fixtures.ADD_TAGS, Fixtures.INDEX_TAGS)) {
            assertThat(occurrences(first.all(), name)).as(name + " in\n" + first).isEqualTo(1);
        }
        assertThat(first.out()).contains("All migrations have been successfully applied: 3 migrations");

        Fixtures.write(migrations, Fixtures.ADD_TAGS + "/migration.sql",
                "ALTER TABLE notes ADD COLUMN tags TEXT[] NOT NULL DEFAULT '{}'; -- edited after it ran\n");
        Fixtures.write(migrations, "20250104000000_add_title/migration.sql",
                "ALTER TABLE notes ADD COLUMN title TEXT;\n");
        CliProcess.Result second = CliProcess.jar(env(migrations), "deploy");

        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertThat(occurrences(second.all(), "20250104000000_add_title")).as(second.toString()).isEqualTo(1);
        assertThat(occurrences(second.all(), "was modified after it was applied")).as(second.toString())
                .isEqualTo(1);
        assertThat(second.out()).contains("1 migration", "(3 already applied), with 1 warning");

        // with warnings hidden from the log, the result carries them, still once
        CliProcess.Result quiet = CliProcess.jar(env(migrations), "deploy", "--log-level", "error");
        assertThat(quiet.exitCode()).as(quiet.toString()).isZero();
        assertThat(occurrences(quiet.all(), "was modified after it was applied")).as(quiet.toString())
                .isEqualTo(1);
        assertThat(quiet.err()).isEmpty();
    }

    @Test
    void statusUpToDateIsShortAndListsOnlyWhatNeedsAttention() {
        Path migrations = Fixtures.migrations(tmp.resolve("migrations"));
        Fixtures.delete(migrations.resolve(Fixtures.INDEX_TAGS));
        assertThat(CliProcess.jar(env(migrations), "deploy").exitCode()).isZero();
        Fixtures.migrations(migrations);

        CliProcess.Result pending = CliProcess.jar(env(migrations), "status");
        assertThat(pending.exitCode()).as(pending.toString()).isZero();
        assertThat(pending.out()).contains("3 migrations found in " + migrations,
                "have not yet been applied:\n  " + Fixtures.INDEX_TAGS + "\n", "Not up to date: 1 pending.")
                .doesNotContain(Fixtures.CREATE_NOTES, Fixtures.ADD_TAGS, "up to date!");

        assertThat(CliProcess.jar(env(migrations), "deploy").exitCode()).isZero();
        CliProcess.Result upToDate = CliProcess.jar(env(migrations), "status", "--exit-code", "--strict");
        assertThat(upToDate.exitCode()).as(upToDate.toString()).isZero();
        List<String> lines = upToDate.out().lines().filter(line -> !line.isBlank()).toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("Database: postgresql://").contains(db.name());
        assertThat(lines.subList(1, 3)).containsExactly("3 migrations found in " + migrations,
                "Database schema is up to date!");
    }

    @Test
    void statusNeverSaysUpToDateWhileAMigrationIsModifiedOrMissing() {
        Path migrations = Fixtures.migrations(tmp.resolve("migrations"));
        assertThat(CliProcess.jar(env(migrations), "deploy").exitCode()).isZero();
        Fixtures.write(migrations, Fixtures.ADD_TAGS + "/migration.sql", "-- edited after it ran\n");
        Fixtures.delete(migrations.resolve(Fixtures.INDEX_TAGS));

        CliProcess.Result status = CliProcess.jar(env(migrations), "status", "--exit-code");
        assertThat(status.exitCode()).as("warnings alone do not fail without --strict: " + status).isZero();
        assertThat(status.out()).contains("Database schema is up to date, with warnings",
                "were modified since they ran:\n  " + Fixtures.ADD_TAGS,
                "are missing from " + migrations + ":\n  " + Fixtures.INDEX_TAGS)
                .doesNotContain("up to date!", Fixtures.CREATE_NOTES);

        CliProcess.Result strict = CliProcess.jar(env(migrations), "status", "--exit-code", "--strict");
        assertThat(strict.exitCode()).as(strict.toString()).isEqualTo(ExitCodes.NOT_UP_TO_DATE);
        CliProcess.Result strictFromEnv = CliProcess.jar(Map.of("DATABASE_URL", db.postgresUrl(), "TIDEMARK_MIGRATIONS",
                migrations.toString(), "TIDEMARK_STRICT", "true"), "status", "--exit-code");
        assertThat(strictFromEnv.exitCode()).as(strictFromEnv.toString()).isEqualTo(ExitCodes.NOT_UP_TO_DATE);

        CliProcess.Result json = CliProcess.jar(env(migrations), "status", "--output", "json");
        assertThat(json.json()).containsEntry("upToDate", true).containsEntry("hasWarnings", true)
                .containsEntry("modified", List.of(Fixtures.ADD_TAGS))
                .containsEntry("missingLocally", List.of(Fixtures.INDEX_TAGS));
    }

    @Test
    void jsonFieldNamesMatchTheActuatorEndpoint() {
        Path migrations = Fixtures.migrations(tmp.resolve("migrations"));
        CliProcess.Result deploy = CliProcess.jar(env(migrations), "deploy", "--output", "json");
        assertThat(deploy.exitCode()).as(deploy.toString()).isZero();
        assertThat(deploy.json()).containsKey("durationMillis").doesNotContainKey("durationMs");
        assertThat(Parsed.first(deploy.json().get("applied"))).containsKey("durationMillis")
                .doesNotContainKey("durationMs");

        CliProcess.Result status = CliProcess.jar(env(migrations), "status", "--output", "json");
        Map<String, Object> migration = Parsed.first(status.json().get("migrations"));
        assertThat(migration).containsKeys(ENDPOINT_MIGRATION_FIELDS.toArray(String[]::new));
        assertThat(((Number) migration.get("durationMillis")).longValue()).isNotNegative();
        assertThat(migration.get("appliedStepsCount")).isEqualTo(1);
    }

    static int occurrences(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
            count++;
        }
        return count;
    }
}
