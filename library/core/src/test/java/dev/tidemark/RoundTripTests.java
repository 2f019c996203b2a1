package dev.tidemark;

import dev.tidemark.testdb.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.sql.DataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every init-container start pays: a deploy with nothing to do is one lock, one history read and one unlock,
 * however long the history; and what applying costs: one flight per transactional migration. Counted at the JDBC
 * boundary (a batch counts once), against a real database.
 */
class RoundTripTests {

    @ParameterizedTest
    @ValueSource(strings = {Corpus.OWN, Corpus.DOCUMENSO})
    void aNoOpDeployOfAWholeHistoryIsThreeStatements(String corpus) {
        try (TestDatabase db = TestDatabase.create(getClass())) {
            List<String> executed = Collections.synchronizedList(new ArrayList<>());
            Migrator migrator = Migrator.builder().dataSource(counting(db.dataSource(), executed))
                    .location(Corpus.path(corpus).toString()).build();
            migrator.deploy();
            executed.clear();

            DeployResult result = migrator.deploy();

            assertThat(result.applied()).isEmpty();
            assertThat(result.alreadyApplied()).isEqualTo(Corpus.migrationDirectories(Corpus.path(corpus)).size());
            assertThat(executed).hasSize(3);
            // Both keys in one query: Prisma's, shared, and the schema's, exclusive (see SchemaLockTests).
            assertThat(executed.get(0)).contains("pg_try_advisory_lock_shared(72707369)",
                    "pg_try_advisory_lock(72707369, pg_catalog.hashtext('public'))");
            assertThat(executed.get(1)).startsWith("SELECT").contains("_prisma_migrations");
            assertThat(executed.get(2)).contains("pg_advisory_unlock_shared(72707369)",
                    "pg_advisory_unlock(72707369, pg_catalog.hashtext('public'))");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {Corpus.OWN, Corpus.UMAMI})
    void statusIsOneStatement(String corpus) {
        try (TestDatabase db = TestDatabase.create(getClass())) {
            List<String> executed = Collections.synchronizedList(new ArrayList<>());
            Migrator migrator = Migrator.builder().dataSource(counting(db.dataSource(), executed))
                    .location(Corpus.path(corpus).toString()).build();
            migrator.deploy();
            executed.clear();

            assertThat(migrator.status().upToDate()).isTrue();
            assertThat(executed).singleElement().asString().contains("_prisma_migrations");
        }
    }

    /** How {@link #counting} records a batch: this, the number of entries, "]: " and the entries. */
    static final String BATCH = "BATCH[";

    /**
     * A transactional migration is one flight whatever its length: its statements, its history row, the lock check
     * and the COMMIT in one batch, where statement by statement it was one round trip per statement plus three.
     */
    @Test
    void aTwentyStatementMigrationIsOneFlight(@TempDir Path dir) {
        try (TestDatabase db = TestDatabase.create(getClass())) {
            StringBuilder script = new StringBuilder();
            for (int i = 1; i <= 20; i++) {
                script.append("CREATE TABLE t").append(i).append(" (id int PRIMARY KEY);\n");
            }
            MigrationsFolder folder = MigrationsFolder.in(dir).add("20240101000000_first", "CREATE TABLE a (id int);");
            List<String> executed = Collections.synchronizedList(new ArrayList<>());
            Migrator migrator = Migrator.builder().dataSource(counting(db.dataSource(), executed))
                    .location(dir.toString()).build();
            migrator.deploy();
            folder.add("20240102000000_twenty", script.toString());
            executed.clear();

            DeployResult result = migrator.deploy();

            assertThat(result.applied()).singleElement().extracting(AppliedMigration::statements).isEqualTo(20);
            // Lock, history read, session baseline, the migration, unlock, the caller's session settings back.
            assertThat(executed).hasSize(6);
            assertThat(executed.get(3)).startsWith(BATCH + "23]: CREATE TABLE t1 ")
                    .contains("INSERT INTO", "20240102000000_twenty")
                    .endsWith(" ;; COMMIT");
            assertThat(Sql.value(db, "SELECT count(*) FROM _prisma_migrations WHERE finished_at IS NOT NULL"
                    + " AND applied_steps_count = 20 AND migration_name = '20240102000000_twenty'")).isEqualTo(1L);
            assertThat(Sql.tableExists(db, "public.t20")).isTrue();

            // With nothing pending again, the no-op deploy is still three statements.
            executed.clear();
            migrator.deploy();
            assertThat(executed).hasSize(3);
        }
    }

    /**
     * pgjdbc runs a batched query for its first row only, so a migration's queries run alone: each one is a round
     * trip of its own and runs to its end.
     */
    @Test
    void aQueryInAMigrationRunsAloneAndToItsEnd(@TempDir Path dir) {
        try (TestDatabase db = TestDatabase.create(getClass())) {
            MigrationsFolder.in(dir).add("20240101000000_seq", "CREATE SEQUENCE s;\n"
                    + "SELECT nextval('s') FROM generate_series(1, 5);\n"
                    + "CREATE TABLE t (id int DEFAULT nextval('s'));\n"
                    + "INSERT INTO t DEFAULT VALUES;\n");
            List<String> executed = Collections.synchronizedList(new ArrayList<>());
            Migrator migrator = Migrator.builder().dataSource(counting(db.dataSource(), executed))
                    .location(dir.toString()).build();

            migrator.deploy();

            List<String> batches = executed.stream().filter(sql -> sql.startsWith(BATCH)).toList();
            assertThat(batches).hasSize(2);
            assertThat(batches.get(0)).isEqualTo(BATCH + "1]: CREATE SEQUENCE s");
            assertThat(batches.get(1)).startsWith(BATCH + "5]: CREATE TABLE t (id int DEFAULT nextval('s')) ;; INSERT"
                    + " INTO t DEFAULT VALUES ;; INSERT INTO").endsWith(" ;; COMMIT");
            assertThat(executed).contains("SELECT nextval('s') FROM generate_series(1, 5)");
            assertThat(Sql.value(db, "SELECT id FROM t")).isEqualTo(6);
        }
    }

    /** A DataSource whose statements record the SQL they send. */
    static DataSource counting(DataSource real, List<String> executed) {
        return (DataSource) Proxy.newProxyInstance(RoundTripTests.class.getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    Object result = invoke(real, method, args);
                    return result instanceof Connection c ? wrap(Connection.class, c, executed, null) : result;
                });
    }

