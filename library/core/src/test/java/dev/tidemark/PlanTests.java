package dev.tidemark;

import dev.tidemark.testdb.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code Migrator.plan}: the pending migrations with their modes and reasons, and with {@code measure} the locks,
 * rewrites and scans PostgreSQL's documentation gives for each statement (ALTER TABLE, CREATE INDEX, explicit
 * locking chapters), read from a real server.
 */
class PlanTests {

    private static final String INIT = """
            CREATE TABLE "parent" ("id" INTEGER PRIMARY KEY);
            CREATE TABLE "child" ("id" INTEGER PRIMARY KEY, "parent_id" INTEGER, "name" VARCHAR(10), "c" INTEGER,
                "n" INTEGER, "s" INTEGER);
            CREATE INDEX "child_name_idx" ON "child"("name");
            CREATE INDEX "child_s_idx" ON "child"("s");
            """;

    /**
     * One pending migration per statement: the statement, the strongest lock on each table that existed before
     * (ACCESS SHARE and weaker modes included), the tables rewritten, the tables scanned in full.
     */
    record Case(String sql, Map<String, String> tableLocks, Set<String> rewrites, Set<String> scans) {
    }

    private static final List<Case> CASES = List.of(
            // ALTER TABLE: "ADD COLUMN ... without a volatile DEFAULT ... does not require a rewrite"; ACCESS EXCLUSIVE
            new Case("ALTER TABLE \"child\" ADD COLUMN \"a\" INTEGER", Map.of("child", "AccessExclusiveLock"),
                    Set.of(), Set.of()),
            new Case("ALTER TABLE \"child\" ADD COLUMN \"d\" INTEGER NOT NULL DEFAULT 0",
                    Map.of("child", "AccessExclusiveLock"), Set.of(), Set.of()),
            // "adding a column with a volatile DEFAULT ... will require the entire table and its indexes to be rewritten"
            new Case("ALTER TABLE \"child\" ADD COLUMN \"v\" DOUBLE PRECISION DEFAULT random()",
                    Map.of("child", "AccessExclusiveLock"), Set.of("child"), Set.of("child")),
            // "changing the type of an existing column will require the entire table and its indexes to be rewritten"
            new Case("ALTER TABLE \"child\" ALTER COLUMN \"c\" TYPE BIGINT", Map.of("child", "AccessExclusiveLock"),
                    Set.of("child"), Set.of("child")),
            // "... unless the old type is binary coercible to the new type": varchar(10) -> varchar(20)
            new Case("ALTER TABLE \"child\" ALTER COLUMN \"name\" TYPE VARCHAR(20)",
                    Map.of("child", "AccessExclusiveLock"), Set.of(), Set.of()),
            // "SET NOT NULL ... the table will be scanned to check that the column holds no null"
            new Case("ALTER TABLE \"child\" ALTER COLUMN \"n\" SET NOT NULL", Map.of("child", "AccessExclusiveLock"),
                    Set.of(), Set.of("child")),
            // CHECK ... NOT VALID: no scan; a validated CHECK scans
            new Case("ALTER TABLE \"child\" ADD CONSTRAINT \"child_s_check\" CHECK (\"s\" > 0) NOT VALID",
                    Map.of("child", "AccessExclusiveLock"), Set.of(), Set.of()),
            new Case("ALTER TABLE \"child\" ADD CONSTRAINT \"child_n_check\" CHECK (\"n\" >= 0)",
                    Map.of("child", "AccessExclusiveLock"), Set.of(), Set.of("child")),
            // "ADD FOREIGN KEY requires a SHARE ROW EXCLUSIVE lock ... on the referenced table" (and on the table)
            new Case("ALTER TABLE \"child\" ADD CONSTRAINT \"child_parent_fkey\" FOREIGN KEY (\"parent_id\")"
                    + " REFERENCES \"parent\"(\"id\") NOT VALID",
                    Map.of("child", "ShareRowExclusiveLock", "parent", "ShareRowExclusiveLock"), Set.of(), Set.of()),
            // "VALIDATE CONSTRAINT ... acquires only a SHARE UPDATE EXCLUSIVE lock ...; ROW SHARE on the referenced"
            new Case("ALTER TABLE \"child\" VALIDATE CONSTRAINT \"child_parent_fkey\"",
                    Map.of("child", "ShareUpdateExclusiveLock", "parent", "RowShareLock"), Set.of(), null),
            // CREATE INDEX: "a SHARE lock"; reads the table to build the index
            new Case("CREATE INDEX \"child_n_idx\" ON \"child\"(\"n\")", Map.of("child", "ShareLock"), Set.of(),
                    Set.of("child")),
            // DROP INDEX without CONCURRENTLY: ACCESS EXCLUSIVE on the table
            new Case("DROP INDEX \"child_name_idx\"", Map.of("child", "AccessExclusiveLock"), Set.of(), Set.of()),
            // RENAME: ACCESS EXCLUSIVE, a catalog change only
            new Case("ALTER TABLE \"child\" RENAME COLUMN \"a\" TO \"b\"", Map.of("child", "AccessExclusiveLock"),
                    Set.of(), Set.of()),
            // "SET STATISTICS acquires a SHARE UPDATE EXCLUSIVE lock"; storage parameters such as fillfactor too
            new Case("ALTER TABLE \"child\" ALTER COLUMN \"n\" SET STATISTICS 200",
                    Map.of("child", "ShareUpdateExclusiveLock"), Set.of(), Set.of()),
            new Case("ALTER TABLE \"child\" SET (fillfactor = 70)", Map.of("child", "ShareUpdateExclusiveLock"),
                    Set.of(), Set.of()),
            // UPDATE takes ROW EXCLUSIVE and, without a WHERE an index can serve, scans the table
            new Case("UPDATE \"child\" SET \"s\" = 1", Map.of("child", "RowExclusiveLock"), Set.of(),
                    Set.of("child")),
            // CLUSTER: ACCESS EXCLUSIVE and a rewrite in index order
            new Case("CLUSTER \"child\" USING \"child_pkey\"", Map.of("child", "AccessExclusiveLock"),
                    Set.of("child"), null),
            // A new table referencing an existing one: SHARE ROW EXCLUSIVE on the referenced table only
            new Case("CREATE TABLE \"toy\" (\"id\" INTEGER PRIMARY KEY, \"child_id\" INTEGER REFERENCES"
                    + " \"child\"(\"id\"))", Map.of("child", "ShareRowExclusiveLock"), Set.of(), Set.of()),
            // CREATE TRIGGER: SHARE ROW EXCLUSIVE
            new Case("CREATE TRIGGER \"child_touch\" BEFORE UPDATE ON \"child\" FOR EACH ROW EXECUTE FUNCTION"
                    + " suppress_redundant_updates_trigger()", Map.of("child", "ShareRowExclusiveLock"), Set.of(),
                    Set.of()));

