package dev.tidemark.internal.seed;

import dev.tidemark.ErrorCode;
import dev.tidemark.SeedResult;
import dev.tidemark.TidemarkException;
import dev.tidemark.internal.source.Checksums;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;

/** The configured seed file of a Migrator: run under the migration lock, and part of the fast-reset fingerprint. */
public final class Seeding {

    private static final Logger log = LoggerFactory.getLogger("dev.tidemark");

    private final String seed;
    private final ClassLoader classLoader;

    /** @param seed the seed file's location, or null for none */
    public Seeding(String seed, ClassLoader classLoader) {
        this.seed = seed;
        this.classLoader = classLoader;
    }

    public boolean configured() {
        return seed != null;
    }

    /** Refuses to seed without a seed file, before the lock is taken. */
    public void requireConfigured() {
        if (seed == null) {
            throw new TidemarkException(ErrorCode.CONFIGURATION_INVALID, "No seed file is configured. Set one with"
                    + " seed(\"prisma/seed.sql\") on the builder (a path, or classpath:db/seed.sql) and seed again.");
        }
    }

    /** Runs the seed file in one transaction on a connection that holds the migration lock. */
    public SeedResult run(Connection connection, String schema, String target) {
        long start = System.nanoTime();
        SeedFile file = SeedFile.read(seed, classLoader);
        int count = OneTransaction.run(connection, schema, "The seed file " + seed, file.script(),
                ErrorCode.SEED_FAILED, "Fix the statement and seed again.");
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        log.info("Seeded {} from {} ({} statement(s)) in {} ms", target, seed, count, took.toMillis());
        return new SeedResult(seed, count, took);
    }

    /** A fast-reset fingerprint that includes the seed file: an edited seed makes the recorded state stale. */
    public String fingerprint(String migrationsFingerprint) {
        return seed == null ? migrationsFingerprint : Checksums.sha256((migrationsFingerprint + " seed "
                + SeedFile.read(seed, classLoader).checksum()).getBytes(StandardCharsets.UTF_8));
    }
}
