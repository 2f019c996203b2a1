package dev.tidemark;

import dev.tidemark.testdb.TestDatabase;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;

/**
 * Measures {@link FastReset#restore} on the documenso history (163 migrations), and for comparison a full
 * {@link Migrator#reset()} and a database copy ({@code CREATE DATABASE ... TEMPLATE}). Not a test, so that no build
 * depends on the machine's speed; run it by hand from the repository root:
 *
 * <pre>
 * ./mvnw -q -pl library/core -am test-compile
 * ./mvnw -q -pl library/core dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.cp
 * java -cp "library/core/target/classes:library/core/target/test-classes:library/test-database/target/classes:$(cat \
 *     library/core/target/bench.cp)" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
 *     dev.tidemark.FastResetBenchmark 300
 * </pre>
 *
 * Each iteration writes a few rows, as a test would, then restores; only the restore is timed.
 */
public final class FastResetBenchmark {

    private FastResetBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        try (TestDatabase db = TestDatabase.create("bench")) {
            Migrator migrator = Migrator.builder().url(db.postgresUrl()).location(Corpus.documenso().toString())
                    .allowReset(true).build();
            long start = System.nanoTime();
            FastReset reset = FastReset.prepare(migrator);
            long prepareMillis = (System.nanoTime() - start) / 1_000_000;
            start = System.nanoTime();
            TestDatabase copy = db.copy("bench_copy");
            System.out.printf("CREATE DATABASE ... TEMPLATE of the migrated database: %d ms%n",
                    (System.nanoTime() - start) / 1_000_000);
            copy.close();
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
            statement.execute("INSERT INTO \"User\" (email) SELECT 'u' || gen_random_uuid() || '@example.com'"
                    + " FROM generate_series(1, 3)");
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
