package dev.tidemark.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The PostgreSQL server under test: {@code TIDEMARK_BENCH_URL} (a JDBC URL of a maintenance database, default
 * {@code jdbc:postgresql://127.0.0.1:5432/postgres}) with {@code TIDEMARK_BENCH_USER} / {@code TIDEMARK_BENCH_PASSWORD}
 * (default {@code postgres}, no password). Every scenario runs on databases it creates and drops.
 */
public final class Server {

    private static final String URL = env("TIDEMARK_BENCH_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
    public static final String USER = env("TIDEMARK_BENCH_USER", "postgres");
    public static final String PASSWORD = env("TIDEMARK_BENCH_PASSWORD", "");

    /** Databases not dropped yet: a benchmark that fails skips its tear-down, so the JVM's exit drops them. */
    private static final Set<String> created = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (String name : created) {
                try {
                    execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
                } catch (RuntimeException ignored) {
                    // the server may be gone; nothing more to do at exit
                }
            }
        }, "tidemark-bench-cleanup"));
    }

    private Server() {
    }

    /** A new, empty, uniquely named database. */
    public static Target createDatabase(String purpose) {
        String name = ("tm_bench_" + purpose + "_" + UUID.randomUUID().toString().substring(0, 8))
                .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        execute("CREATE DATABASE " + name);
        created.add(name);
        return new Target(name, URL.substring(0, URL.lastIndexOf('/') + 1) + name);
    }

    public static void dropDatabase(Target target) {
        execute("DROP DATABASE IF EXISTS " + target.name() + " WITH (FORCE)");
        created.remove(target.name());
    }

    /**
     * Leaves {@code target} as a database whose migrations were applied a while ago, the state a pod start meets:
     * vacuumed and analyzed (the rows just written get their hint bits and statistics), then {@link #checkpoint}. So
     * every tool is measured from the same server state, whichever ran before it. (It does not remove the warm-up
     * trend {@code UpToDate} describes: that is the JVM's.)
     */
    public static void settle(Target target) {
        try (Connection c = connect(target.jdbcUrl()); Statement s = c.createStatement()) {
            s.execute("VACUUM (ANALYZE)");
        } catch (SQLException e) {
            throw new IllegalStateException("Could not vacuum " + target.name() + ": " + e.getMessage(), e);
        }
        checkpoint();
    }

    /**
     * Writes the server's dirty buffers now, so that what an earlier run wrote (a database dropped, a thousand tables
     * created) is not flushed while the next one is timed. Needs the pg_checkpoint role (or a superuser).
     */
    public static void checkpoint() {
        execute("CHECKPOINT");
    }

    /** The maintenance database's URL, where databases are created and dropped. */
    static String maintenanceUrl() {
        return URL;
    }

    public static String version() {
        try (Connection c = connect(URL); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW server_version")) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot reach PostgreSQL at " + URL + ": " + e.getMessage(), e);
        }
    }

    public static Connection connect(String jdbcUrl) throws SQLException {
        return DriverManager.getConnection(jdbcUrl, USER, PASSWORD);
    }

    private static void execute(String sql) {
        try (Connection c = connect(URL); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed on " + URL + ": " + e.getMessage(), e);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isEmpty() ? fallback : value;
    }

    /** One database of a scenario. */
    public record Target(String name, String jdbcUrl) {
    }
}
