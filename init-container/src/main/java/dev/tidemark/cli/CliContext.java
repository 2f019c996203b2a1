package dev.tidemark.cli;

import java.io.PrintStream;
import java.time.Clock;
import java.util.Map;

/**
 * What a command reads from and writes to besides its options: the environment, standard output for results, standard
 * error for logs and errors, and the clock. Tests pass their own.
 */
public record CliContext(Map<String, String> env, PrintStream out, PrintStream err, Clock clock) {

    public static CliContext system() {
        return new CliContext(System.getenv(), System.out, System.err, Clock.systemUTC());
    }

    /** An environment variable, or {@code null} when unset or blank. */
    public String env(String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? null : value;
    }

    /** Prints a result line to standard output, secrets masked. */
    public void print(String text) {
        out.println(Secrets.mask(text));
        out.flush();
    }
}
