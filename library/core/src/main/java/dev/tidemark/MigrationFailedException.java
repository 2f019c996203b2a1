package dev.tidemark;

/**
 * A migration's SQL failed. The failing statement's position is given in the migration file's own coordinates.
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

    public MigrationFailedException(String message, String migration, String file, int line, int column,
            String sqlState, String serverMessage, Throwable cause) {
        super(ErrorCode.MIGRATION_FAILED, message, cause);
        this.migration = migration;
        this.file = file;
        this.line = line;
        this.column = column;
        this.sqlState = sqlState;
        this.serverMessage = serverMessage;
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
}
