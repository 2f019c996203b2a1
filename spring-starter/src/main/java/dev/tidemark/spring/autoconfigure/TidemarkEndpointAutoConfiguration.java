package dev.tidemark.spring.autoconfigure;

import dev.tidemark.Migrator;
import dev.tidemark.spring.actuate.RecentEvents;
import dev.tidemark.spring.actuate.TidemarkEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * The read-only actuator endpoint {@code tidemark}, when Actuator is present and the endpoint is exposed. A class of
 * its own, as Spring Boot does for Flyway's endpoint: its class condition is checked before any actuator annotation
 * on it is read.
 *
 * @since 0.1
 */
@AutoConfiguration(after = TidemarkAutoConfiguration.class)
@ConditionalOnClass(name = {"org.springframework.boot.actuate.endpoint.annotation.Endpoint",
        "org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint"})
@ConditionalOnBean(Migrator.class)
@ConditionalOnAvailableEndpoint(endpoint = TidemarkEndpoint.class)
public class TidemarkEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    TidemarkEndpoint tidemarkEndpoint(ApplicationContext context) {
        return new TidemarkEndpoint(context);
    }

    /** The endpoint's recent events: a listener the Migrator is built with. */
    @Bean
    @ConditionalOnMissingBean
    RecentEvents tidemarkRecentEvents() {
        return new RecentEvents();
    }
}
