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
 * }</pre>
 *
 * @param migrations        the migrations to check, by directory name; empty for every migration with a
 *                          {@code down.sql}
 * @param seed              a SQL file of rows, applied once after the first checked migration's up (so its rows
 *                          fit that schema) and kept through every round trip after it; or null
 * @param shadowDatabaseUrl an empty database to run in instead of a temporary one; or null
 * @since 0.2
 */
public record VerifyDownRequest(List<String> migrations, Path seed, String shadowDatabaseUrl) {

    public VerifyDownRequest {
        migrations = List.copyOf(migrations);
    }

    /** Every migration that has a {@code down.sql}. */
    public static VerifyDownRequest all() {
        return new VerifyDownRequest(List.of(), null, null);
    }

    /** The named migrations (each must have a {@code down.sql}). */
    public static VerifyDownRequest of(String... migrations) {
        return new VerifyDownRequest(List.of(migrations), null, null);
    }

    public VerifyDownRequest withSeed(Path seed) {
        return new VerifyDownRequest(migrations, Objects.requireNonNull(seed, "seed"), shadowDatabaseUrl);
    }

    public VerifyDownRequest withShadowDatabase(String url) {
        return new VerifyDownRequest(migrations, seed, Objects.requireNonNull(url, "url"));
    }

    @Override
    public String toString() {
        return "VerifyDownRequest[migrations=" + migrations + ", seed=" + seed + ", shadowDatabaseUrl="
                + (shadowDatabaseUrl == null ? null : Redaction.maskUrl(shadowDatabaseUrl)) + "]";
    }
}
