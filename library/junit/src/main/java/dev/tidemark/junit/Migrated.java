package dev.tidemark.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a field of a {@link TidemarkTest} class to receive the migrated database: a {@link javax.sql.DataSource} or
 * a {@link MigratedDatabase}. Instance fields are set before each test (before {@code @BeforeEach} methods run);
 * static fields only with {@link Reset#PER_CLASS} or {@link Reset#NEW_DATABASE_PER_CLASS}, before {@code @BeforeAll}.
 *
 * @since 0.1
 */
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Migrated {
}
