package dev.tidemark.bench.jmh;

import dev.tidemark.bench.Checks;
import dev.tidemark.bench.Corpus;
import dev.tidemark.bench.Server;
import dev.tidemark.bench.Tool;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

import java.util.concurrent.TimeUnit;

/**
 * S2 (a deploy with nothing to do) and S4 (status) against a database holding the 1000 generated migrations, applied
 * once per trial by the tool itself. Each invocation builds the tool's configuration and opens its connection, as a
 * pod start does.
 *
 * <p>Each trial first calls the benchmark for the same number of seconds for every tool (the system property
 * {@value #WARM_UP_PROPERTY}, default {@value #DEFAULT_WARM_UP_SECONDS}), before JMH's own warm-up iterations. Twenty
 * single-shot warm-ups are not enough here: in 300 calls in a row, every tool's median of each 30 fell from about 30
 * to 22 ms over the first 120 calls or so (about 4 s of calls: the JIT compilers share the two cores with the
 * server), so a one-fork measurement of calls 21 to 50 compared tools in the middle of their warm-up.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 20)
@Measurement(iterations = 30)
public class UpToDate {

    @Param({"tidemark", "flyway", "liquibase", "floor"})
    public String tool;

    @Param({"generated-1000"})
    public String corpus;

    /** The system property naming the seconds of calls before JMH's warm-up; the harness sets it. */
    public static final String WARM_UP_PROPERTY = "tidemark.bench.warmUpSeconds";
    public static final int DEFAULT_WARM_UP_SECONDS = 5;

    private Tool t;
    private Corpus c;
    private Server.Target db;

    @Setup(Level.Trial)
    public void applyAll(BenchmarkParams params) {
        t = Tool.of(tool);
        c = Corpora.get(corpus);
        db = Server.createDatabase("uptodate");
        t.deploy(db, c);
        Checks.applied(db, t, c.size());
        Server.settle(db);
        boolean status = params.getBenchmark().endsWith(".status");
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(Integer.getInteger(WARM_UP_PROPERTY,
                DEFAULT_WARM_UP_SECONDS));
        while (System.nanoTime() < end) {
            if (status) {
                status();
            } else {
                noOpDeploy();
            }
        }
    }

    /** S2. */
    @Benchmark
    public int noOpDeploy() {
        int applied = t.deploy(db, c);
        if (applied > 0) {
            throw new IllegalStateException(t.label() + " applied " + applied + " migrations to an up-to-date database");
        }
        return applied;
    }

    /** S4. */
    @Benchmark
    public int status() {
        int pending = t.pending(db, c);
        if (pending != 0) {
            throw new IllegalStateException(t.label() + " reports " + pending + " pending migrations, expected none");
        }
        return pending;
    }

    @TearDown(Level.Trial)
    public void checkAndDrop() {
        try {
            Checks.applied(db, t, c.size());
        } finally {
            Server.dropDatabase(db);
        }
    }
}
