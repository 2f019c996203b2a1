package dev.tidemark;

import dev.tidemark.testdb.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
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
 * however long the history. Counted at the JDBC boundary, against a real database.
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

    /** A DataSource whose statements record the SQL they send. */
    static DataSource counting(DataSource real, List<String> executed) {
        return (DataSource) Proxy.newProxyInstance(RoundTripTests.class.getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    Object result = invoke(real, method, args);
                    return result instanceof Connection c ? wrap(Connection.class, c, executed, null) : result;
                });
    }

    private static <T> T wrap(Class<T> type, Object target, List<String> executed, String preparedSql) {
        InvocationHandler handler = (proxy, method, args) -> {
            String name = method.getName();
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
