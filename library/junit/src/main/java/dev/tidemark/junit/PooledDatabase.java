package dev.tidemark.junit;

import dev.tidemark.ErrorCode;
import dev.tidemark.FastReset;
import dev.tidemark.TidemarkException;
import dev.tidemark.testdb.TestDatabase;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/** A migrated test database, with the one connection its resets reuse (connecting costs more than resetting). */
final class PooledDatabase implements MigratedDatabase, AutoCloseable {

    static final int LOCK_TIMEOUT_SECONDS = 10;

    private final TestDatabase database;
    private final String schema;
    private final FastReset fastReset;
    private final DataSource dataSource;
    private Connection resetConnection;

    PooledDatabase(TestDatabase database, String schema, FastReset fastReset) {
        this.database = database;
        this.schema = schema;
        this.fastReset = fastReset;
        this.dataSource = database.dataSource();
    }

    @Override
    public DataSource dataSource() {
        return dataSource;
    }

    @Override
    public String jdbcUrl() {
        return database.jdbcUrl();
    }

    @Override
    public String postgresUrl() {
        return database.postgresUrl();
    }

    @Override
    public String user() {
        return database.user();
    }

    @Override
    public String password() {
        return database.password();
    }

    @Override
    public String name() {
        return database.name();
    }

    @Override
    public String schema() {
        return schema;
    }

    @Override
    public synchronized void reset() {
        try {
            if (resetConnection == null || resetConnection.isClosed()) {
                resetConnection = dataSource.getConnection();
                try (Statement statement = resetConnection.createStatement()) {
                    // A test that leaves a transaction open on a table must not hang the next one's reset.
                    statement.execute("SET lock_timeout = '" + LOCK_TIMEOUT_SECONDS + "s'");
                }
            }
        } catch (SQLException e) {
            throw new TidemarkException(ErrorCode.DATABASE_UNREACHABLE, "Could not connect to the test database "
                    + database.name() + " to reset it: " + e.getMessage(), e);
        }
        fastReset.restore(resetConnection);
    }

    @Override
    public synchronized void close() {
        try {
            if (resetConnection != null) {
                resetConnection.close();
            }
        } catch (SQLException ignored) {
            // the database is dropped next, with any session still on it
        } finally {
            database.close();
        }
    }

    @Override
    public String toString() {
        return "migrated test database " + database.name() + " (" + database.jdbcUrl() + ")";
    }
}
