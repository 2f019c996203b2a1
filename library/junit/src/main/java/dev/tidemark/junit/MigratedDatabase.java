package dev.tidemark.junit;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * A migrated test database handed to a {@link TidemarkTest}: where it is and how to connect to it.
 *
 * @since 0.1
 */
public interface MigratedDatabase {

    /** A DataSource for the database; each {@code getConnection()} opens a new connection. */
    DataSource dataSource();

    /** The JDBC URL, without credentials: {@code jdbc:postgresql://host:port/name}. */
    String jdbcUrl();

    /** The URL in Prisma's and libpq's form, with credentials: for tools such as the Prisma CLI. */
    String postgresUrl();

    String user();

    /** The password, potentially {@code null} (trust authentication). */
    String password();

    /** The database's name. */
    String name();

    /** The migrated schema. */
    String schema();

    /** Opens a new connection. */
    default Connection connect() throws SQLException {
        return dataSource().getConnection();
    }

    /** Restores the freshly migrated state now, for a test that needs a clean database halfway through. */
    void reset();
}
