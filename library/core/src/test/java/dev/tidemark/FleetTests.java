package dev.tidemark;

import dev.tidemark.testdb.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link Fleet} on real schemas: results per target, failures first, fail-fast, canary, sharding, targets files. */
class FleetTests {

    @TempDir
    Path dir;

    private MigrationsFolder folder() {
        return MigrationsFolder.in(dir.resolve("migrations"))
                .add("20240101000000_init", "CREATE TABLE account (id int PRIMARY KEY);")
                .add("20240102000000_note", "CREATE TABLE note (id int, account int REFERENCES account);");
    }

    private static void createSchemas(TestDatabase db, int count) {
        StringBuilder sql = new StringBuilder();
        for (int i = 0; i < count; i++) {
            sql.append(String.format("CREATE SCHEMA tenant_%02d;", i));
        }
        Sql.execute(db, sql.toString());
    }

    private Fleet.Builder fleet(MigrationsFolder folder) {
        return Fleet.builder().migrator(m -> m.location(folder.path().toString()));
    }

    @Test
    void aBrokenTenantFailsAloneListedFirstAndAReRunIsANoOp() {
        MigrationsFolder folder = folder();
        try (TestDatabase db = TestDatabase.create(getClass())) {
            createSchemas(db, 12);
            Sql.execute(db, "CREATE TABLE tenant_05.note (conflict text)");

            FleetResult first = fleet(folder).schemas(db.postgresUrl(), "tenant_*").parallel(3).build().deploy();

            assertThat(first.targets()).hasSize(12);
            assertThat(first.targets().get(0).name()).isEqualTo("tenant_05");
            FleetResult.Target broken = first.targets().get(0);
            assertThat(broken.state()).isEqualTo(FleetResult.State.FAILED);
            assertThat(broken.code()).isEqualTo(ErrorCode.MIGRATION_FAILED);
            assertThat(broken.message()).contains("20240102000000_note", "already exists");
            assertThat(first.in(FleetResult.State.APPLIED)).hasSize(11)
                    .allSatisfy(t -> assertThat(t.applied()).containsExactly("20240101000000_init",
                            "20240102000000_note"));
            assertThat(first.allUpToDate()).isFalse();
            assertThat(Sql.tableExists(db, "tenant_11.note")).isTrue();

            Sql.execute(db, "DROP TABLE tenant_05.note; DELETE FROM tenant_05._prisma_migrations"
                    + " WHERE finished_at IS NULL");
            FleetResult second = fleet(folder).schemas(db.postgresUrl(), "tenant_*").build().deploy();
            assertThat(second.in(FleetResult.State.APPLIED)).extracting(FleetResult.Target::name)
                    .containsExactly("tenant_05");
            assertThat(second.in(FleetResult.State.UP_TO_DATE)).hasSize(11);

            FleetResult third = fleet(folder).schemas(db.postgresUrl(), "tenant_*").build().deploy();
            assertThat(third.in(FleetResult.State.UP_TO_DATE)).hasSize(12);
            assertThat(third.allUpToDate()).isTrue();
            assertThat(fleet(folder).schemas(db.postgresUrl(), "tenant_*").build().status().allUpToDate()).isTrue();
        }
    }

    @Test
    void failFastStartsNothingAfterTheFirstFailure() {
        MigrationsFolder folder = folder();
        try (TestDatabase db = TestDatabase.create(getClass())) {
            createSchemas(db, 8);
            Sql.execute(db, "CREATE TABLE tenant_02.account (conflict text)");

            FleetResult result = fleet(folder).schemas(db.postgresUrl(), "tenant_*").parallel(1).failFast(true)
                    .build().deploy();

            // One at a time, in order: 00 and 01 ran, 02 failed, 03 to 07 were never started.
            assertThat(result.in(FleetResult.State.FAILED)).extracting(FleetResult.Target::name)
                    .containsExactly("tenant_02");
            assertThat(result.in(FleetResult.State.APPLIED)).extracting(FleetResult.Target::name)
                    .containsExactly("tenant_00", "tenant_01");
            assertThat(result.in(FleetResult.State.NOT_RUN)).hasSize(5)
                    .allSatisfy(t -> assertThat(t.message()).contains("fail-fast"));
            assertThat(Sql.tableExists(db, "tenant_03.account")).isFalse();
        }
    }

