package dev.tidemark;

/**
 * A migration's SQL failed. The failing statement's position is given in the migration file's own coordinates.
 *
 * <p>Tidemark creates these; there is no public constructor, so components can be added without breaking callers.
 * {@link #builder()} exists for Tidemark's own rooms (and for tests that need an instance); its setters are named, and
 * a new component gets a new setter.
 *
 * @since 0.1
 */
public final class MigrationFailedException extends TidemarkException {

    private static final long serialVersionUID = 1L;

    private final String migration;
    private final String file;
    private final int line;
    private final int column;
    private final String sqlState;
    private final String serverMessage;

    private MigrationFailedException(Builder builder) {
        super(ErrorCode.MIGRATION_FAILED, builder.message, builder.cause);
        this.migration = builder.migration;
        this.file = builder.file;
        this.line = builder.line;
        this.column = builder.column;
        this.sqlState = builder.sqlState;
        this.serverMessage = builder.serverMessage;
    }

    /**
     * A builder for the exception, with every component unset ({@code null}, or {@code 0} for the position).
     *
     * @since 0.2
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding this exception's components and cause, to make a copy with one of them changed. The message
     * is this one's without its {@code [TM…] } prefix, which {@link Builder#build()} adds again.
     *
     * @since 0.2
     */
    public Builder toBuilder() {
        String message = getMessage();
        String prefix = "[" + code().id() + "] ";
        return new Builder().message(message != null && message.startsWith(prefix)
                        ? message.substring(prefix.length()) : message)
                .migration(migration).file(file).position(line, column).sqlState(sqlState)
                .serverMessage(serverMessage).cause(getCause());
    }

    /** The migration's directory name, for example {@code 20230404095503_init}. */
    public String migration() {
        return migration;
    }

    /** Where the script was read from (a path, or a classpath location). */
    public String file() {
        return file;
    }

    /** 1-based line of the error in {@link #file()}. */
    public int line() {
        return line;
    }

    /** 1-based column of the error in {@link #file()}. */
    public int column() {
        return column;
    }

    /** PostgreSQL's SQLSTATE, for example {@code 42P01}; {@code null} if the server sent none. */
    public String sqlState() {
        return sqlState;
    }

    /** The server's error message, without Tidemark's explanation around it. */
    public String serverMessage() {
        return serverMessage;
    }

    /**
     * Builds a {@link MigrationFailedException}. Not thread-safe; each {@link #build()} makes a new exception.
     *
     * @since 0.2
     */
    public static final class Builder {

        private String message;
        private String migration;
        private String file;
        private int line;
        private int column;
        private String sqlState;
        private String serverMessage;
        private Throwable cause;

        private Builder() {
        }

        /** The whole paragraph: what failed, where, and what to do. */
        public Builder message(String message) {
            this.message = message;
            return this;
        }

        /** The migration's directory name. */
        public Builder migration(String migration) {
            this.migration = migration;
            return this;
        }

        /** Where the script was read from. */
        public Builder file(String file) {
            this.file = file;
            return this;
        }

        /** The 1-based line and column of the error in the file. */
        public Builder position(int line, int column) {
            this.line = line;
            this.column = column;
            return this;
        }

        /** PostgreSQL's SQLSTATE, or {@code null}. */
        public Builder sqlState(String sqlState) {
            this.sqlState = sqlState;
            return this;
        }

        /** The server's error message. */
        public Builder serverMessage(String serverMessage) {
            this.serverMessage = serverMessage;
            return this;
        }

        /** The underlying failure, or {@code null}. */
        public Builder cause(Throwable cause) {
            this.cause = cause;
            return this;
        }

        /** The exception with the components set so far. */
        public MigrationFailedException build() {
            return new MigrationFailedException(this);
        }
    }
}
