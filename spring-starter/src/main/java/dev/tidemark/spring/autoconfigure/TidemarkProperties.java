package dev.tidemark.spring.autoconfigure;

import dev.tidemark.LintMode;
import dev.tidemark.Migrator;
import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Configuration of Tidemark's startup migration, bound from {@code tidemark.*}.
 *
 * <p>Plain values only; {@link TidemarkAutoConfiguration} maps them onto {@code Migrator.builder()} in one place.
 *
 * @since 0.1
 */
@ConfigurationProperties("tidemark")
public class TidemarkProperties {

    /** Whether to configure Tidemark at all. When false, no Tidemark bean is created and nothing runs at startup. */
    private boolean enabled = true;

    /**
     * The migrations folder, in Prisma's layout (one directory per migration, each with migration.sql): a
     * classpath: location or a file-system path. Exactly one folder is supported.
     */
    private List<String> locations = new ArrayList<>(List.of(Migrator.Builder.DEFAULT_LOCATION));

    /** The schema to migrate. Default: the URL's schema/currentSchema, else public. */
    private String schema;

    /** What runs at startup: deploy pending migrations, only validate that none are pending, or nothing. */
    private Mode mode = Mode.DEPLOY;

    /** Refuse to start when an applied migration's file was modified after it ran (default: log a warning). */
    private boolean strict;

    /**
     * Go on with a migration that was interrupted (instance killed, backend terminated, connection lost) instead of
     * refusing as Prisma does (P3009): an autocommit migration resumes after the statements recorded as done.
     */
    private boolean resumeInterrupted = true;

    /**
     * Static lint of the pending migrations at startup, before they are applied (static rules only, no catalog
     * query): warn logs the findings, error also refuses to start on a finding of severity error, off skips it.
     */
    private LintMode lint = Migrator.Builder.DEFAULT_LINT;

    /** How long to wait for another instance's migration lock before failing startup. */
    private Duration lockWait = Migrator.Builder.DEFAULT_LOCK_WAIT;

    /**
     * PostgreSQL lock_timeout for migration statements: a statement waiting longer for a table lock gives up (and is
     * retried) instead of queueing the application's queries behind it. Zero disables.
     */
    private Duration lockTimeout = Migrator.Builder.DEFAULT_LOCK_TIMEOUT;

    /**
     * How long a migration that hit its lock timeout keeps being retried, with exponential backoff and jitter, before
     * startup fails. Zero: fail at the first lock timeout.
     */
    private Duration lockRetryBudget = Migrator.Builder.DEFAULT_LOCK_RETRY_BUDGET;

    /**
     * Log a warning (and send a slow-migration event to the listeners) when a migration runs longer than this, once
     * per migration while it goes on. Zero: off.
     */
    private Duration slowMigrationWarning = Migrator.Builder.DEFAULT_SLOW_MIGRATION_WARNING;

    /**
     * PostgreSQL statement_timeout for migration statements: a statement running longer is cancelled and startup
     * fails. Zero: none.
     */
    private Duration statementTimeout = Migrator.Builder.DEFAULT_STATEMENT_TIMEOUT;

    /**
     * How long to keep retrying, with backoff, while the database is not reachable yet (a database starting beside
     * the application). Zero: fail at once.
     */
    private Duration connectWait = Migrator.Builder.DEFAULT_CONNECT_WAIT;

    /** The history table's name, in the target schema; shared with Prisma Migrate under its default name. */
    private String historyTable = Migrator.Builder.DEFAULT_HISTORY_TABLE;

    /**
     * SQL seed file (a path, or classpath:db/seed.sql), run in one transaction by Migrator.seed() and after
     * Migrator.reset(); startup does not run it. Default: none.
     */
    private String seed;

    /**
     * JDBC or postgresql:// URL of the database to migrate with a separate (migration-owner) role. Default: the
     * application's DataSource; when only tidemark.user is set, the application's database URL
     * (spring.datasource.url, else the URL its DataSource reports).
     */
    private String url;

    /** Login role for migrations, when it differs from the application's (for example, the schema owner). */
    private String user;

    /** Password of tidemark.user. */
    private String password;

    public String getSeed() {
        return seed;
    }

    public void setSeed(String seed) {
        this.seed = seed;
    }

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public List<String> getLocations() {
        return locations;
    }

    public void setLocations(List<String> locations) {
        this.locations = locations;
    }

    public String getSchema() {
        return schema;
    }

    public void setSchema(String schema) {
        this.schema = schema;
    }

    public Mode getMode() {
        return mode;
    }

    public void setMode(Mode mode) {
        this.mode = mode;
    }

    public LintMode getLint() {
        return lint;
    }

    public void setLint(LintMode lint) {
        this.lint = lint;
    }

    public boolean isResumeInterrupted() {
        return resumeInterrupted;
    }

    public void setResumeInterrupted(boolean resumeInterrupted) {
        this.resumeInterrupted = resumeInterrupted;
    }

    public boolean isStrict() {
        return strict;
    }

    public void setStrict(boolean strict) {
        this.strict = strict;
    }

    public Duration getLockWait() {
        return lockWait;
    }

    public void setLockWait(Duration lockWait) {
        this.lockWait = lockWait;
    }

    public Duration getLockTimeout() {
        return lockTimeout;
    }

    public void setLockTimeout(Duration lockTimeout) {
        this.lockTimeout = lockTimeout;
    }

    public Duration getLockRetryBudget() {
        return lockRetryBudget;
    }

    public void setLockRetryBudget(Duration lockRetryBudget) {
        this.lockRetryBudget = lockRetryBudget;
    }

    public Duration getSlowMigrationWarning() {
        return slowMigrationWarning;
    }

    public void setSlowMigrationWarning(Duration slowMigrationWarning) {
        this.slowMigrationWarning = slowMigrationWarning;
    }

    public Duration getStatementTimeout() {
        return statementTimeout;
    }

    public void setStatementTimeout(Duration statementTimeout) {
        this.statementTimeout = statementTimeout;
    }

    public Duration getConnectWait() {
        return connectWait;
    }

    public void setConnectWait(Duration connectWait) {
        this.connectWait = connectWait;
    }

    public String getHistoryTable() {
        return historyTable;
    }

    public void setHistoryTable(String historyTable) {
        this.historyTable = historyTable;
    }

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public String getUser() {
        return user;
    }

    public void setUser(String user) {
        this.user = user;
    }

    public String getPassword() {
        return password;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    /** What {@link TidemarkInitializer} does at startup. */
    public enum Mode {
        /** Apply pending migrations (under the advisory lock, so replicas starting together apply each once). */
        DEPLOY,
        /** Apply nothing; fail startup if any migration is pending, failed or modified. */
        VALIDATE,
        /** Do nothing at startup; the Migrator bean, health indicator and endpoint stay available. */
        NONE
    }
}
