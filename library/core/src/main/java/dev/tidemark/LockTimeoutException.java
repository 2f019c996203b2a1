package dev.tidemark;

import java.time.Duration;

/**
 * Another deployer held the migration lock for longer than the configured wait.
 *
 * @since 0.1
 */
public final class LockTimeoutException extends TidemarkException {

    private static final long serialVersionUID = 1L;

    private final Duration waited;
    private final String holder;

    public LockTimeoutException(String message, Duration waited, String holder, Throwable cause) {
        super(ErrorCode.LOCK_TIMEOUT, message, cause);
        this.waited = waited;
        this.holder = holder;
    }

    /** How long Tidemark waited for the lock. */
    public Duration waited() {
        return waited;
    }

    /** A description of the session that held the lock (pid, application, client, since when), or {@code null}. */
    public String holder() {
        return holder;
    }
}
