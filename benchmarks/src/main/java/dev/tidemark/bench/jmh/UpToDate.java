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
 * S2 (a deploy with nothing to do) and S4 (status) against a database holding the 1000 generated migrations, applied
 * once per trial by the tool itself. Each invocation builds the tool's configuration and opens its connection, as a
 * pod start does.
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

    private Tool t;
    private Corpus c;
    private Server.Target db;

    @Setup(Level.Trial)
    public void applyAll() {
        t = Tool.of(tool);
        c = Corpora.get(corpus);
        db = Server.createDatabase("uptodate");
        t.deploy(db, c);
        Checks.applied(db, t, c.size());
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
