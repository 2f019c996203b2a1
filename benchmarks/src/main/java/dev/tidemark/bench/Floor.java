package dev.tidemark.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The floor: the least work any tool can do for the same job with plain pgjdbc, and nothing else. It reads and hashes
 * the same Prisma folder, takes the same advisory lock, reads the same history table, and applies each pending
 * migration as one round trip of its whole script plus one history insert, in one transaction per migration.
 * No validation, no error reporting, no logging: a tool cannot go below this.
 */
public final class Floor {

    private static final long LOCK_KEY = 72707369L;
    private static final String HISTORY = "_prisma_migrations";

    private Floor() {
    }

    record Script(String name, String sql, String checksum) {
    }

    /** Applies what is pending; returns how many migrations it applied. */
    public static int deploy(String jdbcUrl, String user, String password, Path folder) throws SQLException {
        List<Script> scripts = scan(folder);
        try (Connection c = connect(jdbcUrl, user, password); Statement s = c.createStatement()) {
            s.execute("SELECT pg_advisory_lock(" + LOCK_KEY + ")");
            try {
                s.execute("CREATE TABLE IF NOT EXISTS " + HISTORY + " (id VARCHAR(36) PRIMARY KEY NOT NULL,"
                        + " checksum VARCHAR(64) NOT NULL, finished_at TIMESTAMPTZ,"
                        + " migration_name VARCHAR(255) NOT NULL, logs TEXT, rolled_back_at TIMESTAMPTZ,"
                        + " started_at TIMESTAMPTZ NOT NULL DEFAULT now(),"
                        + " applied_steps_count INTEGER NOT NULL DEFAULT 0)");
                Set<String> applied = applied(s);
                int count = 0;
                try (PreparedStatement record = c.prepareStatement("INSERT INTO " + HISTORY
                        + " (id, checksum, migration_name, started_at, finished_at, applied_steps_count)"
                        + " VALUES (?, ?, ?, now(), clock_timestamp(), 1)")) {
                    for (Script script : scripts) {
                        if (applied.contains(script.name())) {
                            continue;
                        }
                        c.setAutoCommit(false);
                        s.execute(script.sql());
                        record.setString(1, UUID.randomUUID().toString());
                        record.setString(2, script.checksum());
                        record.setString(3, script.name());
                        record.executeUpdate();
                        c.commit();
                        c.setAutoCommit(true);
                        count++;
                    }
                }
                return count;
            } finally {
                s.execute("SELECT pg_advisory_unlock(" + LOCK_KEY + ")");
            }
        }
    }

    /**
     * Rolls back the newest {@code steps} applied migrations: under the same lock, each one's down.sql in one round
     * trip plus the update of its history row, in one transaction per migration. Returns how many it rolled back.
     */
    public static int rollback(String jdbcUrl, String user, String password, Path folder, int steps)
            throws SQLException {
        try (Connection c = connect(jdbcUrl, user, password); Statement s = c.createStatement()) {
            s.execute("SELECT pg_advisory_lock(" + LOCK_KEY + ")");
            try {
                List<String[]> rows = new ArrayList<>();
                try (ResultSet rs = s.executeQuery("SELECT id, migration_name FROM " + HISTORY
                        + " WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY finished_at DESC"
                        + " LIMIT " + steps)) {
                    while (rs.next()) {
                        rows.add(new String[] {rs.getString(1), rs.getString(2)});
                    }
                }
                try (PreparedStatement mark = c.prepareStatement("UPDATE " + HISTORY
                        + " SET rolled_back_at = clock_timestamp() WHERE id = ?")) {
                    for (String[] row : rows) {
                        String down = Files.readString(folder.resolve(row[1]).resolve("down.sql"),
                                StandardCharsets.UTF_8);
                        c.setAutoCommit(false);
                        s.execute(down);
                        mark.setString(1, row[0]);
                        mark.executeUpdate();
                        c.commit();
                        c.setAutoCommit(true);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return rows.size();
            } finally {
                s.execute("SELECT pg_advisory_unlock(" + LOCK_KEY + ")");
            }
        }
    }

    /** Compares the folder with the history without locking; returns the number of pending migrations. */
    public static int pending(String jdbcUrl, String user, String password, Path folder) throws SQLException {
        List<Script> scripts = scan(folder);
        try (Connection c = connect(jdbcUrl, user, password); Statement s = c.createStatement()) {
            Set<String> applied = applied(s);
            int pending = 0;
            for (Script script : scripts) {
                if (!applied.contains(script.name())) {
                    pending++;
                }
            }
            return pending;
        }
    }

    /**
     * The statement that empties every table but the history in one round trip: the least a test reset can do.
     * DELETE rather than TRUNCATE, because TRUNCATE swaps every table's and index's files, which costs far more on
     * hundreds of small tables.
     */
    public static String deleteAllStatement(Connection c) throws SQLException {
        StringBuilder delete = new StringBuilder();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT quote_ident(tablename) FROM pg_catalog.pg_tables"
                        + " WHERE schemaname = 'public' AND tablename <> '" + HISTORY + "'")) {
            while (rs.next()) {
                delete.append("DELETE FROM ").append(rs.getString(1)).append(";\n");
            }
        }
        return delete.toString();
    }

    private static Set<String> applied(Statement s) throws SQLException {
        Set<String> applied = new HashSet<>();
        try (ResultSet rs = s.executeQuery("SELECT migration_name FROM " + HISTORY
                + " WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL")) {
            while (rs.next()) {
                applied.add(rs.getString(1));
            }
        }
        return applied;
    }

    private static Connection connect(String jdbcUrl, String user, String password) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        if (password != null && !password.isEmpty()) {
            props.setProperty("password", password);
        }
        return new org.postgresql.Driver().connect(jdbcUrl, props);
    }

    static List<Script> scan(Path folder) {
        try (Stream<Path> dirs = Files.list(folder)) {
            List<Script> scripts = new ArrayList<>();
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                byte[] bytes = Files.readAllBytes(dir.resolve("migration.sql"));
                scripts.add(new Script(dir.getFileName().toString(), new String(bytes, StandardCharsets.UTF_8),
                        HexFormat.of().formatHex(sha256.digest(bytes))));
            }
            return scripts;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
