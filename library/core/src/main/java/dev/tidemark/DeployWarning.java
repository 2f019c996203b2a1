package dev.tidemark;

import java.util.Objects;

/**
 * Something about the migrations that a deploy went on despite, for the operator to know.
 *
 * @param kind      what it is about
 * @param migration the migration's directory name
 * @param message   one sentence saying what and where; also the record's {@link #toString()}
 * @since 0.1
 */
public record DeployWarning(Kind kind, String migration, String message) {

    /** What a warning is about. */
    public enum Kind {
        /** An applied migration's file was modified since it ran (its checksum differs). */
        MODIFIED,
        /** A migration is applied to the database but missing from the folder. */
        MISSING_LOCALLY
    }

    public DeployWarning {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(migration, "migration");
        Objects.requireNonNull(message, "message");
    }

    /** The message. */
    @Override
    public String toString() {
        return message;
    }
}
