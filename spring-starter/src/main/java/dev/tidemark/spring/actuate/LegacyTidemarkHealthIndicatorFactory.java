package dev.tidemark.spring.actuate;

import dev.tidemark.Migrator;
import org.springframework.beans.factory.FactoryBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.util.ClassUtils;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.Objects;

/**
 * The same health indicator as {@link TidemarkHealthIndicator}, for Spring Boot 3.x, whose health types live in
 * {@code org.springframework.boot.actuate.health} instead of Boot 4's {@code org.springframework.boot.health
 * .contributor}. The starter is compiled against Boot 4 only, so this builds Boot 3's {@code HealthIndicator} as a
 * proxy, using nothing but its public methods {@code Health.up()/down()}, {@code withDetails(Map)} and
 * {@code build()}. {@link #getObjectType()} names the real interface, so Boot 3 finds the bean by type.
 *
 * <p>Spring instantiates factory beans early to ask their type, while it is still creating the DataSource; so the
 * Migrator is looked up only when the indicator is first used, which avoids a DataSource-Migrator cycle.
 *
 * @since 0.1
 */
public class LegacyTidemarkHealthIndicatorFactory implements FactoryBean<Object> {

    static final String HEALTH_INDICATOR = "org.springframework.boot.actuate.health.HealthIndicator";
    private static final String HEALTH = "org.springframework.boot.actuate.health.Health";

    private final ObjectProvider<Migrator> migrator;
    private final ClassLoader classLoader;

    public LegacyTidemarkHealthIndicatorFactory(ObjectProvider<Migrator> migrator, ClassLoader classLoader) {
        this.migrator = Objects.requireNonNull(migrator, "migrator");
        this.classLoader = classLoader;
    }

    @Override
    public Object getObject() throws Exception {
        Class<?> indicatorType = getObjectType();
        Class<?> healthType = ClassUtils.forName(HEALTH, classLoader);
        Method up = healthType.getMethod("up");
        Method down = healthType.getMethod("down");
        Method withDetails = up.getReturnType().getMethod("withDetails", Map.class);
        Method build = up.getReturnType().getMethod("build");
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getName().equals("health") && method.getParameterCount() == 0) {
                TidemarkHealth.Check check = TidemarkHealth.check(migrator.getObject());
                Object builder = (check.up() ? up : down).invoke(null);
                return build.invoke(withDetails.invoke(builder, check.details()));
            }
            if (method.isDefault()) {
                return InvocationHandler.invokeDefault(proxy, method, args);
            }
            return switch (method.getName()) {
                case "toString" -> "TidemarkHealthIndicator (Spring Boot 3)";
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == args[0];
                default -> throw new UnsupportedOperationException(method.toString());
            };
        };
        return Proxy.newProxyInstance(indicatorType.getClassLoader(), new Class<?>[] {indicatorType}, handler);
    }

    @Override
    public Class<?> getObjectType() {
        try {
            return ClassUtils.forName(HEALTH_INDICATOR, classLoader);
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }
}
