package dev.tidemark.spring.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfigurations;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The same test sources run on Spring Boot 4.x (this module) and 3.5 (module boot35-tests), where Boot's own
 * auto-configurations and health types have different packages; tests name them through this class.
 */
final class Boot {

    static final String DATA_SOURCE = "jdbc.DataSourceAutoConfiguration";
    static final String JDBC_TEMPLATE = "jdbc.JdbcTemplateAutoConfiguration";
    static final String HIBERNATE = "orm.jpa.HibernateJpaAutoConfiguration";

    private Boot() {
    }

    /** Spring Boot's major version on the test classpath. */
    static int major() {
        return present("org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration") ? 4 : 3;
    }

    /** Boot's auto-configurations by their Boot 3 name (below org.springframework.boot.autoconfigure), plus ours. */
    static AutoConfigurations autoConfigurations(String... boot3Names) {
        List<Class<?>> classes = new ArrayList<>();
        for (String name : boot3Names) {
            classes.add(load(major() == 3 ? "org.springframework.boot.autoconfigure." + name : boot4Name(name)));
        }
        classes.add(TidemarkAutoConfiguration.class);
        classes.add(TidemarkActuatorAutoConfiguration.class);
        classes.add(TidemarkEndpointAutoConfiguration.class);
        return AutoConfigurations.of(classes.toArray(Class<?>[]::new));
    }

    private static String boot4Name(String boot3Name) {
        return switch (boot3Name) {
            case DATA_SOURCE -> "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration";
            case JDBC_TEMPLATE -> "org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration";
            case HIBERNATE -> "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration";
            default -> throw new IllegalArgumentException(boot3Name);
        };
    }

    /** Status code and details of a health indicator bean of either Boot version. */
    record HealthView(String status, Map<String, Object> details) {
    }

    @SuppressWarnings("unchecked")
    static HealthView health(Object indicator) throws ReflectiveOperationException {
        Method health = indicator.getClass().getMethod("health");
        health.setAccessible(true);
        Object result = health.invoke(indicator);
        Object status = result.getClass().getMethod("getStatus").invoke(result);
        String code = (String) status.getClass().getMethod("getCode").invoke(status);
        return new HealthView(code, (Map<String, Object>) result.getClass().getMethod("getDetails").invoke(result));
    }

    private static boolean present(String name) {
        try {
            Class.forName(name, false, Boot.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, Boot.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(name + " is not on the test classpath", e);
        }
    }
}
