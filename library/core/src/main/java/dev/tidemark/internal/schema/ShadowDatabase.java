package dev.tidemark.internal.schema;

import dev.tidemark.ErrorCode;
import dev.tidemark.TidemarkException;
import dev.tidemark.internal.jdbc.ConnectionSource;
import dev.tidemark.internal.source.LocalMigration;
import dev.tidemark.internal.sql.MigrationPlan;
import dev.tidemark.internal.sql.SqlStatement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * A database in which scripts are applied to learn the schema they produce, as Prisma's shadow database: either a
 * temporary one Tidemark creates on the server ({@code CREATE DATABASE}, which needs the CREATEDB privilege) and drops
 * again on {@link #close()}, or one the user gives, whose target schema must be empty and is emptied again afterwards
 * (the schema itself, its owner and grants stay).
 */
public final class ShadowDatabase implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger("dev.tidemark");

    private final ConnectionSource server;
    private final String createdName;
    private final ConnectionSource connections;
    private final String schema;
    private boolean schemaExisted;

    private ShadowDatabase(ConnectionSource server, String createdName, ConnectionSource connections, String schema) {
        this.server = server;
        this.createdName = createdName;
        this.connections = connections;
        this.schema = schema;
    }

    /** Creates a temporary database beside the one {@code server} connects to, with the same credentials. */
    public static ShadowDatabase create(ConnectionSource server, String schema) {
        return create(server, schema, "tidemark_shadow_" + UUID.randomUUID().toString().replace("-", "")
                .substring(0, 12).toLowerCase(Locale.ROOT));
    }

    /** As {@link #create(ConnectionSource, String)}, under the given name (for callers that clean up leftovers). */
    public static ShadowDatabase create(ConnectionSource server, String schema, String name) {
        ConnectionSource connections = server.forDatabase(name); // fails for a DataSource before creating anything
        try (Connection connection = server.open(); Statement statement = connection.createStatement()) {
            if (!connection.getAutoCommit()) {
                connection.setAutoCommit(true);
            }
            statement.execute("CREATE DATABASE " + Sql.quote(name));
        } catch (SQLException e) {
            throw new TidemarkException(ErrorCode.SHADOW_DATABASE_FAILED, "Could not create a temporary shadow"
                    + " database on " + server.description() + " to apply the migrations in: " + server.mask(
                            e.getMessage()) + ". The user needs the CREATEDB privilege (ALTER ROLE ... CREATEDB);"
                    + " otherwise create an empty database yourself and give it as the shadow database URL.", e);
        }
        log.debug("Created the shadow database {} on {}", name, server.description());
        ShadowDatabase shadow = new ShadowDatabase(server, name, connections, schema);
        shadow.schemaExisted = "public".equals(schema);
        return shadow;
    }

    /** Uses a database the user gave; its target schema must hold nothing, and is emptied again on close. */
    public static ShadowDatabase given(ConnectionSource shadow, String schema) {
        ShadowDatabase database = new ShadowDatabase(null, null, shadow, schema);
        try (Connection connection = shadow.open()) {
            SchemaModel model = new SchemaIntrospector(schema, Set.of()).read(connection);
            if (!model.isEmpty()) {
                throw new TidemarkException(ErrorCode.SHADOW_DATABASE_FAILED, "The shadow database "
                        + shadow.description() + " is not empty: schema " + schema + " already holds "
                        + describe(model) + ". Tidemark only uses a shadow database whose schema is empty, so that"
                        + " a wrong URL can never cost data: empty it, or give another database.");
            }
            try (var ps = connection.prepareStatement("SELECT 1 FROM pg_namespace WHERE nspname = ?")) {
                ps.setString(1, schema);
                try (var rs = ps.executeQuery()) {
                    database.schemaExisted = rs.next();
                }
            }
        } catch (SQLException e) {
            throw new TidemarkException(ErrorCode.SHADOW_DATABASE_FAILED, "Could not use the shadow database "
                    + shadow.description() + ": " + shadow.mask(e.getMessage()) + ".", e);
        }
        return database;
    }

    private static String describe(SchemaModel model) {
        return model.tables().size() + " table(s), " + model.views().size() + " view(s), " + model.enums().size()
                + " enum(s), " + model.routines().size() + " routine(s) and other objects";
    }

    /**
     * Applies the scripts in order, each as {@code deploy} would: in one transaction, or statement by statement when
     * it holds statements PostgreSQL refuses in a transaction; then reads the schema they built.
     *
     * @param excludedTables tables to leave out of the model, such as a history table the scripts create
     */
    public SchemaModel apply(List<LocalMigration> scripts, Set<String> excludedTables) {
        try (Connection connection = connections.open(); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(true);
            if (!schemaExisted) {
                statement.execute("CREATE SCHEMA IF NOT EXISTS " + Sql.quote(schema));
            }
            statement.execute("SET search_path TO " + Sql.quote(schema));
            for (LocalMigration script : scripts) {
                apply(connection, statement, script);
            }
            return new SchemaIntrospector(schema, excludedTables).read(connection);
        } catch (SQLException e) {
            throw new TidemarkException(ErrorCode.SHADOW_DATABASE_FAILED, "Could not use the shadow database "
                    + connections.description() + ": " + connections.mask(e.getMessage()) + ".", e);
        }
    }

    /**
     * A connection to the shadow database in autocommit, with the target schema created and on the search path, for
     * callers that apply scripts one at a time ({@link #apply(Connection, LocalMigration)}) and read in between.
     */
    public Connection connect() {
        Connection connection = connections.open();
        try (Statement statement = connection.createStatement()) {
            connection.setAutoCommit(true);
            if (!schemaExisted) {
                statement.execute("CREATE SCHEMA IF NOT EXISTS " + Sql.quote(schema));
            }
            statement.execute("SET search_path TO " + Sql.quote(schema));
            return connection;
        } catch (SQLException e) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // already failing
            }
            throw new TidemarkException(ErrorCode.SHADOW_DATABASE_FAILED, "Could not use the shadow database "
                    + connections.description() + ": " + connections.mask(e.getMessage()) + ".", e);
        }
    }

    /** Applies one script on a connection from {@link #connect()}, as {@link #apply(List, Set)} does. */
    public void apply(Connection connection, LocalMigration script) {
        try (Statement statement = connection.createStatement()) {
            apply(connection, statement, script);
        } catch (SQLException e) {
            throw new TidemarkException(ErrorCode.SHADOW_DATABASE_FAILED, "Could not use the shadow database "
                    + connections.description() + ": " + connections.mask(e.getMessage()) + ".", e);
        }
    }

    /** Masks the shadow database's password in a server message. */
    public String mask(String message) {
        return connections.mask(message);
    }

    /**
     * Runs one script through the plan a deploy makes for it: its units in order, each that holds several statements
     * (or the whole migration) in a transaction; a failure rolls back the unit that failed.
     */
    private void apply(Connection connection, Statement statement, LocalMigration script) throws SQLException {
        MigrationPlan plan = MigrationPlan.of(script, MigrationPlan.serverMajorVersion(connection));
        for (List<SqlStatement> unit : plan.units()) {
            boolean transaction = plan.transactional() || unit.size() > 1;
            connection.setAutoCommit(!transaction);
            for (SqlStatement sql : unit) {
                try {
                    statement.execute(sql.sql());
                } catch (SQLException e) {
                    if (transaction) {
                        connection.rollback();
                    }
                    connection.setAutoCommit(true);
                    throw new TidemarkException(ErrorCode.SHADOW_APPLY_FAILED, script.file() + " failed at line "
                            + sql.line() + " on the shadow database, where Tidemark applies it to learn the schema"
                            + " it builds: " + connections.mask(e.getMessage()) + (e.getSQLState() == null ? ""
                                    : " (SQLSTATE " + e.getSQLState() + ")") + ". The scripts must apply cleanly,"
                            + " in order, to an empty database; fix the script (or the ones before it).", e);
                }
            }
            if (transaction) {
                connection.commit();
            }
            connection.setAutoCommit(true);
        }
    }

    /** A new connection to the shadow database (autocommit, search_path not set). */
    public Connection open() {
        return connections.open();
    }

    /** Drops the temporary database (ending any session left on it), or empties the given one's schema. */
    @Override
    public void close() {
        if (createdName != null) {
            try (Connection connection = server.open(); Statement statement = connection.createStatement()) {
                if (!connection.getAutoCommit()) {
                    connection.setAutoCommit(true);
                }
                statement.execute("DROP DATABASE IF EXISTS " + Sql.quote(createdName) + " WITH (FORCE)");
                log.debug("Dropped the shadow database {}", createdName);
            } catch (SQLException | TidemarkException e) {
                log.warn("Could not drop the shadow database {} on {}: {}. Drop it by hand: DROP DATABASE \"{}\";",
                        createdName, server.description(), e.getMessage(), createdName);
            }
            return;
        }
        try (Connection connection = connections.open(); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(true);
            if (schemaExisted) {
                // keeps the schema with its owner and grants, as reset does
                dev.tidemark.internal.reset.SchemaCleaner.dropAll(connection, schema);
            } else {
                statement.execute("DROP SCHEMA IF EXISTS " + Sql.quote(schema) + " CASCADE");
            }
        } catch (SQLException | TidemarkException e) {
            log.warn("Could not empty schema {} of the shadow database {}: {}. Empty it by hand before the next diff.",
                    schema, connections.description(), e.getMessage());
        }
    }
}
