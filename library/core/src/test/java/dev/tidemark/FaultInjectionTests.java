package dev.tidemark;

import dev.tidemark.testdb.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kills a deployer process (SIGKILL, as Kubernetes kills a pod) or terminates its backend at random points across a
 * deploy of 40 mixed migrations, and checks after each trial that the next deploy either just works (clean) or
 * refuses with advice that, followed literally, works (guided); never a wrong schema or data, a duplicate or missing
 * history row, an INVALID index, or a stuck migration lock.
 *
 * <p>Random but reproducible: the seed is printed and settable with {@code -Dtidemark.faults.seed=...}. The default
 * run is 50 kills and 10 terminations; {@code -Dtidemark.faults.trials=N} runs N kills (and N/5 terminations), and
 * {@code -Dtidemark.faults.rows=N} sets the backfills' size (default 10000; on a
 * two-core machine a deploy of 200000 rows takes 20 s, too long for 60 trials in every build).
 */
class FaultInjectionTests {

    static final int KILLS = Integer.getInteger("tidemark.faults.trials", 50);
    static final int TERMINATIONS = Math.max(1, KILLS / 5);
    static final int ROWS = Integer.getInteger("tidemark.faults.rows", 10_000);
    static final int MIGRATIONS = 40;
    static final Pattern RECORD_AS_DONE = Pattern.compile("record it as done with (UPDATE .+? WHERE id = '[^']+')");

    @TempDir
    Path dir;

    enum Fault { KILL, TERMINATE }

    enum Outcome { CLEAN, CLEAN_FAULT_AFTER_DEPLOY, GUIDED_CHECK_AND_RECORD, GUIDED_LOCK_WAIT }

    @Test
    void everyKilledOrTerminatedDeployEndsCleanOrGuidedAndNeverWrong() throws Exception {
        long seed = Long.getLong("tidemark.faults.seed", System.nanoTime());
        System.out.println("FaultInjectionTests: seed " + seed + " (-Dtidemark.faults.seed=" + seed + "), " + KILLS
                + " kills, " + TERMINATIONS + " terminations, " + ROWS + " rows");
        Random random = new Random(seed);
        MigrationsFolder folder = folder(dir.resolve("migrations"));
        List<Fault> faults = new ArrayList<>();
        for (int i = 0; i < KILLS; i++) {
            faults.add(Fault.KILL);
        }
        for (int i = 0; i < TERMINATIONS; i++) {
            faults.add(Fault.TERMINATE);
        }
        Collections.shuffle(faults, random);

        try (TestDatabase reference = TestDatabase.create("faults_reference");
                TestDatabase db = TestDatabase.create(getClass())) {
            applyWithPsql(reference, folder);
            Migrator referenceReader = folder.migrator(reference.postgresUrl()).build();
            String expectedSchema = referenceReader.describeSchema(SchemaSource.database());
            List<Object> expectedData = fingerprint(reference);

            // One undisturbed deploy in a child process tells how long a deploy takes once it holds the lock, so
            // that faults land inside one.
            long deployMillis = timedChildDeploy(db, folder);
            System.out.println("FaultInjectionTests: an undisturbed deploy in a child JVM holds the lock for "
                    + deployMillis
                    + " ms");
            assertEndState(db, folder, expectedSchema, expectedData, "the undisturbed deploy");

            Map<Outcome, Integer> tally = new TreeMap<>();
            Map<String, Integer> interrupted = new TreeMap<>();
            for (int trial = 0; trial < faults.size(); trial++) {
                Fault fault = faults.get(trial);
                String label = "trial " + trial + " (" + fault + ", seed " + seed + ")";
                reset(db);
                long delay = (long) (random.nextDouble() * deployMillis);
                Path log = dir.resolve("deployer-" + trial + ".log");
                Process deployer = DeployerProcess.start(db.postgresUrl(), folder.path(), 3000, log);
                boolean faultLanded = inject(db, deployer, fault, delay);
                assertThat(deployer.waitFor(3, TimeUnit.MINUTES)).as(label + ": the deployer ended").isTrue();
                String output = Files.readString(log);
                if (fault == Fault.TERMINATE && deployer.exitValue() == 1) {
                    // A terminated backend is not the file's fault: the deployer must not say to fix it.
                    assertThat(output).as(label + ": the deployer's message").doesNotContain("Fix ")
                            .containsAnyOf("deploy again", "Deploy again");
                }
                String during = interruptedMigration(db);
                if (during != null) {
                    interrupted.merge(during, 1, Integer::sum);
                }
                Outcome outcome = recover(db, folder, label, faultLanded && deployer.exitValue() != 0);
                tally.merge(outcome, 1, Integer::sum);
                assertEndState(db, folder, expectedSchema, expectedData, label);
            }
            System.out.println("FaultInjectionTests: outcomes " + tally + "; unfinished rows left by the faults, by"
                    + " migration: " + interrupted);
            int clean = tally.getOrDefault(Outcome.CLEAN, 0) + tally.getOrDefault(Outcome.CLEAN_FAULT_AFTER_DEPLOY, 0);
            int guided = tally.getOrDefault(Outcome.GUIDED_CHECK_AND_RECORD, 0)
                    + tally.getOrDefault(Outcome.GUIDED_LOCK_WAIT, 0);
            assertThat(clean + guided).isEqualTo(faults.size());
            // Most faults must land inside the deploy, or the test proves little.
            assertThat(tally.getOrDefault(Outcome.CLEAN_FAULT_AFTER_DEPLOY, 0)).isLessThan(faults.size() / 2);
        }
    }

