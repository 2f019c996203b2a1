package dev.tidemark.cli.logging;

import dev.tidemark.cli.Json;
import dev.tidemark.cli.Secrets;
import org.slf4j.event.Level;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Where and how the CLI's log lines go: standard error, as text or JSON, at the configured level, secrets masked.
 *
 * <p>Configured once by the command before it does any work; a process runs one command, so this is global.
 */
public final class LogOutput {

    private static volatile Level threshold = Level.INFO;
    private static volatile LogFormat format = LogFormat.TEXT;
    private static volatile PrintStream stream = System.err;

    private LogOutput() {
    }

    public static void configure(Level level, LogFormat logFormat, PrintStream to) {
        threshold = level;
        format = logFormat;
        stream = to;
    }

    public static LogFormat format() {
        return format;
    }

    static boolean isEnabled(Level level) {
        return level.toInt() >= threshold.toInt();
    }

    static void write(Level level, String logger, String message, Throwable throwable) {
        String text = Secrets.mask(message);
        String error = throwable == null ? null : Secrets.mask(describe(throwable));
        String line;
        if (format == LogFormat.JSON) {
            StringBuilder json = new StringBuilder(128)
                    .append("{\"time\":").append(Json.quote(Instant.now().truncatedTo(ChronoUnit.MILLIS).toString()))
                    .append(",\"level\":").append(Json.quote(level.name()))
                    .append(",\"logger\":").append(Json.quote(logger))
                    .append(",\"message\":").append(Json.quote(text));
            if (error != null) {
                json.append(",\"error\":").append(Json.quote(error));
            }
            line = json.append('}').toString();
        } else {
            StringBuilder out = new StringBuilder(128).append(Instant.now().truncatedTo(ChronoUnit.MILLIS)).append(' ').append(level.name());
            for (int i = level.name().length(); i < 6; i++) {
                out.append(' ');
            }
            out.append(text);
            if (error != null) {
                out.append(System.lineSeparator()).append(error);
            }
            line = out.toString();
        }
        PrintStream to = stream;
        synchronized (to) {
            to.println(line);
            to.flush();
        }
    }

    /** Stack traces only at debug level; otherwise the exception's own message says enough. */
    private static String describe(Throwable throwable) {
        if (!isEnabled(Level.DEBUG)) {
            return throwable.toString();
        }
        StringWriter trace = new StringWriter();
        throwable.printStackTrace(new PrintWriter(trace));
        return trace.toString().stripTrailing();
    }
}
