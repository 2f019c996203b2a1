package dev.tidemark.spring.autoconfigure;

import dev.tidemark.Migrator;
import dev.tidemark.spring.actuate.LegacyTidemarkHealthIndicatorFactory;
import dev.tidemark.spring.actuate.TidemarkHealthIndicator;
import dev.tidemark.spring.actuate.TidemarkMeters;
import dev.tidemark.spring.actuate.TidemarkMetrics;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Health and metrics, each only when its library is present: the {@code tidemark} health indicator (Boot 4 and
 * Boot 3 flavours), the {@code tidemark.deploy} timer and the meters of the deploy events ({@link TidemarkMeters}). The endpoint has its own
 * {@link TidemarkEndpointAutoConfiguration}.
 *
 * @since 0.1
 */
@AutoConfiguration(after = TidemarkAutoConfiguration.class)
@ConditionalOnClass(Migrator.class)
@ConditionalOnBean(Migrator.class)
public class TidemarkActuatorAutoConfiguration {

    /** Spring Boot 4.x: health types in spring-boot-health. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
    @ConditionalOnSingleCandidate(Migrator.class)
    @ConditionalOnBooleanProperty(name = "management.health.tidemark.enabled", matchIfMissing = true)
    static class HealthConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "tidemarkHealthIndicator")
        TidemarkHealthIndicator tidemarkHealthIndicator(Migrator migrator) {
            return new TidemarkHealthIndicator(migrator);
        }
    }

    /** Spring Boot 3.x: health types in spring-boot-actuator. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
    @ConditionalOnMissingClass("org.springframework.boot.health.contributor.HealthIndicator")
    @ConditionalOnSingleCandidate(Migrator.class)
    @ConditionalOnBooleanProperty(name = "management.health.tidemark.enabled", matchIfMissing = true)
    static class LegacyHealthConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "tidemarkHealthIndicator")
        static LegacyTidemarkHealthIndicatorFactory tidemarkHealthIndicator(ObjectProvider<Migrator> migrator,
                ApplicationContext context) {
            return new LegacyTidemarkHealthIndicatorFactory(migrator, context.getClassLoader());
        }
    }

    /**
     * The meters of the deploy events: a listener the Migrator is built with (it takes every MigrationListener
     * bean), recording into the registries once they bind it.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
    static class MeterConfiguration {

        @Bean
        @ConditionalOnMissingBean
        TidemarkMeters tidemarkMeters() {
            return new TidemarkMeters();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
    @ConditionalOnSingleCandidate(TidemarkInitializer.class)
    static class MetricsConfiguration {

        @Bean
        @ConditionalOnMissingBean
        TidemarkMetrics tidemarkMetrics(TidemarkInitializer initializer) {
            return new TidemarkMetrics(initializer);
        }
    }
}