    @TempDir
    Path tmp;

    @Test
    void measuredLocksRewritesAndScansAreWhatPostgresDocuments() throws SQLException {
        try (TestDatabase db = TestDatabase.create(getClass())) {
            MigrationsFolder folder = MigrationsFolder.in(tmp).add("20240101000000_init", INIT);
            folder.migrator(db.postgresUrl()).build().deploy();
            for (int i = 0; i < CASES.size(); i++) {
                folder.add(String.format("2024020100%04d_case", i), "-- case " + i + "\n" + CASES.get(i).sql() + ";\n");
            }
            List<String> shadowsBefore = planShadows(db);
            DeployPlan plan = folder.migrator(db.postgresUrl()).build().plan(true);

            assertThat(plan.measured()).isTrue();
            assertThat(plan.migrations()).hasSize(CASES.size());
            for (int i = 0; i < CASES.size(); i++) {
                Case expected = CASES.get(i);
                DeployPlan.Migration migration = plan.migrations().get(i);
                assertThat(migration.mode()).isEqualTo(DeployPlan.TransactionMode.PER_MIGRATION);
                DeployPlan.Statement statement = migration.statements().get(0);
                assertThat(statement.line()).isEqualTo(2);
                DeployPlan.Effect effect = statement.effect();
                assertThat(effect).as(expected.sql()).isNotNull();
                assertThat(effect.error()).as(expected.sql()).isNull();
                assertThat(effect.measured()).isTrue();
                Map<String, String> tableLocks = new TreeMap<>();
                effect.locks().stream().filter(l -> l.kind().equals("table"))
                        .forEach(l -> tableLocks.put(l.relation(), l.mode()));
                assertThat(tableLocks).as("table locks of " + expected.sql()).isEqualTo(new TreeMap<>(
                        expected.tableLocks()));
                assertThat(new TreeSet<>(effect.rewrites())).as("rewrites of " + expected.sql())
                        .isEqualTo(new TreeSet<>(expected.rewrites()));
                if (expected.scans() != null) {
                    assertThat(new TreeSet<>(effect.scans())).as("scans of " + expected.sql())
                            .isEqualTo(new TreeSet<>(expected.scans()));
                }
            }
            assertThat(planShadows(db)).as("no shadow database is left behind").isEqualTo(shadowsBefore);
        }
    }

