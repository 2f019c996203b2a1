package dev.tidemark.cli;

/** The environment variables the CLI reads; each has a flag of the same meaning, and the flag wins. */
public final class Settings {

    /** The database, in Prisma/libpq form or JDBC form. Flag {@code --url}. */
    public static final String DATABASE_URL = "DATABASE_URL";
    /**
     * The migrations folder. Flag {@code --migrations}. Default {@value #PRISMA_MIGRATIONS} when it exists, else
     * {@value #PLAIN_MIGRATIONS}; the image sets it to {@value #IMAGE_MIGRATIONS}.
     */
    public static final String MIGRATIONS = "TIDEMARK_MIGRATIONS";
    /** The target schema. Flag {@code --schema}. Default the URL's {@code schema} parameter, else public. */
    public static final String SCHEMA = "TIDEMARK_SCHEMA";
    /** The history table's name. Flag {@code --history-table}. Default {@code _prisma_migrations}. */
    public static final String HISTORY_TABLE = "TIDEMARK_HISTORY_TABLE";
    /** How long to wait for another deployer's lock. Flag {@code --lock-wait}. */
    public static final String LOCK_WAIT = "TIDEMARK_LOCK_WAIT";
    /** PostgreSQL's lock_timeout for migration statements. Flag {@code --lock-timeout}. */
    public static final String LOCK_TIMEOUT = "TIDEMARK_LOCK_TIMEOUT";
    /** How long a migration that hit its lock timeout is retried. Flag {@code --lock-retry-budget}. */
    public static final String LOCK_RETRY_BUDGET = "TIDEMARK_LOCK_RETRY_BUDGET";
    /** PostgreSQL's statement_timeout for migration statements. Flag {@code --statement-timeout}. */
    public static final String STATEMENT_TIMEOUT = "TIDEMARK_STATEMENT_TIMEOUT";
    /** Refuse to deploy when an applied migration was modified. Flag {@code --strict}. */
    public static final String STRICT = "TIDEMARK_STRICT";
    /** {@code false}: refuse interrupted migrations as Prisma does (P3009). Flag {@code --[no-]resume-interrupted}. */
    public static final String RESUME_INTERRUPTED = "TIDEMARK_RESUME_INTERRUPTED";
    /** {@code off}, {@code warn} (default) or {@code error}: deploy's static lint. Flag {@code deploy --lint}. */
    public static final String LINT = "TIDEMARK_LINT";
    /** How long to retry while the database is unreachable. Flag {@code --wait-for-db}. */
    public static final String WAIT_FOR_DB = "TIDEMARK_WAIT_FOR_DB";
    /** {@code text} or {@code json}. Flag {@code --log-format}. */
    public static final String LOG_FORMAT = "TIDEMARK_LOG_FORMAT";
    /** {@code error}, {@code warn}, {@code info} or {@code debug}. Flag {@code --log-level}. */
    public static final String LOG_LEVEL = "TIDEMARK_LOG_LEVEL";
    /** An empty database for {@code diff}, {@code drift} and {@code create --from-schema} to apply scripts in. Flag
     * {@code --shadow-database-url}. Default: a temporary database on the server of {@value #DATABASE_URL}. */
    public static final String SHADOW_DATABASE_URL = "TIDEMARK_SHADOW_DATABASE_URL";
    /**
     * The seed file for {@code seed} and {@code reset}. Flags {@code seed --file}, {@code reset --seed}. Default
     * {@code seed.sql} next to the migrations folder.
     */
    public static final String SEED = "TIDEMARK_SEED";
    /** A folder of hand-written rollback scripts for {@code rollback}. Flag {@code --down-dir}. Default none. */
    public static final String DOWN_DIR = "TIDEMARK_DOWN_DIR";
    /** {@code json}: deploy events, one JSON object per line, on standard error. Flag {@code --events}. */
    public static final String EVENTS = "TIDEMARK_EVENTS";
    /** A file the deploy events are appended to instead, one JSON object per line. Flag {@code --events-file}. */
    public static final String EVENTS_FILE = "TIDEMARK_EVENTS_FILE";
    /** Warn about a migration running longer than this. Flag {@code --warn-after}. Default off. */
    public static final String WARN_AFTER = "TIDEMARK_WARN_AFTER";
    /** A file the deploy's Prometheus metrics are written to at the end. Flag {@code --metrics-file}. */
    public static final String METRICS_FILE = "TIDEMARK_METRICS_FILE";
    /** Must be {@code true}, besides {@code --force}, for {@code reset} to run. No flag, on purpose. */
    public static final String ALLOW_RESET = dev.tidemark.Migrator.ALLOW_RESET_VARIABLE;

    /** The default folder when it exists: Prisma's, relative to the working directory. */
    public static final String PRISMA_MIGRATIONS = "prisma/migrations";
    /** The default folder otherwise, relative to the working directory. */
    public static final String PLAIN_MIGRATIONS = "migrations";
    /**
     * Where the image expects the migrations (a mounted ConfigMap or volume, or files baked in by a derived image):
     * its environment sets {@value #MIGRATIONS} to this (init-container/pom.xml, Jib's container environment).
     */
    public static final String IMAGE_MIGRATIONS = "/migrations";
    /** Where a derived image may put migrations on the class path instead, when no folder is set or found. */
    public static final String CLASSPATH_MIGRATIONS = "classpath:db/migrations";

    private Settings() {
    }
}
