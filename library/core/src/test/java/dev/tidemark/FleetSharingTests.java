package dev.tidemark;

import dev.tidemark.testdb.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a fleet shares between its targets, counted at the wire (connections and the SQL each sent, through
 * {@link CountingSockets}) and at the class loader (folder scans): the folder is scanned once per run, an up-to-date
 * target is one lock, one history read and one unlock on its worker's kept connection, and a target with migrations
 * to apply gets a connection of its own that starts in its schema.
 */
class FleetSharingTests {

    private static final String COUNTED = "socketFactory=dev.tidemark.CountingSockets&sslmode=disable"
            + "&gssEncMode=disable";

    @TempDir
    Path dir;

    /** A class loader over {@code dir} that counts the look-ups of the migrations folder, i.e. the scans. */
    private static final class CountingLoader extends URLClassLoader {
        final AtomicInteger scans = new AtomicInteger();

        CountingLoader(Path root) throws IOException {
            super(new URL[] {root.toUri().toURL()}, FleetSharingTests.class.getClassLoader());
        }

        @Override
        public Enumeration<URL> getResources(String name) throws IOException {
            if (name.equals("migrations")) {
                scans.incrementAndGet();
            }
            return super.getResources(name);
        }
    }

    private static void createSchemas(TestDatabase db, int from, int to) {
        StringBuilder sql = new StringBuilder();
        for (int i = from; i < to; i++) {
            sql.append(String.format("CREATE SCHEMA tenant_%02d;", i));
        }
        Sql.execute(db, sql.toString());
    }

    private final List<MigrationEvent> events = new CopyOnWriteArrayList<>();

    private Fleet.Builder fleet(TestDatabase db, CountingLoader loader, int parallel) {
        return Fleet.builder().schemas(db.postgresUrl() + "?" + COUNTED, "tenant_*").parallel(parallel)
                .migrator(m -> m.location("classpath:migrations").classLoader(loader).listener(events::add));
    }

    /** The kinds of event {@code target} was told about, in order. */
    private List<String> eventsOf(String target) {
        return events.stream().filter(e -> e.target().equals(target))
                .map(e -> e instanceof MigrationEvent.DeployFinished f ? "DeployFinished " + f.outcome()
                        : e.getClass().getSimpleName()).toList();
    }

    /** The SQL sent that names {@code schema} (the lock takes its hash, the history read its table). */
    private static List<String> statementsOf(String schema, List<CountingSockets.Recorded> connections) {
        return connections.stream().flatMap(c -> c.sql().stream())
                .filter(sql -> sql.contains("'" + schema + "'") || sql.contains("\"" + schema + "\"")).toList();
    }

    @Test
    void aNoOpFleetScansOnceAndChecksEveryTargetWithOneLockOneReadOneUnlockOnOneConnection() throws IOException {
        MigrationsFolder.in(dir.resolve("migrations"))
                .add("20240101000000_init", "CREATE TABLE account (id int PRIMARY KEY);")
                .add("20240102000000_note", "CREATE TABLE note (id int, account int REFERENCES account);");
        try (TestDatabase db = TestDatabase.create(getClass()); CountingLoader loader = new CountingLoader(dir)) {
            createSchemas(db, 0, 8);
            FleetResult applied = fleet(db, loader, 3).build().deploy();
            assertThat(applied.in(FleetResult.State.APPLIED)).hasSize(8);
            assertThat(loader.scans).hasValue(1);
            loader.scans.set(0);
            CountingSockets.clear(db.name());
            events.clear();

            FleetResult again = fleet(db, loader, 1).build().deploy();

            assertThat(again.in(FleetResult.State.UP_TO_DATE)).hasSize(8);
            assertThat(loader.scans).hasValue(1);
            List<CountingSockets.Recorded> connections = CountingSockets.to(db.name());
            // One for the schema pattern's query, one kept by the only worker for all eight targets.
            assertThat(connections).hasSize(2);
            assertThat(statementsOf("tenant_00", connections.subList(0, 1))).isEmpty();
            for (int i = 0; i < 8; i++) {
                String schema = String.format("tenant_%02d", i);
                List<String> sent = statementsOf(schema, connections.subList(1, 2));
                assertThat(sent).as(schema).hasSize(3);
                assertThat(sent.get(0)).contains("pg_try_advisory_lock(72707369, pg_catalog.hashtext('" + schema
                        + "'))");
                assertThat(sent.get(1)).startsWith("SELECT").contains("\"" + schema + "\".\"_prisma_migrations\"");
                assertThat(sent.get(2)).contains("pg_advisory_unlock(72707369, pg_catalog.hashtext('" + schema
                        + "'))");
                assertThat(eventsOf(schema)).as(schema).containsExactly("DeployStarted", "DeployFinished UP_TO_DATE");
            }
            assertThat(connections.get(1).sql()).hasSize(3 * 8);

            CountingSockets.clear(db.name());
            assertThat(fleet(db, loader, 3).build().deploy().allUpToDate()).isTrue();
            assertThat(CountingSockets.to(db.name())).hasSizeBetween(2, 4); // the query's, and one per worker
        }
    }

