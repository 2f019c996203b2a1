package dev.tidemark.internal.plan;

import dev.tidemark.ErrorCode;
import dev.tidemark.TidemarkException;
import dev.tidemark.internal.jdbc.ConnectionSource;
import dev.tidemark.internal.schema.ShadowDatabase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shadow database of one {@code plan --measure} run, named so that a run killed before it could drop it is
 * recognised and dropped by the next one.
 *
 * <p>The name is {@code tidemark_plan_<epoch seconds>_<pid>_<key>}. Before creating it, the run takes the session
 * advisory lock ({@value #LOCK_CLASS}, key) on a connection to the target that it keeps open until the shadow is
 * dropped. A process that dies loses that connection, so the server releases the lock: any {@code tidemark_plan_}
 * database whose key is not locked belongs to a run that is over, and is dropped. Runs going on at the same time, on
 * any host, keep their lock and their database.
 */
final class PlanShadow implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger("dev.tidemark");

    static final String PREFIX = "tidemark_plan_";
    /** The first key of the guard lock; deploy's migration lock is the one-key 72707369, which never collides. */
    static final int LOCK_CLASS = 72707370;
    private static final Pattern NAME = Pattern.compile("tidemark_plan_[0-9]+_[0-9]+_([0-9]+)");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Connection guard;
    private final int key;
    private final ShadowDatabase shadow;
    private final String name;

    private PlanShadow(Connection guard, int key, ShadowDatabase shadow, String name) {
        this.guard = guard;
        this.key = key;
        this.shadow = shadow;
        this.name = name;
    }

    /** Drops the leftovers of runs that are over, then creates this run's shadow database beside the target. */
    static PlanShadow create(ConnectionSource server, String schema) {
        Connection guard = server.open();
        try {
            if (!guard.getAutoCommit()) {
                guard.setAutoCommit(true);
            }
            dropLeftovers(guard, server);
            int key = lockNewKey(guard);
            String name = PREFIX + System.currentTimeMillis() / 1000 + "_" + ProcessHandle.current().pid() + "_" + key;
            ShadowDatabase shadow = ShadowDatabase.create(server, schema, name);
            return new PlanShadow(guard, key, shadow, name);
        } catch (SQLException e) {
            close(guard);
            throw new TidemarkException(ErrorCode.SHADOW_DATABASE_FAILED, "Could not prepare the shadow database of"
                    + " plan --measure on " + server.description() + ": " + server.mask(e.getMessage()) + ".", e);
        } catch (RuntimeException e) {
            close(guard);
            throw e;
        }
    }

    ShadowDatabase database() {
        return shadow;
    }

    String name() {
        return name;
    }

    private static int lockNewKey(Connection guard) throws SQLException {
        try (PreparedStatement ps = guard.prepareStatement("SELECT pg_try_advisory_lock(?, ?)")) {
            while (true) {
                int key = RANDOM.nextInt(Integer.MAX_VALUE);
                ps.setInt(1, LOCK_CLASS);
                ps.setInt(2, key);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        return key;
                    }
                }
            }
        }
    }

    /** The {@code tidemark_plan_} databases whose run no longer holds its guard lock; returns their names. */
    static List<String> leftovers(Connection connection) throws SQLException {
        Set<Long> held = new HashSet<>();
        List<String> leftovers = new ArrayList<>();
        try (Statement statement = connection.createStatement()) {
            try (ResultSet rs = statement.executeQuery("SELECT objid::bigint FROM pg_locks WHERE locktype = 'advisory'"
                    + " AND classid = " + LOCK_CLASS + " AND objsubid = 2 AND granted")) {
                while (rs.next()) {
                    held.add(rs.getLong(1));
                }
            }
            try (ResultSet rs = statement.executeQuery("SELECT datname FROM pg_database WHERE datname LIKE"
                    + " 'tidemark\\_plan\\_%' ORDER BY datname")) {
                while (rs.next()) {
                    Matcher m = NAME.matcher(rs.getString(1));
                    if (m.matches() && !held.contains(Long.parseLong(m.group(1)))) {
                        leftovers.add(rs.getString(1));
                    }
                }
            }
        }
        return leftovers;
    }

    private static void dropLeftovers(Connection guard, ConnectionSource server) throws SQLException {
        for (String leftover : leftovers(guard)) {
            try (Statement statement = guard.createStatement()) {
                statement.execute("DROP DATABASE IF EXISTS \"" + leftover + "\" WITH (FORCE)");
                log.info("Dropped {}, the shadow database of an earlier plan --measure that did not finish", leftover);
            } catch (SQLException e) {
                log.warn("Could not drop {}, the shadow database of an earlier plan --measure that did not finish,"
                        + " on {}: {}. Drop it as its owner: DROP DATABASE \"{}\" WITH (FORCE);", leftover,
                        server.description(), server.mask(e.getMessage()), leftover);
            }
        }
    }

    /** Drops the shadow database, then releases the guard lock. */
    @Override
    public void close() {
        try {
            shadow.close();
        } finally {
            try (PreparedStatement ps = guard.prepareStatement("SELECT pg_advisory_unlock(?, ?)")) {
                ps.setInt(1, LOCK_CLASS);
                ps.setInt(2, key);
                ps.execute();
            } catch (SQLException e) {
                log.debug("Could not release the guard lock of {}: {}", name, e.getMessage());
            }
            close(guard);
        }
    }

    private static void close(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            log.debug("Could not close a connection: {}", e.getMessage());
        }
    }
}
