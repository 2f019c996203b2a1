package dev.tidemark.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;

/** The CLI run in the test's JVM, as the command tests drive it: its standard output and error captured. */
final class InProcessCli {

    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    /** A context with environment {@code env} and {@code clock} that prints into {@link #out} and {@link #err}. */
    CliContext context(Map<String, String> env, Clock clock) {
        return new CliContext(env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), clock);
    }
}
