package dev.tidemark;

import dev.tidemark.testdb.TestDatabase;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;

/**
 * Measures {@link FastReset#restore} on the documenso history (163 migrations). Not a test: run it by hand,
 *
 * <pre>
 * ./mvnw -q -pl library/core -am test-compile
 * java -cp "$(cat library/core/target/bench.cp):library/core/target/classes:library/core/target/test-classes" \
 *     dev.tidemark.FastResetBenchmark [iterations]
 * </pre>
 *
 * (with {@code bench.cp} from {@code dependency:build-classpath -Dmdep.outputFile=target/bench.cp}). Each iteration
 * writes a few rows into several tables, as a test would, then restores; only the restore is timed.
 */
public final class FastResetBenchmark {

    public static void main(String[] args) throws Exception {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        try (TestDatabase db = TestDatabase.create("bench")) {
            Migrator migrator = Migrator.builder().url(db.postgresUrl()).location(Corpus.documenso().toString())
                    .allowReset(true).build();
            long start = System.nanoTime();
            FastReset reset = FastReset.prepare(migrator);
            long prepareMillis = (System.nanoTime() - start) / 1_000_000;
            int tables;
            try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
                try (ResultSet rs = statement.executeQuery("SELECT count(*) FROM pg_class WHERE relkind = 'r'"
                        + " AND relnamespace = 'public'::regnamespace")) {
                    rs.next();
                    tables = rs.getInt(1);
                }
                long[] reused = measure(iterations, statement, () -> reset.restore(connection));
                long[] fresh = measure(Math.min(iterations, 100), statement, reset::restore);
                start = System.nanoTime();
                migrator.reset();
                long fullMillis = (System.nanoTime() - start) / 1_000_000;
                System.out.printf("documenso: %d migrations, %d tables; prepare (migrate + record) %d ms;"
                        + " full Migrator.reset() %d ms%n", migrator.status().applied().size(), tables,
                        prepareMillis, fullMillis);
                report("restore(connection), one reused connection", reused);
                report("restore(), a new connection each time", fresh);
            }
        }
    }

    private static long[] measure(int iterations, Statement statement, Runnable restore) throws Exception {
        long[] nanos = new long[iterations];
        for (int i = 0; i < iterations + 20; i++) {
            statement.execute("""
                    INSERT INTO "User" (email, "identityProvider") VALUES ('u' || gen_random_uuid() || '@x.test', 'DOCUMENSO');
                    INSERT INTO "User" (email, "identityProvider") VALUES ('v' || gen_random_uuid() || '@x.test', 'DOCUMENSO');
                    INSERT INTO "Team" (name, url) SELECT 't', 't' || gen_random_uuid() WHERE EXISTS (
                        SELECT 1 FROM information_schema.columns WHERE table_name = 'Team' AND column_name = 'url')
                        AND NOT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_name = 'Team'
                        AND column_name = 'organisationId');
                    """);
            long start = System.nanoTime();
            restore.run();
            if (i >= 20) {
                nanos[i - 20] = System.nanoTime() - start;
            }
        }
        Arrays.sort(nanos);
        return nanos;
    }

    private static void report(String what, long[] sorted) {
        System.out.printf("%s: median %.2f ms, p90 %.2f ms, max %.2f ms over %d resets%n", what,
                sorted[sorted.length / 2] / 1e6, sorted[sorted.length * 9 / 10] / 1e6,
                sorted[sorted.length - 1] / 1e6, sorted.length);
    }
}
