package dev.tidemark.cli;

/** How {@code deploy} and {@code status} print their result on standard output. */
public enum OutputFormat {
    /** Sentences for people. */
    TEXT,
    /** One JSON object, for scripts and CI steps. */
    JSON
}
