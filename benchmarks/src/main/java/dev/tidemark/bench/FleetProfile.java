package dev.tidemark.bench;

import dev.tidemark.Migrator;
import dev.tidemark.internal.history.HistoryTable;
import dev.tidemark.internal.jdbc.ConnectionSource;
import dev.tidemark.internal.jdbc.DatabaseUrl;
import dev.tidemark.internal.lock.AdvisoryLock;
import dev.tidemark.internal.source.MigrationSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.Locale;

/**
 * Where a no-op fleet target's time goes, part by part, over {@code tenants} targets one after the other (the
 * parts {@link FleetCheck}'s no-op run used to pay per target before the folder scan and the connection were shared).
 * Uses Tidemark's internal classes, as the parts are not public.
 */
final class FleetProfile {

    private FleetProfile() {
    }

    static void run(String url, Path folder, int tenants) throws Exception {
        String location = folder.toString();
        ClassLoader loader = FleetProfile.class.getClassLoader();
        ConnectionSource connections = ConnectionSource.of(DatabaseUrl.parse(url), null, null, Duration.ZERO);
        for (int round = 0; round < 2; round++) { // the first round warms up the JIT and the server's caches
            boolean report = round == 1;
            long start = System.nanoTime();
            for (int i = 0; i < tenants; i++) {
                new MigrationSource(location, loader).scan();
            }
            print(report, "folder scan and hash", start, tenants);
            start = System.nanoTime();
            for (int i = 0; i < tenants; i++) {
                Migrator.builder().url(url).schema(schema(i)).location(location).build();
            }
            print(report, "Migrator.build()", start, tenants);
            start = System.nanoTime();
            for (int i = 0; i < tenants; i++) {
                connections.startingIn(schema(i)).open().close();
            }
            print(report, "new connection (open and close)", start, tenants);
            start = System.nanoTime();
            for (int i = 0; i < tenants; i++) {
                try (Connection c = connections.startingIn(schema(i)).open()) {
                    new HistoryTable(schema(i), HistoryTable.DEFAULT_NAME).read(c);
                }
            }
            print(report, "new connection + history read (a new backend's cold caches)", start, tenants);
            try (Connection c = connections.open()) {
                start = System.nanoTime();
                for (int i = 0; i < tenants; i++) {
                    AdvisoryLock.acquire(c, schema(i), Duration.ofSeconds(10));
                    AdvisoryLock.release(c, schema(i));
                }
                print(report, "lock + unlock, on one connection", start, tenants);
                start = System.nanoTime();
                for (int i = 0; i < tenants; i++) {
                    new HistoryTable(schema(i), HistoryTable.DEFAULT_NAME).read(c);
                }
                print(report, "history read, on one connection", start, tenants);
            }
            start = System.nanoTime();
            for (int i = 0; i < tenants; i++) {
                Migrator.builder().url(url).schema(schema(i)).location(location).build().deploy();
            }
            print(report, "a whole Migrator.deploy() (no-op), as each target did before", start, tenants);
        }
    }

    private static String schema(int i) {
        return String.format(Locale.ROOT, "tenant_%03d", i);
    }

    private static void print(boolean report, String what, long start, int tenants) {
        if (report) {
            double ms = (System.nanoTime() - start) / 1e6;
            System.out.printf(Locale.ROOT, "profile  %-62s %7.0f ms for %d, %5.1f ms each%n", what, ms, tenants,
                    ms / tenants);
        }
    }
}