    private static <T> T wrap(Class<T> type, Object target, List<String> executed, String preparedSql) {
        List<String> batch = new ArrayList<>();
        InvocationHandler handler = (proxy, method, args) -> {
            String name = method.getName();
            if (name.equals("addBatch") && args != null && args.length == 1 && args[0] instanceof String sql) {
                batch.add(sql);
            }
            if (name.equals("executeBatch") || name.equals("executeLargeBatch")) {
                // One flight, however many entries: recorded as one line naming them.
                executed.add(BATCH + batch.size() + "]: " + String.join(" ;; ", batch));
                batch.clear();
                return invoke(target, method, args);
            }
            if (type == Connection.class && name.equals("prepareStatement")) {
                return wrap(PreparedStatement.class, invoke(target, method, args), executed, (String) args[0]);
            }
            if (type == Connection.class && name.equals("createStatement")) {
                return wrap(Statement.class, invoke(target, method, args), executed, null);
            }
            if (name.startsWith("execute")) {
                executed.add(args != null && args.length > 0 && args[0] instanceof String sql ? sql : preparedSql);
            }
            return invoke(target, method, args);
        };
        return type.cast(Proxy.newProxyInstance(RoundTripTests.class.getClassLoader(), new Class<?>[] {type},
                handler));
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws SQLException {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            throw new IllegalStateException(e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