    /** A whole real history, all pending: every statement runs and is measured, as deploy would run it. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {Corpus.OWN, Corpus.DOCUMENSO})
    void measuresAWholeHistory(String corpus) throws SQLException {
        try (TestDatabase db = TestDatabase.create(getClass())) {
            Migrator migrator = Migrator.builder().url(db.postgresUrl()).location(Corpus.path(corpus).toString())
                    .build();
            List<String> shadowsBefore = planShadows(db);

            DeployPlan plan = migrator.plan(true);

            assertThat(plan.migrations()).hasSize(Corpus.migrationDirectories(Corpus.path(corpus)).size());
            assertThat(plan.migrations()).flatExtracting(DeployPlan.Migration::statements)
                    .allSatisfy(s -> assertThat(s.effect()).as(s.firstLine()).isNotNull()
                            .satisfies(e -> assertThat(e.error()).as(s.firstLine()).isNull()));
            assertThat(plan.statementCount()).isEqualTo(migrator.deploy().applied().stream()
                    .mapToInt(AppliedMigration::statements).sum());
            assertThat(planShadows(db)).isEqualTo(shadowsBefore);
        }
    }

    @Test
    void findingsAreSentencesWithTheModeAndTheEstimateUsesTheTargetsSize() throws SQLException {
        try (TestDatabase db = TestDatabase.create(getClass())) {
            MigrationsFolder folder = MigrationsFolder.in(tmp).add("20240101000000_init", INIT);
            folder.migrator(db.postgresUrl()).build().deploy();
            try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
                statement.execute("INSERT INTO \"child\" (\"id\", \"c\") SELECT g, g FROM generate_series(1, 50000) g");
                statement.execute("ANALYZE \"child\"");
            }
            folder.add("20240201000000_widen", "ALTER TABLE \"child\" ALTER COLUMN \"c\" TYPE BIGINT;\n"
                    + "CREATE INDEX \"child_c_idx\" ON \"child\"(\"c\");\n");
            DeployPlan plan = folder.migrator(db.postgresUrl()).build().plan(true);

            DeployPlan.Effect widen = plan.migrations().get(0).statements().get(0).effect();
            assertThat(widen.findings()).contains("blocks reads and writes of child (ACCESS EXCLUSIVE)",
                    "rewrites child");
            assertThat(widen.estimateBasis()).startsWith("child: ").contains("~50k rows");
            DeployPlan.Effect index = plan.migrations().get(0).statements().get(1).effect();
            // the transaction already holds ACCESS EXCLUSIVE (and SHARE) on child: only what a statement adds is its own
            assertThat(index.locks()).isEmpty();
            assertThat(index.findings()).containsExactly("scans child");
            assertThat(index.estimate()).isNotNull();
        }
    }

    @Test
    void thePlanCarriesTheLintFindingsOfThePendingMigrationsAtTheirLines() throws SQLException {
        try (TestDatabase db = TestDatabase.create(getClass())) {
            MigrationsFolder folder = MigrationsFolder.in(tmp).add("20240101000000_init", INIT);
            folder.migrator(db.postgresUrl()).build().deploy();
            folder.add("20240201000000_index", "-- an index on an existing table\n"
                    + "CREATE INDEX \"child_c_idx\" ON \"child\"(\"c\");\n");
            Migrator migrator = folder.migrator(db.postgresUrl()).build();

            DeployPlan plan = migrator.plan(false);

            assertThat(plan.findingsFor("20240201000000_index")).extracting(LintFinding::ruleId, LintFinding::line)
                    .contains(org.assertj.core.groups.Tuple.tuple("create-index-not-concurrent", 2));
            assertThat(plan.findingsFor("20240101000000_init")).as("applied migrations are not linted").isEmpty();
            assertThat(plan.findings()).isEqualTo(migrator.lint().findings());
            assertThat(plan.toText("measure it")).contains("  lint:\n",
                    "create-index-not-concurrent  " + plan.migrations().get(0).file() + ":2  ",
                    "      safe form: ", "Lint: " + plan.findings().size() + " finding(s): ", "\nmeasure it");
        }
    }

    /**
     * The measured fact wins over the static guess: a varchar-to-text change with a plain USING is flagged (lint cannot
     * tell the USING is the column itself) but the server changes only the catalog; a SET NOT NULL that a valid CHECK
     * (n IS NOT NULL) already proves needs no scan (PostgreSQL 12+). The other claims are confirmed.
     */
    @Test
    void measuredFactsConfirmOrOverruleTheStaticFindings() throws SQLException {
        try (TestDatabase db = TestDatabase.create(getClass())) {
            MigrationsFolder folder = MigrationsFolder.in(tmp).add("20240101000000_init", INIT
                    + "ALTER TABLE \"child\" ADD CONSTRAINT \"child_n_present\" CHECK (\"n\" IS NOT NULL);\n");
            folder.migrator(db.postgresUrl()).build().deploy();
            folder.add("20240201000000_change", """
                    CREATE INDEX "child_c_idx" ON "child"("c");
                    ALTER TABLE "child" ALTER COLUMN "name" TYPE TEXT USING "name";
                    ALTER TABLE "child" ALTER COLUMN "n" SET NOT NULL;
                    ALTER TABLE "child" ALTER COLUMN "c" TYPE BIGINT;
                    ALTER TABLE "child" ALTER COLUMN "s" SET NOT NULL;
                    """);
            Migrator migrator = folder.migrator(db.postgresUrl()).build();

            DeployPlan unmeasured = migrator.plan(false);
            assertThat(unmeasured.verdicts()).as("no verdict without a measurement").isEmpty();
            assertThat(unmeasured.findings()).extracting(LintFinding::ruleId, LintFinding::line).contains(
                    org.assertj.core.groups.Tuple.tuple("create-index-not-concurrent", 1),
                    org.assertj.core.groups.Tuple.tuple("type-change-rewrites", 2),
                    org.assertj.core.groups.Tuple.tuple("set-not-null", 3),
                    org.assertj.core.groups.Tuple.tuple("type-change-rewrites", 4),
                    org.assertj.core.groups.Tuple.tuple("set-not-null", 5));

            DeployPlan plan = migrator.plan(true);
            Map<Integer, String> outcomes = new TreeMap<>();
            for (DeployPlan.Verdict verdict : plan.verdicts()) {
                outcomes.put(verdict.finding().line(), verdict.finding().ruleId() + " "
                        + verdict.outcome() + ": " + verdict.evidence());
            }
            assertThat(outcomes).containsOnly(
                    Map.entry(1, "create-index-not-concurrent CONFIRMED: blocks writes of child (SHARE)"),
                    Map.entry(2, "type-change-rewrites OVERRULED: no table rewritten: the server changed only the"
                            + " catalog"),
                    Map.entry(3, "set-not-null OVERRULED: no table scanned: the server did not need to check the"
                            + " existing rows"),
                    Map.entry(4, "type-change-rewrites CONFIRMED: rewrites child"),
                    Map.entry(5, "set-not-null CONFIRMED: scans child"));
            assertThat(plan.findings()).as("the findings stay; the verdicts say what the shadow measured")
                    .isEqualTo(unmeasured.findings());
            assertThat(plan.toText("")).contains(
                    "      measured: overruled, no table rewritten: the server changed only the catalog\n",
                    "      measured: confirmed, rewrites child\n",
                    "; measured on the shadow database: 3 confirmed, 2 overruled.\n");
        }
    }

