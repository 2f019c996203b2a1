package dev.tidemark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidemark.testdb.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code deploy --events json}, {@code --events-file}, {@code --warn-after} and {@code --metrics-file}, in-process:
 * the events in order with their documented fields, the slow-migration warning seen while the migration waits for
 * the test's lock, and the Prometheus file of a single deploy and of a fleet.
 */
class DeployEventsTests {

    static final String CREATE = "20250101000000_create_notes";
    static final String BROKEN = "20250102000000_broken";

    @TempDir
    Path tmp;
    TestDatabase db;
    Path migrations;
    private final InProcessCli cli = new InProcessCli();
    private final ByteArrayOutputStream out = cli.out;
    private final ByteArrayOutputStream err = cli.err;

    @BeforeEach
    void setUp() throws Exception {
        db = TestDatabase.create(getClass());
        migrations = tmp.resolve("migrations");
        Fixtures.write(migrations, CREATE + "/migration.sql", "CREATE TABLE notes (id int);\n");
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    @Test
    void eventsOnStandardErrorAndMetricsOfAFailedDeploy() throws Exception {
        Fixtures.write(migrations, BROKEN + "/migration.sql", "SELECT 1 / 0;\n");
        Path metrics = tmp.resolve("tidemark.prom");

        assertThat(deploy("--events", "json", "--metrics-file", metrics.toString())).isEqualTo(ExitCodes.FAILURE);

        List<Map<String, Object>> events = events(err.toString(StandardCharsets.UTF_8));
        assertThat(events).extracting(e -> e.get("type")).containsExactly("deploy_started", "migration_started",
                "migration_finished", "migration_started", "migration_failed", "deploy_finished");
        assertThat(events).allSatisfy(e -> {
            assertThat(e.get("v")).isEqualTo(1);
            assertThat(e).containsKey("time").doesNotContainKey("target");
        });
        assertThat(events.get(0)).containsEntry("pending", 2);
        assertThat(events.get(2)).containsEntry("migration", CREATE).containsEntry("statements", 1)
                .containsKey("durationMillis");
        assertThat(events.get(4)).containsEntry("migration", BROKEN).containsEntry("code", "TM3018")
                .containsEntry("error", "MIGRATION_FAILED");
        assertThat((String) events.get(4).get("message")).startsWith("Migration " + BROKEN).contains("division");
        assertThat(events.get(5)).containsEntry("outcome", "FAILED").containsEntry("applied", 1)
                .containsEntry("code", "TM3018");

        String text = Files.readString(metrics);
        assertThat(text.lines()).contains(
                "# TYPE tidemark_migrations_applied_total counter",
                "tidemark_migrations_applied_total 1",
                "tidemark_migrations_failed_total 1",
                "tidemark_migrations_pending 1",
                "tidemark_deploy_success 0",
                "tidemark_lock_wait_seconds_total 0",
                "tidemark_lock_retries_total 0");
        assertThat(text).containsPattern("(?m)^tidemark_deploy_duration_seconds [0-9.]+$");
        try (var files = Files.list(tmp)) {
            assertThat(files.map(p -> p.getFileName().toString())).as("no temporary file left")
                    .containsExactlyInAnyOrder("migrations", "tidemark.prom");
        }
    }

    @Test
    void aMigrationWaitingPastWarnAfterIsWarnedAboutWhileItRuns() throws Exception {
        assertThat(deploy()).isZero();
        String waiting = "20250103000000_add_body";
        Fixtures.write(migrations, waiting + "/migration.sql", "ALTER TABLE notes ADD COLUMN body text;\n");
        Path eventsFile = tmp.resolve("events.jsonl");
        try (Connection holder = db.connect()) {
            holder.setAutoCommit(false);
            try (Statement s = holder.createStatement()) {
                s.executeQuery("SELECT count(*) FROM notes").close();
            }
            // Releases the table once the slow-migration event is in the file: the deploy waits until then.
            CompletableFuture<Void> release = CompletableFuture.runAsync(() -> {
                try {
                    while (!Files.exists(eventsFile) || !Files.readString(eventsFile).contains("slow_migration")) {
                        Thread.sleep(20);
                    }
                    holder.commit();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            err.reset();
            assertThat(deploy("--events-file", eventsFile.toString(), "--warn-after", "300ms", "--lock-timeout",
                    "0")).isZero();
            release.join();
        }
        List<Map<String, Object>> events = events(Files.readString(eventsFile));
        assertThat(events).extracting(e -> e.get("type")).containsExactly("deploy_started", "migration_started",
                "slow_migration", "migration_finished", "deploy_finished");
        assertThat(events.get(2)).containsEntry("migration", waiting);
        assertThat(((Number) events.get(2).get("runningMillis")).longValue()).isGreaterThanOrEqualTo(300);
        assertThat(events.get(4)).containsEntry("outcome", "APPLIED").containsEntry("code", null);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("migration " + waiting + " has been running for",
                "slow-migration warning of 300 ms").doesNotContain("\"v\":1");
    }

    /**
     * Eight targets configured at once on eight workers: each target's builder gets the same two listeners, so one
     * file holds every target's events and one metrics file every target's samples.
     */
    @Test
    void aFleetLabelsItsMetricsAndEventsWithEachTarget() throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            for (char tenant = 'a'; tenant <= 'h'; tenant++) {
                s.execute("CREATE SCHEMA tenant_" + tenant);
            }
        }
        Path metrics = tmp.resolve("fleet.prom");
        Path eventsFile = tmp.resolve("fleet.jsonl");

        assertThat(deploy("--schemas", "tenant_*", "--parallel", "8", "--metrics-file", metrics.toString(),
                "--events-file", eventsFile.toString())).isZero();

        List<Map<String, Object>> events = events(Files.readString(eventsFile));
        assertThat(events).hasSize(8 * 4);
        List<String> targets = events.stream().map(e -> (String) e.get("target")).distinct().sorted().toList();
        assertThat(targets).hasSize(8).allSatisfy(t -> assertThat(t).matches(".*tenant_[a-h]"));
        String text = Files.readString(metrics);
        for (String target : targets) {
            String label = "{target=\"" + PrometheusFile.escape(target) + "\"}";
            assertThat(text.lines()).contains("tidemark_migrations_applied_total" + label + " 1",
                    "tidemark_migrations_pending" + label + " 0", "tidemark_deploy_success" + label + " 1");
        }
    }

    @Test
    void labelValuesAreEscapedAsTheTextFormatSays() {
        assertThat(PrometheusFile.escape("a\\b\"c\nd")).isEqualTo("a\\\\b\\\"c\\nd");
    }

    @Test
    void anUnknownEventsFormatIsAUsageError() {
        assertThat(deploy("--events", "xml")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--events: 'xml' is not an events format");
    }

    private static List<Map<String, Object>> events(String text) {
        List<Map<String, Object>> events = new ArrayList<>();
        text.lines().filter(line -> line.startsWith("{\"v\":")).forEach(line -> events.add(new Yaml().load(line)));
        return events;
    }

    private int deploy(String... flags) {
        Map<String, String> env = new HashMap<>();
        env.put(Settings.DATABASE_URL, db.postgresUrl());
        env.put(Settings.MIGRATIONS, migrations.toString());
        CliContext context = cli.context(env, Clock.systemUTC());
        String[] args = new String[flags.length + 1];
        args[0] = "deploy";
        System.arraycopy(flags, 0, args, 1, flags.length);
        return TidemarkCli.run(context, args);
    }
}
