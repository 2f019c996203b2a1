package dev.tidemark.bench.jmh;

import dev.tidemark.Lint;
import dev.tidemark.LintReport;
import dev.tidemark.bench.Corpus;
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
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * S8: {@code tidemark lint --all} over the 1000 generated migrations, as the CLI runs it ({@code Lint.lint} of the
 * folder: scan, split, classify, every default rule), in the benchmark JVM. Tidemark only: the other tools have no
 * lint. No database.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 10)
@Measurement(iterations = 20)
public class LintAll {

    @Param({"tidemark"})
    public String tool;

    @Param({"generated-1000"})
    public String corpus;

    private Corpus c;

    @Setup(Level.Trial)
    public void load() {
        if (!tool.equals("tidemark")) {
            throw new IllegalArgumentException("Only Tidemark has a lint, not " + tool);
        }
        c = Corpora.get(corpus);
    }

    @Benchmark
    public int lintAll() {
        LintReport report = Lint.defaults().lint(List.of(c.prisma()));
        if (report.migrations().size() != c.size()) {
            throw new IllegalStateException("lint read " + report.migrations().size() + " migrations, expected "
                    + c.size());
        }
        return report.findings().size();
    }
}