    @Test
    void modesAndReasonsAreDeploysOwn() throws SQLException {
        try (TestDatabase db = TestDatabase.create(getClass())) {
            MigrationsFolder folder = MigrationsFolder.in(tmp).add("20240101000000_init", INIT);
            folder.migrator(db.postgresUrl()).build().deploy();
            folder.add("20240201000000_concurrently", "-- an index built without blocking writes\n"
                    + "CREATE INDEX CONCURRENTLY \"child_n_idx\" ON \"child\"(\"n\");\n"
                    + "ALTER TABLE \"child\" ADD COLUMN \"z\" INTEGER;\n");
            folder.add("20240202000000_directive", "-- tidemark:transaction=none\n"
                    + "UPDATE \"child\" SET \"s\" = 2;\n");
            folder.add("20240203000000_default", "ALTER TABLE \"child\" ADD COLUMN \"y\" INTEGER;\n");
            Migrator migrator = folder.migrator(db.postgresUrl()).build();

            DeployPlan plan = migrator.plan(false);

            assertThat(plan.measured()).isFalse();
            assertThat(plan.migrations()).extracting(DeployPlan.Migration::name).containsExactly(
                    "20240201000000_concurrently", "20240202000000_directive", "20240203000000_default");
            DeployPlan.Migration concurrently = plan.migrations().get(0);
            assertThat(concurrently.mode()).isEqualTo(DeployPlan.TransactionMode.NONE);
            assertThat(concurrently.modeReason()).startsWith("line 2: 'CREATE INDEX CONCURRENTLY")
                    .endsWith("cannot run inside a transaction block");
            assertThat(concurrently.statements()).extracting(DeployPlan.Statement::line,
                    DeployPlan.Statement::autocommit).containsExactly(
                            org.assertj.core.groups.Tuple.tuple(2, true),
                            org.assertj.core.groups.Tuple.tuple(3, false));
            assertThat(concurrently.statements()).allMatch(s -> s.effect() == null);
            assertThat(plan.migrations().get(1).mode()).isEqualTo(DeployPlan.TransactionMode.NONE);
            assertThat(plan.migrations().get(1).modeReason()).contains("tidemark:transaction=none");
            assertThat(plan.migrations().get(2).modeReason()).startsWith("the default");
            assertThat(plan.statementCount()).isEqualTo(4);

            DeployPlan measured = migrator.plan(true);
            DeployPlan.Effect index = measured.migrations().get(0).statements().get(0).effect();
            assertThat(index.measured()).as("CONCURRENTLY runs in autocommit, as deploy runs it").isFalse();
            assertThat(index.error()).isNull();
            assertThat(index.locks()).isEmpty();
            DeployPlan.Effect column = measured.migrations().get(0).statements().get(1).effect();
            assertThat(column.measured()).isTrue();
            assertThat(column.findings()).containsExactly("blocks reads and writes of child (ACCESS EXCLUSIVE)");
            assertThat(measured.migrations().get(1).statements().get(0).effect().scans()).containsExactly("child");
        }
    }

