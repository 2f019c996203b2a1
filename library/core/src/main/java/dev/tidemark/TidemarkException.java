package dev.tidemark;

/**
 * The one exception type Tidemark throws; its {@link #code()} says what went wrong.
 *
 * <p>Messages are written for the person running the deploy: one paragraph naming what failed, where, and what to do
 * next. They never contain passwords. Subclasses carry structured details for programs.
 *
 * @since 0.1
 */
public class TidemarkException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public TidemarkException(ErrorCode code, String message) {
        this(code, message, null);
    }

    public TidemarkException(ErrorCode code, String message, Throwable cause) {
        super("[" + code.id() + "] " + message, cause);
        this.code = code;
    }

    /** The stable error code, never {@code null}. */
    public ErrorCode code() {
        return code;
    }
}
