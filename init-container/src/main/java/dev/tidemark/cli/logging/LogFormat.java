package dev.tidemark.cli.logging;

/** How log lines are written to standard error. */
public enum LogFormat {
    /** {@code 2026-01-01T12:00:00.123Z INFO  message}: for people and {@code kubectl logs}. */
    TEXT,
    /** One JSON object per line ({@code time}, {@code level}, {@code logger}, {@code message}): for log aggregators. */
    JSON
}
