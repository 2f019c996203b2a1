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
 * S3: a test suite's reset between tests. A database with the 200 generated migrations applied gets rows in every
 * table (outside the timed part); the timed part brings it back to migrated and empty with the tool's own means:
 * Tidemark's {@code FastReset.restore(connection)} on a connection held across resets (as its JUnit extension does),
 * Flyway's {@code clean} + {@code migrate} and Liquibase's {@code dropAll} + {@code update} (each opening its own
 * connections, as they do), and for the floor one round trip of DELETEs on a held connection.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3)
@Measurement(iterations = 7)
public class TestReset {

    static final int ROWS_PER_TABLE = 10;

    @Param({"tidemark", "flyway", "liquibase", "floor"})
    public String tool;

    @Param({"generated-200"})
    public String corpus;

    private Tool t;
    private Corpus c;
    private Server.Target db;
    private Object prepared;

    @Setup(Level.Trial)
    public void applyAll() {
        t = Tool.of(tool);
        c = Corpora.get(corpus);
        db = Server.createDatabase("reset");
        t.deploy(db, c);
        prepared = t.prepareReset(db, c);
    }

    @Setup(Level.Iteration)
    public void fill() {
        Checks.fill(db, c, ROWS_PER_TABLE);
    }

    @Benchmark
    public void reset() {
        t.reset(db, c, prepared);
    }

    @TearDown(Level.Iteration)
    public void check() {
        Checks.applied(db, t, c.size());
        Checks.rows(db, c.tables().get(0), 0);
        Checks.rows(db, c.tables().get(c.tables().size() - 1), 0);
    }

    @TearDown(Level.Trial)
    public void drop() {
        Tool.release(prepared);
        Server.dropDatabase(db);
    }
}