    @Test
    void aFailedCanaryStopsTheRolloutAndAGoodOneLetsItGoOn() {
        MigrationsFolder folder = folder();
        try (TestDatabase db = TestDatabase.create(getClass())) {
            createSchemas(db, 10);
            Sql.execute(db, "CREATE TABLE tenant_01.account (conflict text)");

            // One at a time: canary 00 succeeds, canary 01 fails, so canary 02 and the other 7 never start.
            FleetResult stopped = fleet(folder).schemas(db.postgresUrl(), "tenant_*").parallel(1).canary(3)
                    .build().deploy();
            assertThat(stopped.in(FleetResult.State.FAILED)).extracting(FleetResult.Target::name)
                    .containsExactly("tenant_01");
            assertThat(stopped.in(FleetResult.State.APPLIED)).extracting(FleetResult.Target::name)
                    .containsExactly("tenant_00");
            assertThat(stopped.in(FleetResult.State.NOT_RUN)).hasSize(8)
                    .allSatisfy(t -> assertThat(t.message()).contains("canary of 3"));
            assertThat(Sql.tableExists(db, "tenant_09.account")).isFalse();

            Sql.execute(db, "DROP TABLE tenant_01.account; DELETE FROM tenant_01._prisma_migrations");
            FleetResult done = fleet(folder).schemas(db.postgresUrl(), "tenant_*").canary(3).build().deploy();
            assertThat(done.allUpToDate()).isTrue();
            assertThat(done.in(FleetResult.State.APPLIED)).hasSize(9);
        }
    }

    @Test
    void shardsPartitionTheTargetsAndAddingTargetsMovesNone() {
        List<FleetTarget> targets = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            targets.add(FleetTarget.of("postgresql://u@db:5432/app", "tenant_" + i));
        }
        Set<String> seen = new HashSet<>();
        int smallest = Integer.MAX_VALUE;
        for (int index = 0; index < 4; index++) {
            List<FleetTarget> mine = Fleet.builder().targets(targets).shard(4, index).build().targets();
            smallest = Math.min(smallest, mine.size());
            for (FleetTarget target : mine) {
                assertThat(seen.add(target.name())).as(target.name() + " in one shard only").isTrue();
            }
        }
        assertThat(seen).hasSize(500);
        assertThat(smallest).as("no shard is nearly empty").isGreaterThan(80);