    @Test
    void aReRunReadsEachFinishedTargetsHistoryOnceAndAppliesTheRestOnTheirOwnConnections() throws IOException {
        // RESET ALL returns the search_path to the connection's startup value: on a connection kept from another
        // target, the table would land in that target's schema.
        MigrationsFolder.in(dir.resolve("migrations"))
                .add("20240101000000_init", "CREATE TABLE account (id int PRIMARY KEY);")
                .add("20240102000000_reset", "RESET ALL;\nCREATE TABLE after_reset (id int);");
        try (TestDatabase db = TestDatabase.create(getClass()); CountingLoader loader = new CountingLoader(dir)) {
            createSchemas(db, 0, 4);
            assertThat(fleet(db, loader, 2).build().deploy().in(FleetResult.State.APPLIED)).hasSize(4);
            createSchemas(db, 4, 6); // a retried shard: four targets finished, two new ones
            Sql.execute(db, "CREATE SCHEMA tenant_06");
            CountingSockets.clear(db.name());
            events.clear();

            FleetResult rerun = fleet(db, loader, 1).build().deploy();

            assertThat(rerun.in(FleetResult.State.UP_TO_DATE)).extracting(FleetResult.Target::name)
                    .containsExactly("tenant_00", "tenant_01", "tenant_02", "tenant_03");
            assertThat(rerun.in(FleetResult.State.APPLIED)).extracting(FleetResult.Target::name)
                    .containsExactly("tenant_04", "tenant_05", "tenant_06");
            List<CountingSockets.Recorded> connections = CountingSockets.to(db.name());
            for (int i = 0; i < 4; i++) {
                String schema = String.format("tenant_%02d", i);
                assertThat(statementsOf(schema, connections)).as(schema).hasSize(3)
                        .filteredOn(sql -> sql.contains("_prisma_migrations")).hasSize(1);
            }
            for (int i = 4; i < 7; i++) {
                String schema = String.format("tenant_%02d", i);
                assertThat(Sql.tableExists(db, schema + ".after_reset")).as(schema).isTrue();
                // The declined check on the kept connection told the listeners nothing: one deploy's events.
                assertThat(eventsOf(schema)).as(schema).startsWith("DeployStarted")
                        .containsOnlyOnce("DeployStarted", "DeployFinished APPLIED").last()
                        .isEqualTo("DeployFinished APPLIED");
                // The migrations ran on a connection that started in the target's schema.
                assertThat(connections).filteredOn(c -> c.sql().stream().anyMatch(s -> s.contains("after_reset")))
                        .filteredOn(c -> c.sql().stream().anyMatch(s -> s.contains("'" + schema + "'")))
                        .singleElement().satisfies(c -> assertThat(c.startup().get("search_path"))
                                .isEqualTo("\"" + schema + "\""));
            }
            assertThat(loader.scans).hasValue(2);
        }
    }

    @Test
    void aTargetWhoseLockIsHeldIsDeployedOnItsOwnConnectionAndReportedOnce() throws Exception {
        MigrationsFolder.in(dir.resolve("migrations"))
                .add("20240101000000_init", "CREATE TABLE account (id int PRIMARY KEY);");
        try (TestDatabase db = TestDatabase.create(getClass()); CountingLoader loader = new CountingLoader(dir);
                Connection other = db.connect(); Statement statement = other.createStatement()) {
            createSchemas(db, 0, 3);
            assertThat(fleet(db, loader, 1).build().deploy().in(FleetResult.State.APPLIED)).hasSize(3);
            // Another deployer of tenant_01 (its exclusive schema key).
            statement.execute("SELECT pg_advisory_lock(72707369, pg_catalog.hashtext('tenant_01'))");
            events.clear();

            FleetResult result = Fleet.builder().schemas(db.postgresUrl() + "?" + COUNTED, "tenant_*").parallel(1)
                    .migrator(m -> m.location("classpath:migrations").classLoader(loader).listener(events::add)
                            .lockWait(Duration.ZERO)).build().deploy();

            assertThat(result.in(FleetResult.State.UP_TO_DATE)).extracting(FleetResult.Target::name)
                    .containsExactly("tenant_00", "tenant_02");
            assertThat(result.in(FleetResult.State.FAILED)).singleElement()
                    .satisfies(t -> assertThat(t.code()).isEqualTo(ErrorCode.LOCK_TIMEOUT));
            // The check declined silently; the target's own deploy waited (lock wait zero) and reported.
            assertThat(eventsOf("tenant_01")).containsExactly("LockWaited", "DeployFinished FAILED");
        }
    }
}
