package dev.tidemark.spring.autoconfigure;

import dev.tidemark.ErrorCode;
import dev.tidemark.MigrationListener;
import dev.tidemark.Migrator;
import dev.tidemark.Redaction;
import dev.tidemark.TidemarkException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.LazyInitializationExcludeFilter;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.sql.init.dependency.DatabaseInitializationDependencyConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;

/**
 * Auto-configures Tidemark: a {@link Migrator} for the application's database and a {@link TidemarkInitializer} that
 * deploys (or validates) migrations before JPA, JdbcTemplate, jOOQ and other JDBC users initialise.
 *
 * <p>Active when a {@link DataSource} bean exists and {@code tidemark.enabled} is not {@code false}. Backs off from
 * a user-defined {@link Migrator} or {@link TidemarkInitializer}.
 *
 * @since 0.1
 */
@AutoConfiguration(afterName = {
        // Boot 4.x
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        // Boot 3.x
        "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration"})
@ConditionalOnClass({Migrator.class, DatabaseInitializationDependencyConfigurer.class})
@ConditionalOnBean(DataSource.class)
@ConditionalOnBooleanProperty(name = "tidemark.enabled", matchIfMissing = true)
@EnableConfigurationProperties(TidemarkProperties.class)
@Import(DatabaseInitializationDependencyConfigurer.class)
public class TidemarkAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(Migrator.class)
    Migrator tidemarkMigrator(TidemarkProperties properties, Environment environment, ResourceLoader resourceLoader,
            ObjectProvider<DataSource> dataSource, @TidemarkDataSource ObjectProvider<DataSource> tidemarkDataSource,
            ObjectProvider<TidemarkCustomizer> customizers, ObjectProvider<MigrationListener> listeners) {
        Migrator.Builder builder = Migrator.builder()
                .location(location(properties.getLocations()))
                .schema(properties.getSchema())
                .strict(properties.isStrict())
                .resumeInterrupted(properties.isResumeInterrupted())
                .lint(properties.getLint())
                .lockWait(properties.getLockWait())
                .lockTimeout(properties.getLockTimeout())
                .lockRetryBudget(properties.getLockRetryBudget())
                .slowMigrationWarning(properties.getSlowMigrationWarning())
                .listener(listeners.orderedStream().toArray(MigrationListener[]::new))
                .statementTimeout(properties.getStatementTimeout())
                .connectWait(properties.getConnectWait())
                .historyTable(properties.getHistoryTable())
                .seed(properties.getSeed());
        if (resourceLoader.getClassLoader() != null) {
            builder.classLoader(resourceLoader.getClassLoader());
        }
        configureConnection(builder, properties, environment, dataSource, tidemarkDataSource);
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        return builder.build();
    }

    /** With {@code spring.main.lazy-initialization=true} the initializer must still run at startup. */
    @Bean
    static LazyInitializationExcludeFilter tidemarkLazyInitializationExcludeFilter() {
        return LazyInitializationExcludeFilter.forBeanTypes(TidemarkInitializer.class);
    }

    @Bean
    @ConditionalOnMissingBean(TidemarkInitializer.class)
    TidemarkInitializer tidemarkInitializer(Migrator migrator, TidemarkProperties properties,
            ObjectProvider<TidemarkMigrationStrategy> strategy) {
        return new TidemarkInitializer(migrator, properties.getMode(), strategy.getIfAvailable());
    }

    /**
     * Which database Tidemark connects to: {@code tidemark.url} (with {@code tidemark.user}/{@code password}); else,
     * when only {@code tidemark.user} is set, the application's database as that user; else the
     * {@code @TidemarkDataSource} bean; else the application's DataSource.
     */
    private static void configureConnection(Migrator.Builder builder, TidemarkProperties properties,
            Environment environment, ObjectProvider<DataSource> dataSource,
            ObjectProvider<DataSource> tidemarkDataSource) {
        String url = blankToNull(properties.getUrl());
        String user = blankToNull(properties.getUser());
        if (url == null && user != null) {
            url = blankToNull(environment.getProperty("spring.datasource.url"));
            if (url == null) {
                url = urlOf(dataSource.getObject());
            }
        }
        if (url != null) {
            builder.url(url).user(user).password(properties.getPassword());
            return;
        }
        DataSource chosen = tidemarkDataSource.getIfAvailable();
        builder.dataSource(chosen != null ? chosen : dataSource.getObject());
    }

    /**
     * The JDBC URL the application's DataSource connects to, for DataSources not configured through
     * {@code spring.datasource.url} (a bean of the application's own, a service connection, Docker Compose).
     */
    private static String urlOf(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            return connection.getMetaData().getURL();
        } catch (SQLException e) {
            throw new TidemarkException(ErrorCode.CONFIGURATION_INVALID, "tidemark.user is set without"
                    + " tidemark.url, and Tidemark could not read the application's database URL from its"
                    + " DataSource (" + Redaction.maskSecrets(e.getMessage()) + "). Set tidemark.url to the"
                    + " database's JDBC URL, for example jdbc:postgresql://db:5432/app.", e);
        }
    }

    /** Core reads one folder; Spring users may write Flyway's {@code filesystem:} or Spring's {@code file:}. */
    private static String location(List<String> locations) {
        if (locations == null || locations.size() != 1) {
            throw new TidemarkException(ErrorCode.CONFIGURATION_INVALID, "tidemark.locations must name exactly one"
                    + " migrations folder, but it lists " + (locations == null ? 0 : locations.size())
                    + (locations == null || locations.isEmpty() ? "" : " (" + String.join(", ", locations) + ")")
                    + ". Put all migration directories in one folder, as Prisma Migrate does, for example"
                    + " classpath:db/migrations.");
        }
        String location = locations.get(0).strip();
        for (String prefix : List.of("filesystem:", "file:")) {
            if (location.startsWith(prefix)) {
                return location.substring(prefix.length());
            }
        }
        return location;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
