package dev.tidemark.junit;

import dev.tidemark.testdb.TestDatabase;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/** The condition behind {@link RequiresDocker}; Docker is looked for once per run. */
final class DockerCondition implements ExecutionCondition {

    static final String SKIPPED = "Docker is not available, so this test that needs a container is skipped;"
            + " start Docker (or set DOCKER_HOST) to run it";

    private static volatile Boolean available;

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return dockerAvailable() ? ConditionEvaluationResult.enabled("Docker is available")
                : ConditionEvaluationResult.disabled(SKIPPED);
    }

    static boolean dockerAvailable() {
        Boolean result = available;
        if (result == null) {
            result = TestDatabase.dockerAvailable();
            available = result;
        }
        return result;
    }
}
