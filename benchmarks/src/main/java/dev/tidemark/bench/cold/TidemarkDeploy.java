package dev.tidemark.bench.cold;

import dev.tidemark.DeployResult;
import dev.tidemark.Migrator;

/**
 * S5 stand-in for {@code java -jar tidemark.jar deploy} until the CLI lands: the least a main can do with Tidemark.
 * Arguments: JDBC URL, user, migrations folder; password from {@code TIDEMARK_BENCH_PASSWORD}.
 */
public final class TidemarkDeploy {

    private TidemarkDeploy() {
    }

    public static void main(String[] args) {
        DeployResult result = Migrator.builder().url(args[0]).user(args[1])
                .password(System.getenv("TIDEMARK_BENCH_PASSWORD")).location(args[2]).build().deploy();
        System.out.println("applied " + result.applied().size());
    }
}
