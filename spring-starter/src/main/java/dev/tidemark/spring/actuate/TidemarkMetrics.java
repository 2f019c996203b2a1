package dev.tidemark.spring.actuate;

import dev.tidemark.spring.autoconfigure.TidemarkInitializer;
import dev.tidemark.spring.autoconfigure.TidemarkStartup;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.Objects;

/**
 * Publishes how long Tidemark took at startup as the timer {@code tidemark.deploy}, tagged with {@code action}
 * (deploy, validate, none, strategy) and {@code outcome}, and the number of migrations it applied as
 * {@code tidemark.migrations.applied}. The run happens before any meter registry exists, so it is recorded when the
 * registry binds this bean.
 *
 * @since 0.1
 */
public class TidemarkMetrics implements MeterBinder {

    private final TidemarkInitializer initializer;

    public TidemarkMetrics(TidemarkInitializer initializer) {
        this.initializer = Objects.requireNonNull(initializer, "initializer");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        TidemarkStartup startup = initializer.startup();
        if (startup == null) {
            return;
        }
        Timer.builder("tidemark.deploy")
                .description("Time Tidemark took at application startup, lock wait included")
                .tag("action", startup.action())
                .tag("outcome", startup.outcome())
                .register(registry)
                .record(startup.duration());
        int applied = startup.result() == null ? 0 : startup.result().applied().size();
        Gauge.builder("tidemark.migrations.applied", () -> applied)
                .description("Migrations applied at application startup")
                .register(registry);
    }
}
