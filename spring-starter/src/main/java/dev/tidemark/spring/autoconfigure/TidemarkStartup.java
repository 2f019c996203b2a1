package dev.tidemark.spring.autoconfigure;

import dev.tidemark.DeployResult;

import java.time.Duration;
import java.time.Instant;

/**
 * What {@link TidemarkInitializer} did at startup, for the actuator endpoint and the deploy timer.
 *
 * @param action   {@code deploy}, {@code validate}, {@code none} or {@code strategy}
 * @param outcome  {@code success} or {@code failure}
 * @param started  when it started
 * @param duration how long it took, lock wait included
 * @param result   the deploy's result, or {@code null} when no deploy ran through Tidemark's default action
 * @param error    the failure's message, or {@code null}
 * @since 0.1
 */
public record TidemarkStartup(String action, String outcome, Instant started, Duration duration, DeployResult result,
        String error) {

    /** True when startup's action completed without an exception. */
    public boolean succeeded() {
        return "success".equals(outcome);
    }
}