    @Test
    void planLeavesTheTargetUnchanged() throws SQLException {
        try (TestDatabase db = TestDatabase.create(getClass())) {
            MigrationsFolder folder = MigrationsFolder.in(tmp).add("20240101000000_init", INIT);
            folder.migrator(db.postgresUrl()).build().deploy();
            folder.add("20240201000000_change", "ALTER TABLE \"child\" ALTER COLUMN \"c\" TYPE BIGINT;\n"
                    + "CREATE TABLE \"extra\" (\"id\" INTEGER);\nINSERT INTO \"parent\" VALUES (1);\n");
            folder.add("20240202000000_fails", "ALTER TABLE \"nowhere\" ADD COLUMN \"x\" INTEGER;\n");
            String schemaBefore = schemaDump(db);
            List<String> shadowsBefore = planShadows(db);
            List<String> historyBefore = history(db);

            Migrator migrator = folder.migrator(db.postgresUrl()).build();
            migrator.plan(false);
            DeployPlan measured = migrator.plan(true);

            assertThat(schemaDump(db)).isEqualTo(schemaBefore);
            assertThat(history(db)).isEqualTo(historyBefore);
            assertThat(count(db, "SELECT count(*) FROM \"parent\"")).isZero();
            // the failing statement is reported where it fails, as deploy would fail there
            DeployPlan.Effect failed = measured.migrations().get(1).statements().get(0).effect();
            assertThat(failed.error()).contains("nowhere").contains("42P01");
            assertThat(planShadows(db)).isEqualTo(shadowsBefore);
        }
    }

