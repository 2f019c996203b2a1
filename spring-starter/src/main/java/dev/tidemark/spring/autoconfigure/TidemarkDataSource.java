package dev.tidemark.spring.autoconfigure;

import org.springframework.beans.factory.annotation.Qualifier;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the {@link javax.sql.DataSource} Tidemark migrates with, when it is not the application's primary one (for
 * example, a small pool logged in as the schema owner). {@code tidemark.url}/{@code tidemark.user} take precedence.
 *
 * @since 0.1
 */
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Qualifier
public @interface TidemarkDataSource {
}
