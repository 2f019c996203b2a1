package dev.tidemark.spring.autoconfigure;

import org.springframework.boot.sql.init.dependency.AbstractBeansOfTypeDatabaseInitializerDetector;

import java.util.Set;

/**
 * Tells Spring Boot that {@link TidemarkInitializer} beans initialise the database, so that every bean Boot knows to
 * depend on database initialisation (the JPA EntityManagerFactory, JdbcTemplate, jOOQ's DSLContext, beans annotated
 * {@code @DependsOnDatabaseInitialization}) is created after migrations ran.
 *
 * <p>The interface lives in {@code org.springframework.boot.sql.init.dependency} on Boot 3.x (jar spring-boot) and
 * 4.x (jar spring-boot-sql) alike, so this one class serves both.
 */
class TidemarkDatabaseInitializerDetector extends AbstractBeansOfTypeDatabaseInitializerDetector {

    @Override
    protected Set<Class<?>> getDatabaseInitializerBeanTypes() {
        return Set.of(TidemarkInitializer.class);
    }
}
