package dev.tidemark;

import java.time.Duration;

/**
 * Another deployer held the migration lock for longer than the configured wait.
 *
 * <p>Tidemark creates these; there is no public constructor, so components can be added without breaking callers.
 * {@link #builder()} exists for Tidemark's own rooms (and for tests that need an instance).
 *
 * @since 0.1
 */
public final class LockTimeoutException extends TidemarkException {

    private static final long serialVersionUID = 1L;

    private final Duration waited;
    private final String holder;

    private LockTimeoutException(Builder builder) {
        super(ErrorCode.LOCK_TIMEOUT, builder.message, builder.cause);
        this.waited = builder.waited;
        this.holder = builder.holder;
    }

    /**
     * A builder for the exception, with every component unset ({@code null}).
     *
     * @since 0.2
     */
    public static Builder builder() {
        return new Builder();
    }

    /** How long Tidemark waited for the lock. */
    public Duration waited() {
        return waited;
    }

    /** A description of the session that held the lock (pid, application, client, since when), or {@code null}. */
    public String holder() {
        return holder;
    }

    /**
     * Builds a {@link LockTimeoutException}. Not thread-safe; each {@link #build()} makes a new exception.
     *
     * @since 0.2
     */
    public static final class Builder {

        private String message;
        private Duration waited;
        private String holder;
        private Throwable cause;

        private Builder() {
        }

        /** The whole paragraph: who holds the lock and what to do. */
        public Builder message(String message) {
            this.message = message;
            return this;
        }

        /** How long Tidemark waited for the lock. */
        public Builder waited(Duration waited) {
            this.waited = waited;
            return this;
        }

        /** A description of the session that held the lock, or {@code null}. */
        public Builder holder(String holder) {
            this.holder = holder;
            return this;
        }

        /** The underlying failure, or {@code null}. */
        public Builder cause(Throwable cause) {
            this.cause = cause;
            return this;
        }

        /** The exception with the components set so far. */
        public LockTimeoutException build() {
            return new LockTimeoutException(this);
        }
    }
}
