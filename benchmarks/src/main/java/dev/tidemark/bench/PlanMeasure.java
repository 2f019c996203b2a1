package dev.tidemark.bench;

import dev.tidemark.DeployPlan;
import dev.tidemark.Migrator;
import dev.tidemark.SchemaSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code plan --measure} on the documenso history against a plain shadow replay of the same history
 * ({@code describeSchema(migrations)}: create a shadow database, apply every migration, read the schema, drop it),
 * both through the public API on an empty target, so that every migration is pending and measured statement by
 * statement. Runs interleaved, 1 warm-up and {@code --rounds} (default 5) measured each; prints the medians and the
 * ratio, and exits 1 when the ratio is above the 1.5 target.
 *
 * <pre>
 * ./mvnw -q -Pbenchmarks -pl benchmarks -am package -DskipTests
 * java -cp benchmarks/target/tidemark-benchmarks.jar dev.tidemark.bench.PlanMeasure [--rounds N]
 * </pre>
 */
public final class PlanMeasure {

    static final double TARGET_RATIO = 1.5;

    private PlanMeasure() {
    }

    public static void main(String[] args) {
        int rounds = args.length == 2 && args[0].equals("--rounds") ? Integer.parseInt(args[1]) : 5;
        Path documenso = Corpus.corpusDir().resolve(Corpus.DOCUMENSO);
        if (!Files.isDirectory(documenso)) {
            System.err.println("The documenso history is not at " + documenso + "; set TIDEMARK_CORPUS_DIR.");
            System.exit(2);
        }
        Server.Target target = Server.createDatabase("plan");
        try {
            Migrator migrator = Migrator.builder().url(target.jdbcUrl()).user(Server.USER)
                    .password(Server.PASSWORD.isEmpty() ? null : Server.PASSWORD)
                    .location(documenso.toString()).build();
            List<Double> replay = new ArrayList<>();
            List<Double> plan = new ArrayList<>();
            int statements = 0;
            for (int round = 0; round <= rounds; round++) {
                long start = System.nanoTime();
                String schema = migrator.describeSchema(SchemaSource.migrations());
                long replayed = System.nanoTime() - start;
                start = System.nanoTime();
                DeployPlan measured = migrator.plan(true);
                long planned = System.nanoTime() - start;
                if (schema.isEmpty() || measured.migrations().isEmpty() || measured.migrations().stream()
                        .flatMap(m -> m.statements().stream()).anyMatch(s -> s.effect() == null
                                || s.effect().error() != null)) {
                    throw new IllegalStateException("plan --measure did not measure every statement");
                }
                statements = measured.statementCount();
                if (round > 0) {
                    replay.add(replayed / 1e6);
                    plan.add(planned / 1e6);
                }
            }
            double ratio = Stats.median(plan) / Stats.median(replay);
            System.out.printf(Locale.ROOT, "documenso, %d statements, %d rounds: shadow replay %d ms, plan --measure"
                    + " %d ms, ratio %.2f (target <= %.1f): %s%n", statements, rounds, Math.round(Stats.median(replay)),
                    Math.round(Stats.median(plan)), ratio, TARGET_RATIO, ratio <= TARGET_RATIO ? "met" : "NOT met");
            if (ratio > TARGET_RATIO) {
                System.exit(1);
            }
        } finally {
            Server.dropDatabase(target);
        }
    }
}
