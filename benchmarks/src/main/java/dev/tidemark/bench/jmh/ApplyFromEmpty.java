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

import java.util.concurrent.TimeUnit;

/**
 * S1 (1000 generated migrations) and S6 (documenso's 163) applied to a fresh, empty database. One invocation per
 * iteration, each on its own new database, after a checkpoint.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 1)
@Measurement(iterations = 5)
public class ApplyFromEmpty {

    @Param({"tidemark", "flyway", "liquibase", "floor"})
    public String tool;

    @Param({"generated-1000"})
    public String corpus;

    private Tool t;
    private Corpus c;
    private Server.Target db;

    @Setup(Level.Trial)
    public void load() {
        t = Tool.of(tool);
        c = Corpora.get(corpus);
    }

    /** A new database, and a checkpoint so that the previous iteration's writes are not flushed during this one. */
    @Setup(Level.Iteration)
    public void createDatabase() {
        db = Server.createDatabase("apply");
        Server.checkpoint();
    }

    @Benchmark
    public int apply() {
        return t.deploy(db, c);
    }

    @TearDown(Level.Iteration)
    public void checkAndDrop() {
        try {
            Checks.applied(db, t, c.size());
        } finally {
            Server.dropDatabase(db);
        }
    }
}
