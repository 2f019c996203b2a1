package dev.tidemark;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

/** slf4j-simple logs to stderr: tests capture it to prove what is, or is never, logged. */
final class Stderr {

    private Stderr() {
    }

    /** Runs {@code action} and returns what it wrote to standard error. */
    static String capture(Runnable action) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        return captured.toString();
    }
}