        // A fifth shard takes targets from the others, and moves none between the first four.
        int moved = 0;
        for (FleetTarget target : targets) {
            int before = shardOf(targets, target, 4);
            int after = shardOf(targets, target, 5);
            if (before != after) {
                assertThat(after).isEqualTo(4);
                moved++;
            }
        }
        assertThat(moved).isBetween(60, 140);
    }

    private static int shardOf(List<FleetTarget> all, FleetTarget target, int shards) {
        for (int index = 0; index < shards; index++) {
            if (Fleet.builder().targets(List.of(target)).shard(shards, index).build().targets().size() == 1) {
                return index;
            }
        }
        throw new AssertionError(target + " in no shard of " + all.size());
    }

    @Test
    void twoTargetsOfOneNameAreRefusedWhereverTheyAreGiven() throws Exception {
        FleetTarget acme = new FleetTarget("acme", "postgresql://u@db:5432/app", "acme", null);
        FleetTarget other = new FleetTarget("acme", "postgresql://u@db:5432/app", "acme_eu", null);
        assertThatThrownBy(() -> Fleet.builder().targets(List.of(acme, other)))
                .isInstanceOfSatisfying(TidemarkException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION_INVALID))
                .hasMessageContaining("the list of targets").hasMessageContaining("have the name acme")
                .hasMessageContaining("acme_eu");
        assertThat(Fleet.builder().targets(List.of(acme, new FleetTarget("acme-eu", other.url(), "acme_eu", null)))
                .build().targets()).hasSize(2);

        Path lines = dir.resolve("twice.txt");
        Files.writeString(lines, "postgresql://u@db:5432/app?schema=a\npostgresql://u@db:5432/app?schema=a\n");
        assertThatThrownBy(() -> Fleet.builder().targetsFile(lines).build().targets())
                .isInstanceOf(TidemarkException.class).hasMessageContaining("twice.txt")
                .hasMessageContaining("have the name db:5432/app/a");
    }

    @Test
    void targetsFilesAsLinesAndAsJsonWithAPasswordFromTheEnvironment() throws Exception {
        MigrationsFolder folder = folder();
        try (TestDatabase one = TestDatabase.create(getClass()); TestDatabase two = TestDatabase.create(getClass())) {
            Path lines = dir.resolve("targets.txt");
            Files.writeString(lines, "# the fleet\n" + one.postgresUrl() + "\n\n  " + two.postgresUrl()
                    + "?schema=app   \n");
            List<FleetTarget> parsed = Fleet.builder().targetsFile(lines).build().targets();
            assertThat(parsed).extracting(FleetTarget::schema).containsExactly(null, null);
            assertThat(parsed.get(1).name()).endsWith("/" + two.name() + "/app");
            FleetResult result = fleet(folder).targetsFile(lines).build().deploy();
            assertThat(result.in(FleetResult.State.APPLIED)).hasSize(2);
            assertThat(Sql.tableExists(two, "app.note")).isTrue();

            Path json = dir.resolve("targets.json");
            String userOnly = "postgresql://" + one.user() + "@" + one.host() + ":" + one.port() + "/" + one.name();
            Files.writeString(json, "{\"targets\": [{\"name\": \"acme\", \"url\": \"" + userOnly + "\", \"schema\":"
                    + " \"acme\", \"passwordEnv\": \"ACME_PASSWORD\"}]}");
            String password = one.password() == null ? "" : one.password();
            FleetResult fromJson = fleet(folder).targetsFile(json)
                    .environment(Map.of("ACME_PASSWORD", password.isEmpty() ? "unused" : password)::get)
                    .build().deploy();
            assertThat(fromJson.targets()).singleElement().satisfies(t -> {
                assertThat(t.name()).isEqualTo("acme");
                assertThat(t.state()).isEqualTo(FleetResult.State.APPLIED);
            });
            FleetResult unset = fleet(folder).targetsFile(json).environment(name -> null).build().deploy();
            assertThat(unset.targets().get(0).code()).isEqualTo(ErrorCode.CONFIGURATION_INVALID);
            assertThat(unset.targets().get(0).message()).contains("ACME_PASSWORD", "not set");

            Files.writeString(lines, "postgresql://a@h/db\nnot-a-url\n");
            assertThatThrownBy(() -> Fleet.builder().targetsFile(lines).build().targets())
                    .hasMessageContaining("targets.txt:2").hasMessageContaining("not a database URL");
        }
    }

    /**
     * Found by the 200-tenant CLI run: another tenant's index of the same name, INVALID while its concurrent build
     * runs (here: left INVALID by a failed build), is not this schema's index, and does not fail this schema's build.
     */
    @Test
    void aSameNamedInvalidIndexInAnotherSchemaIsNotThisSchemas() {
        MigrationsFolder folder = MigrationsFolder.in(dir.resolve("indexes"))
                .add("20240101000000_table", "CREATE TABLE item (code int);")
                .add("20240102000000_index", "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS item_code ON item (code);");
        try (TestDatabase db = TestDatabase.create(getClass())) {
            Sql.execute(db, "CREATE SCHEMA tenant_a; CREATE SCHEMA tenant_b;"
                    + " CREATE TABLE tenant_b.item (code int); INSERT INTO tenant_b.item VALUES (1), (1)");
            assertThatThrownBy(() -> Sql.execute(db, "CREATE UNIQUE INDEX CONCURRENTLY item_code ON tenant_b.item"
                    + " (code)")).hasMessageContaining("could not create unique index");
            assertThat(Sql.value(db, "SELECT count(*) FROM pg_index WHERE NOT indisvalid")).isEqualTo(1L);

            DeployResult result = folder.migrator(db.postgresUrl()).schema("tenant_a").build().deploy();

            assertThat(result.applied()).hasSize(2);
            assertThat(Sql.value(db, "SELECT indisvalid FROM pg_index WHERE indexrelid = 'tenant_a.item_code'::regclass"))
                    .isEqualTo(true);
            assertThat(Sql.value(db, "SELECT indisvalid FROM pg_index WHERE indexrelid = 'tenant_b.item_code'::regclass"))
                    .as("the other schema's index is left as it was").isEqualTo(false);
        }
    }

    @Test
    void aTargetsPasswordIsNeverShown() {
        FleetTarget target = FleetTarget.of("postgresql://app:s3cret@db:5432/app", "tenant_1");
        assertThat(target.toString()).doesNotContain("s3cret").contains("tenant_1");
        assertThat(target.name()).isEqualTo("db:5432/app/tenant_1");
    }
}
