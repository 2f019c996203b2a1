package dev.tidemark.spring.autoconfigure;

import dev.tidemark.Migrator;
import org.junit.jupiter.api.Test;
import org.springframework.boot.convert.ApplicationConversionService;

import java.beans.IntrospectionException;
import java.beans.Introspector;
import java.beans.PropertyDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every setting of {@link Migrator.Builder} is a {@code tidemark.*} property with the builder's default, and the
 * configuration metadata an IDE shows states that default. A new builder setting fails this test until it has a
 * property (or a reason not to).
 */
class SettingsParityTests {

    /** Builder settings whose property has another name. */
    private static final Map<String, String> RENAMED = Map.of("location", "locations");

    /** Builder settings with no property, and why. */
    private static final Map<String, String> WITHOUT_PROPERTY = Map.of(
            "dataSource", "the application's DataSource (or tidemark.url/user/password)",
            "classLoader", "the application context's class loader",
            "allowReset", "startup never resets the database",
            "listener", "MigrationListener beans of the context (and the starter's meters and recent events)",
            "downLocation", "startup never rolls back: rollback is an operator's command (CLI or Migrator.rollback)");

    @Test
    void everyBuilderSettingIsAPropertyOrHasAReason() throws IntrospectionException {
        Set<String> settings = Arrays.stream(Migrator.Builder.class.getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers()) && m.getReturnType() == Migrator.Builder.class)
                .map(Method::getName)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> properties = Arrays.stream(Introspector.getBeanInfo(TidemarkProperties.class)
                        .getPropertyDescriptors())
                .filter(p -> p.getWriteMethod() != null)
                .map(PropertyDescriptor::getName)
                .collect(Collectors.toSet());
        Set<String> missing = new TreeSet<>();
        for (String setting : settings) {
            if (!WITHOUT_PROPERTY.containsKey(setting) && !properties.contains(RENAMED.getOrDefault(setting, setting))) {
                missing.add(setting);
            }
        }
        assertThat(missing).as("builder settings without a tidemark.* property").isEmpty();
        assertThat(settings).containsAll(new HashSet<>(WITHOUT_PROPERTY.keySet()));
    }

    @Test
    void thePropertiesDefaultsAreTheBuildersAndTheMetadataSaysSo() throws IOException {
        TidemarkProperties defaults = new TidemarkProperties();
        Map<String, Duration> durations = Map.of(
                "tidemark.lock-wait", Migrator.Builder.DEFAULT_LOCK_WAIT,
                "tidemark.lock-timeout", Migrator.Builder.DEFAULT_LOCK_TIMEOUT,
                "tidemark.lock-retry-budget", Migrator.Builder.DEFAULT_LOCK_RETRY_BUDGET,
                "tidemark.statement-timeout", Migrator.Builder.DEFAULT_STATEMENT_TIMEOUT,
                "tidemark.connect-wait", Migrator.Builder.DEFAULT_CONNECT_WAIT,
                "tidemark.slow-migration-warning", Migrator.Builder.DEFAULT_SLOW_MIGRATION_WARNING);
        assertThat(defaults.getLockWait()).isEqualTo(Migrator.Builder.DEFAULT_LOCK_WAIT);
        assertThat(defaults.getLockTimeout()).isEqualTo(Migrator.Builder.DEFAULT_LOCK_TIMEOUT);
        assertThat(defaults.getLockRetryBudget()).isEqualTo(Migrator.Builder.DEFAULT_LOCK_RETRY_BUDGET);
        assertThat(defaults.getStatementTimeout()).isEqualTo(Migrator.Builder.DEFAULT_STATEMENT_TIMEOUT);
        assertThat(defaults.getConnectWait()).isEqualTo(Migrator.Builder.DEFAULT_CONNECT_WAIT);
        assertThat(defaults.getSlowMigrationWarning()).isEqualTo(Migrator.Builder.DEFAULT_SLOW_MIGRATION_WARNING);
        assertThat(defaults.getHistoryTable()).isEqualTo(Migrator.Builder.DEFAULT_HISTORY_TABLE);
        assertThat(defaults.getLocations()).containsExactly(Migrator.Builder.DEFAULT_LOCATION);

        String metadata = metadata();
        durations.forEach((name, value) -> assertThat(ApplicationConversionService.getSharedInstance()
                .convert(metadataDefault(metadata, name), Duration.class)).as(name).isEqualTo(value));
        assertThat(defaults.getLint()).isEqualTo(Migrator.Builder.DEFAULT_LINT);
        assertThat(metadataDefault(metadata, "tidemark.lint"))
                .isEqualTo(Migrator.Builder.DEFAULT_LINT.name().toLowerCase(java.util.Locale.ROOT));
        assertThat(metadataDefault(metadata, "tidemark.history-table"))
                .isEqualTo(Migrator.Builder.DEFAULT_HISTORY_TABLE);
    }

    private static String metadata() throws IOException {
        try (InputStream in = SettingsParityTests.class.getResourceAsStream(
                "/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("the configuration processor's metadata").isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The {@code defaultValue} of the property named {@code name} in the metadata JSON. */
    private static String metadataDefault(String metadata, String name) {
        Matcher entry = Pattern.compile("\\{[^{}]*\"name\"\\s*:\\s*\"" + Pattern.quote(name) + "\"[^{}]*}")
                .matcher(metadata);
        assertThat(entry.find()).as(name + " in the metadata").isTrue();
        Matcher value = Pattern.compile("\"defaultValue\"\\s*:\\s*\"([^\"]*)\"").matcher(entry.group());
        assertThat(value.find()).as(name + " has a default in the metadata").isTrue();
        return value.group(1);
    }
}
