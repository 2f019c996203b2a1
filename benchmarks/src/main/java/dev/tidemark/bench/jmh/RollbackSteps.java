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
 * S7: {@code rollback --steps 5} on a database holding the 200 generated migrations, each with a down.sql
 * ({@code DROP TABLE t_i;}). Before each invocation, untimed, a deploy applies the five again; after it, untimed, the
 * history is checked to hold five fewer applied migrations.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 5)
@Measurement(iterations = 15)
public class RollbackSteps {

    static final int STEPS = 5;

    @Param({"tidemark", "floor"})
    public String tool;

    @Param({"generated-200"})
    public String corpus;

    private Tool t;
    private Corpus c;
    private Server.Target db;

    @Setup(Level.Trial)
    public void createDatabase() {
        t = Tool.of(tool);
        c = Corpora.get(corpus);
        c.writeDownScripts();
        db = Server.createDatabase("rollback");
    }

    @Setup(Level.Invocation)
    public void applyAll() {
        t.deploy(db, c);
        Checks.applied(db, t, c.size());
    }

    @Benchmark
    public int rollback() {
        int rolledBack = t.rollback(db, c, STEPS);
        if (rolledBack != STEPS) {
            throw new IllegalStateException(t.label() + " rolled back " + rolledBack + " migrations, expected " + STEPS);
        }
        return rolledBack;
    }

    @TearDown(Level.Invocation)
    public void check() {
        Checks.applied(db, t, c.size() - STEPS);
    }

    @TearDown(Level.Trial)
    public void drop() {
        Server.dropDatabase(db);
    }
}
