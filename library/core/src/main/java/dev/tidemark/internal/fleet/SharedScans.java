package dev.tidemark.internal.fleet;

import dev.tidemark.internal.source.MigrationSource;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The migrations folders of one fleet run, each scanned and hashed once for all targets instead of once per target
 * (the targets' migrators normally share one location; a location configured per target gets its own entry).
 */
public final class SharedScans {

    private record Key(String location, ClassLoader classLoader, String downLocation) {
    }

    private final Map<Key, MigrationSource> sources = new ConcurrentHashMap<>();

    /** The source for this folder, read at its first scan in this run. */
    public MigrationSource source(String location, ClassLoader classLoader, String downLocation) {
        return sources.computeIfAbsent(new Key(location, classLoader, downLocation),
                k -> new MigrationSource(location, classLoader, downLocation).scannedOnce());
    }
}