    @Test
    void leftoverShadowOfAFinishedRunIsDroppedAndALiveOneKept() throws SQLException {
        try (TestDatabase db = TestDatabase.create(getClass());
                Connection live = db.connect(); Statement statement = live.createStatement()) {
            MigrationsFolder folder = MigrationsFolder.in(tmp).add("20240101000000_init", INIT);
            String leftover = "tidemark_plan_1700000000_4242_12345";
            String running = "tidemark_plan_1700000000_4243_67890";
            statement.execute("CREATE DATABASE " + leftover);
            statement.execute("CREATE DATABASE " + running);
            try {
                // another run, still going: it holds its guard lock
                statement.execute("SELECT pg_advisory_lock(72707370, 67890)");

                folder.migrator(db.postgresUrl()).build().plan(true);

                assertThat(planShadows(db)).doesNotContain(leftover).contains(running);
            } finally {
                statement.execute("SELECT pg_advisory_unlock(72707370, 67890)");
                statement.execute("DROP DATABASE IF EXISTS " + leftover);
                statement.execute("DROP DATABASE IF EXISTS " + running);
            }
        }
    }

    static List<String> planShadows(TestDatabase db) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection connection = db.connect(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT datname FROM pg_database WHERE datname LIKE"
                        + " 'tidemark\\_plan\\_%'")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    private static List<String> history(TestDatabase db) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection connection = db.connect(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT * FROM \"_prisma_migrations\" ORDER BY id")) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                Map<String, String> row = new LinkedHashMap<>();
                for (int c = 1; c <= columns; c++) {
                    row.put(rs.getMetaData().getColumnName(c), rs.getString(c));
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }

    private static long count(TestDatabase db, String sql) throws SQLException {
        try (Connection connection = db.connect(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String schemaDump(TestDatabase db) {
        String dump = Processes.run(List.of("pg_dump", "-w", "--schema-only", "--no-owner", "--no-privileges",
                "-h", db.host(), "-p", String.valueOf(db.port()), "-U", db.user(), db.name()), db.password());
        return dump.lines().filter(line -> !line.startsWith("--") && !line.startsWith("\\restrict")
                && !line.startsWith("\\unrestrict")).reduce("", (a, b) -> a + b + "\n");
    }
}