    /**
     * Waits until the deployer holds the migration lock, then {@code delayMillis}, then kills it or terminates its
     * backend; false if it had finished by then.
     */
    private static boolean inject(TestDatabase db, Process deployer, Fault fault, long delayMillis) throws Exception {
        if (!awaitLock(db, deployer) || deployer.waitFor(delayMillis, TimeUnit.MILLISECONDS)) {
            return false;
        }
        if (fault == Fault.KILL) {
            deployer.destroyForcibly();
            return true;
        }
        // The backend that holds the migration lock is the deployer's migration connection.
        return Boolean.TRUE.equals(Sql.value(db, "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype ="
                + " 'advisory' AND objid = 72707369 AND granted AND database = (SELECT oid FROM pg_database"
                + " WHERE datname = current_database())"));
    }

    /** Waits until the deployer holds the migration lock; false if it ended first. */
    private static boolean awaitLock(TestDatabase db, Process deployer) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (deployer.isAlive() && System.nanoTime() < deadline) {
            if (!Sql.value(db, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = 72707369 AND"
                    + " granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")
                    .equals(0L)) {
                return true;
            }
            Thread.sleep(2);
        }
        return false;
    }

    /**
     * The next deploy, in this process, as an operator would run it: if it refuses, the advice is followed literally
     * and the deploy run again, which must then work.
     */
    private static Outcome recover(TestDatabase db, MigrationsFolder folder, String label, boolean faultLanded) {
        Migrator migrator = folder.migrator(db.postgresUrl()).lockWait(Duration.ofMinutes(2)).build();
        try {
            migrator.deploy();
            return faultLanded ? Outcome.CLEAN : Outcome.CLEAN_FAULT_AFTER_DEPLOY;
        } catch (LockTimeoutException e) {
            // "Deploy again" once the killed deployer's backend has ended.
            migrator.deploy();
            return Outcome.GUIDED_LOCK_WAIT;
        } catch (TidemarkException e) {
            assertThat(e.code()).as(label + ": " + e.getMessage()).isEqualTo(ErrorCode.FAILED_MIGRATION_PRESENT);
            Matcher record = RECORD_AS_DONE.matcher(e.getMessage());
            assertThat(record.find()).as(label + ": a refusal that says what to do: " + e.getMessage()).isTrue();
            // The one statement whose outcome Tidemark cannot check is the batched CALL; its effect is checked and,
            // if missing or partial, the statement run by hand, as the advice says.
            assertThat(e.getMessage()).as(label).contains("CALL mark_done()", "statements 1 to ");
            if (!Sql.value(db, "SELECT count(*) FROM item WHERE status = 'new'").equals(0L)) {
                Sql.execute(db, "CALL mark_done()");
            }
            Sql.execute(db, record.group(1));
            migrator.deploy();
            return Outcome.GUIDED_CHECK_AND_RECORD;
        }
    }

    private static void assertEndState(TestDatabase db, MigrationsFolder folder, String expectedSchema,
            List<Object> expectedData, String label) {
        Migrator migrator = folder.migrator(db.postgresUrl()).build();
        assertThat(migrator.describeSchema(SchemaSource.database())).as(label + ": schema").isEqualTo(expectedSchema);
        assertThat(fingerprint(db)).as(label + ": data").isEqualTo(expectedData);
        assertThat(Sql.query(db, "SELECT indexrelid::regclass::text FROM pg_index WHERE NOT indisvalid"))
                .as(label + ": INVALID indexes").isEmpty();
        assertThat(Sql.query(db, "SELECT migration_name, count(*) FROM _prisma_migrations WHERE finished_at IS NOT"
                + " NULL AND rolled_back_at IS NULL GROUP BY migration_name HAVING count(*) <> 1"))
                .as(label + ": migrations applied more than once").isEmpty();
        assertThat(Sql.value(db, "SELECT count(DISTINCT migration_name) FROM _prisma_migrations WHERE finished_at IS"
                + " NOT NULL AND rolled_back_at IS NULL")).as(label + ": applied migrations").isEqualTo(
                        (long) MIGRATIONS);
        assertThat(Sql.value(db, "SELECT count(*) FROM _prisma_migrations WHERE finished_at IS NULL AND"
                + " rolled_back_at IS NULL")).as(label + ": unfinished rows").isEqualTo(0L);
        assertThat(migrator.status().upToDate()).as(label + ": status").isTrue();
        assertThat(Sql.value(db, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = 72707369"
                + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"))
                .as(label + ": migration lock left held").isEqualTo(0L);
    }

    /** The data the migrations write, summed up. */
    private static List<Object> fingerprint(TestDatabase db) {
        return Sql.query(db, "SELECT count(*), sum(n), count(note), count(*) FILTER (WHERE status = 'done'),"
                + " count(*) FILTER (WHERE status = 'archived'), (SELECT count(*) FROM label) FROM item").get(0);
    }

    private static String interruptedMigration(TestDatabase db) {
        if (!Boolean.TRUE.equals(Sql.value(db, "SELECT to_regclass('public._prisma_migrations') IS NOT NULL"))) {
            return null;
        }
        Object name = Sql.value(db, "SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NULL"
                + " AND rolled_back_at IS NULL");
        return name == null ? null : (String) name;
    }

    private static long timedChildDeploy(TestDatabase db, MigrationsFolder folder) throws Exception {
        Path log = folder.path().resolveSibling("calibration.log");
        Process deployer = DeployerProcess.start(db.postgresUrl(), folder.path(), 3000, log);
        assertThat(awaitLock(db, deployer)).as("the deployer took the lock").isTrue();
        long start = System.nanoTime();
        assertThat(deployer.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(deployer.exitValue()).as(Files.readString(log)).isZero();
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    /** Back to an empty database, waiting first for any backend a killed deployer left running. */
    private static void reset(TestDatabase db) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!Sql.value(db, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <>"
                + " pg_backend_pid()").equals(0L)) {
            assertThat(System.nanoTime()).as("backends of the last trial ended").isLessThan(deadline);
            Thread.sleep(20);
        }
        Sql.execute(db, "DROP SCHEMA public CASCADE; CREATE SCHEMA public");
    }

    private static void applyWithPsql(TestDatabase db, MigrationsFolder folder) throws Exception {
        try (var dirs = Files.list(folder.path())) {
            for (Path migration : dirs.filter(Files::isDirectory).sorted().toList()) {
                Processes.run(List.of("psql", "-w", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", db.host(), "-p",
                        String.valueOf(db.port()), "-U", db.user(), "-d", db.name(), "-f",
                        migration.resolve("migration.sql").toString()), db.password());
            }
        }
    }

    /**
     * Forty migrations: transactional DDL, big backfills and updates, single and multi-statement concurrent index
     * builds, a concurrent drop and reindex, an enum value added in an autocommit file, a VACUUM, and a procedure
     * that commits in batches (the one statement whose outcome cannot be checked).
     */
    static MigrationsFolder folder(Path root) {
        List<String> scripts = new ArrayList<>();
        scripts.add("CREATE TYPE status AS ENUM ('new', 'done');\n"
                + "CREATE TABLE item (id int PRIMARY KEY, n int NOT NULL, status status NOT NULL DEFAULT 'new',"
                + " note text);\nCREATE TABLE label (id serial PRIMARY KEY, item_id int REFERENCES item (id),"
                + " text text NOT NULL);");
        scripts.add("INSERT INTO item (id, n) SELECT g, g FROM generate_series(1, " + ROWS + ") g;");
        scripts.add("UPDATE item SET n = n * 2;");
        scripts.add("CREATE INDEX CONCURRENTLY item_n ON item (n);");
        for (int i = 1; i <= 5; i++) {
            scripts.add("CREATE TABLE extra" + i + " (id serial PRIMARY KEY, item_id int REFERENCES item (id),"
                    + " amount numeric(10, 2) NOT NULL DEFAULT 0);\nCREATE INDEX extra" + i + "_item ON extra" + i
                    + " (item_id);");
        }
        scripts.add("CREATE INDEX CONCURRENTLY item_note ON item (note);\n"
                + "CREATE UNIQUE INDEX CONCURRENTLY item_id_n ON item (id, n);");
        scripts.add("-- tidemark:transaction=none\nALTER TYPE status ADD VALUE 'archived';\n"
                + "UPDATE item SET status = 'archived' WHERE id % 7 = 0;");
        scripts.add("UPDATE item SET note = 'n' || n WHERE id % 3 = 0;");
        scripts.add("INSERT INTO label (item_id, text) SELECT id, 'label ' || id FROM item WHERE id % 2 = 0;");
        scripts.add("DROP INDEX CONCURRENTLY item_n;");
        scripts.add("CREATE PROCEDURE mark_done() LANGUAGE plpgsql AS $$\nDECLARE b int;\nBEGIN\n"
                + "  FOR b IN 0..3 LOOP\n"
                + "    UPDATE item SET status = 'done' WHERE id % 4 = b AND status = 'new';\n"
                + "    COMMIT;\n  END LOOP;\nEND $$;");
        scripts.add("-- Batches commit inside the procedure, so this file runs without a transaction.\n"
                + "-- tidemark:transaction=none\nCALL mark_done();");
        scripts.add("VACUUM (ANALYZE) item;");
        scripts.add("REINDEX INDEX CONCURRENTLY item_note;");
        scripts.add("CREATE INDEX CONCURRENTLY label_item ON label (item_id);");
        for (int i = 1; i <= 10; i++) {
            scripts.add("ALTER TABLE item ADD COLUMN c" + i + " int NOT NULL DEFAULT " + i + ";\n"
                    + "ALTER TABLE extra" + (1 + i % 5) + " ADD COLUMN d" + i + " text;");
        }
        scripts.add("UPDATE item SET n = n + 1 WHERE id % 5 = 0;");
        scripts.add("CREATE VIEW done_items AS SELECT id, n FROM item WHERE status = 'done';");
        scripts.add("ALTER TABLE label ADD CONSTRAINT label_text_nonempty CHECK (text <> '');");
        for (int i = scripts.size(); i < MIGRATIONS; i++) {
            scripts.add("CREATE TABLE filler" + i + " (id bigserial PRIMARY KEY, item_id int REFERENCES item (id));\n"
                    + "COMMENT ON TABLE filler" + i + " IS 'migration " + i + "';");
        }
        assertThat(scripts).hasSize(MIGRATIONS);
        MigrationsFolder folder = MigrationsFolder.in(root);
        for (int i = 0; i < scripts.size(); i++) {
            folder.add(String.format("2024%02d%02d000000_m%02d", 1 + i / 28, 1 + i % 28, i + 1), scripts.get(i));
        }
        return folder;
    }
}
