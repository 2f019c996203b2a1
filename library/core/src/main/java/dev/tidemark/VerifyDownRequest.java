package dev.tidemark;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What {@link Migrator#verifyDown(VerifyDownRequest)} checks.
 *
 * <pre>{@code
 * migrator.verifyDown(VerifyDownRequest.all().withSeed(Path.of("seed.sql")));
 * migrator.verifyDown(VerifyDownRequest.of("20250310110000_task_done_at"));
 * migrator.verifyDown(VerifyDownRequest.pending());
 * }</pre>
 *
 * @param migrations        the migrations to check, by directory name; empty for every migration with a
 *                          {@code down.sql} (or, with {@code pendingOnly}, every pending one with a {@code down.sql})
 * @param seed              a SQL file of rows, applied once after the first checked migration's up (so its rows
 *                          fit that schema) and kept through every round trip after it; or null
 * @param shadowDatabaseUrl an empty database to run in instead of a temporary one; or null
 * @param pendingOnly       check only the migrations the Migrator's database has pending (never applied, or rolled
 *                          back) that have a {@code down.sql}; the database's history is read, nothing is written to
 *                          it, and the round trips still run on the shadow database. Not with named migrations.
 * @since 0.2
 */
public record VerifyDownRequest(List<String> migrations, Path seed, String shadowDatabaseUrl, boolean pendingOnly) {

    public VerifyDownRequest {
        migrations = List.copyOf(migrations);
        if (pendingOnly && !migrations.isEmpty()) {
            throw new IllegalArgumentException("give migrations or pendingOnly, not both");
        }
    }

    /** Named migrations, or every one with a {@code down.sql} when {@code migrations} is empty. */
    public VerifyDownRequest(List<String> migrations, Path seed, String shadowDatabaseUrl) {
        this(migrations, seed, shadowDatabaseUrl, false);
    }

    /** Every migration that has a {@code down.sql}. */
    public static VerifyDownRequest all() {
        return new VerifyDownRequest(List.of(), null, null);
    }

    /**
     * The migrations pending on the Migrator's database that have a {@code down.sql}: what the next deploy applies,
     * checked before it does.
     */
    public static VerifyDownRequest pending() {
        return new VerifyDownRequest(List.of(), null, null, true);
    }

    /** The named migrations (each must have a {@code down.sql}). */
    public static VerifyDownRequest of(String... migrations) {
        return new VerifyDownRequest(List.of(migrations), null, null);
    }

    public VerifyDownRequest withSeed(Path seed) {
        return new VerifyDownRequest(migrations, Objects.requireNonNull(seed, "seed"), shadowDatabaseUrl, pendingOnly);
    }

    public VerifyDownRequest withShadowDatabase(String url) {
        return new VerifyDownRequest(migrations, seed, Objects.requireNonNull(url, "url"), pendingOnly);
    }

    @Override
    public String toString() {
        return "VerifyDownRequest[migrations=" + migrations + ", seed=" + seed + ", shadowDatabaseUrl="
                + (shadowDatabaseUrl == null ? null : Redaction.maskUrl(shadowDatabaseUrl)) + ", pendingOnly="
                + pendingOnly + "]";
    }
}
