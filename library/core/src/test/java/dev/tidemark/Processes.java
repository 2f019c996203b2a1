package dev.tidemark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a command-line tool (psql, pg_dump, sha256sum) and returns its output, failing loudly. */
final class Processes {

    private Processes() {
    }

    static String run(List<String> command) {
        return run(command, null);
    }

    /** Runs with {@code PGPASSWORD} set when a password is given, and never waits on a password prompt. */
    static String run(List<String> command, String pgPassword) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            if (pgPassword != null) {
                builder.environment().put("PGPASSWORD", pgPassword);
            }
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("Timed out: " + command);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(command.get(0) + " exited with " + process.exitValue() + ":\n" + output);
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException("Could not run " + command.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
