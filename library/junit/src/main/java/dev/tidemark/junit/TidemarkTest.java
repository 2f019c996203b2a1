package dev.tidemark.junit;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a test class against a migrated PostgreSQL database, reset to its freshly migrated state as {@link #reset()}
 * says.
 *
 * <pre>{@code
 * @TidemarkTest(location = "classpath:db/migrations")
 * class OrderRepositoryTests {
 *
 *     @Test
 *     void savesAnOrder(DataSource dataSource) { ... }   // or a MigratedDatabase parameter, or a @Migrated field
 * }
 * }</pre>
 *
 * <p>The migrations run once per JVM into a template database; each test gets a database copied from it, reset in a
 * few milliseconds before it runs ({@link dev.tidemark.FastReset}). Tests running in parallel get a database each.
 * Databases are created where {@code dev.tidemark.testdb.TestDatabase} says: on {@code TIDEMARK_TEST_DATABASE_URL}
 * if set, else in a Testcontainers PostgreSQL when Docker is available, else on the local server
 * {@code 127.0.0.1:5432}. All of them are dropped when the test run ends.
 *
 * @since 0.1
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(TidemarkExtension.class)
public @interface TidemarkTest {

    /** The migrations folder, as for {@code Migrator.Builder.location}; default {@code classpath:db/migrations}. */
    String location() default "classpath:db/migrations";

    /** The schema to migrate; default {@code public}. */
    String schema() default "public";

    /**
     * A seed file run once into the template after migrating, as {@code Migrator.Builder.seed}: a path or
     * {@code classpath:db/seed.sql}. Its rows are part of the migrated state every reset restores. Default none.
     */
    String seed() default "";

    /** When the database goes back to its migrated state; default before every test method. */
    Reset reset() default Reset.PER_METHOD;
}
