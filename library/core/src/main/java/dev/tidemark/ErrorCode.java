package dev.tidemark;

/**
 * Stable error codes carried by every {@link TidemarkException}.
 *
 * <p>Callers such as the CLI and the Spring Boot starter switch on these codes, never on message text. Where Prisma
 * Migrate has an equivalent error, the number matches Prisma's ({@code P3009} becomes {@code TM3009}), so a team's
 * runbooks keep working.
 *
 * @since 0.1
 */
public enum ErrorCode {

    /** The database refused the user name or password. */
    AUTHENTICATION_FAILED("TM1000"),
    /** The database server could not be reached (down, wrong host or port, network, still starting). */
    DATABASE_UNREACHABLE("TM1001"),
    /** Another deployer held the migration lock for longer than the configured lock wait. */
    LOCK_TIMEOUT("TM1002"),
    /** A migration released the migration lock and another deployer took it before Tidemark could take it back. */
    LOCK_LOST("TM1004"),
    /** The database named in the URL does not exist. */
    DATABASE_NOT_FOUND("TM1003"),
    /** A statement Tidemark itself issued (history table, lock, schema) failed. */
    DATABASE_ERROR("TM1010"),
    /** The configuration is incomplete or contradictory. */
    CONFIGURATION_INVALID("TM2000"),
    /** The migrations location does not exist. */
    MIGRATIONS_NOT_FOUND("TM2001"),
    /** The migrations folder is malformed: a directory without {@code migration.sql}, a bad lock file, bad text. */
    MIGRATIONS_INVALID("TM2002"),
    /** A {@code -- tidemark:lint-ignore} comment names an unknown rule or is not above a statement or in the header. */
    LINT_IGNORE_INVALID("TM2003"),
    /** {@code deploy} with lint mode {@code error} found an error-severity finding and applied nothing. */
    LINT_REFUSED("TM3023"),
    /** A migration named in a command does not exist in the migrations folder. */
    MIGRATION_NOT_FOUND("TM3017"),
    /** A migration's SQL (or a push's script) failed; the database is left as it was before it. */
    MIGRATION_FAILED("TM3018"),
    /** The history holds a failed migration, so no new migration is applied until it is resolved. */
    FAILED_MIGRATION_PRESENT("TM3009"),
    /** {@code resolveApplied} on a migration that is already recorded as applied. */
    ALREADY_APPLIED("TM3008"),
    /** {@code resolveRolledBack} on a migration that has no history rows. */
    NOT_IN_HISTORY("TM3011"),
    /** {@code resolveRolledBack} on a migration none of whose rows failed. */
    NOT_FAILED("TM3012"),
    /** An applied migration's file changed since it was applied, and strict mode is on. */
    MODIFIED_MIGRATION("TM3020"),
    /** Validation found pending, failed or modified migrations. */
    NOT_UP_TO_DATE("TM3021"),
    /**
     * A rollback was refused before anything ran: a migration to roll back has no down script, its
     * {@code migration.sql} changed since it was applied (without force), it is not applied, or there is nothing to
     * roll back.
     */
    ROLLBACK_REFUSED("TM3040"),
    /** A destructive reset was requested without being explicitly allowed. */
    RESET_REFUSED("TM3022"),
    /** A schema diff could not create, use or drop its shadow database (as Prisma's P3014). */
    SHADOW_DATABASE_FAILED("TM3014"),
    /** A migration or schema file of a schema diff failed on the shadow database (as Prisma's P3006). */
    SHADOW_APPLY_FAILED("TM3006"),
    /** A Flyway or Liquibase history cannot be imported as it is (a duplicate version, an XML changelog, ...). */
    IMPORT_INVALID("TM2030"),
    /** The seed file failed; it runs in one transaction, so nothing of it was applied. */
    SEED_FAILED("TM3030"),
    /** {@code push} was refused: the database has a migration history, or a step can lose data, without consent. */
    PUSH_REFUSED("TM3031");

    private final String id;

    ErrorCode(String id) {
        this.id = id;
    }

    /** The short, stable identifier printed in messages, for example {@code TM3009}. */
    public String id() {
        return id;
    }
}
