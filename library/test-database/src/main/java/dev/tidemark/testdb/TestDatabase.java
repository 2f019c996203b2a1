package dev.tidemark.testdb;

import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * A freshly created, uniquely named PostgreSQL database for one test class, dropped on {@link #close()}.
 *
 * <p>The server is chosen once per JVM: {@code TIDEMARK_TEST_DATABASE_URL} if set (a JDBC or
 * {@code postgresql://} URL of a database whose user may create databases); else a Testcontainers PostgreSQL when
 * Testcontainers 2 is on the class path (it is an optional dependency) and Docker is available; else the local server
 * at {@code 127.0.0.1:5432}, user {@code postgres}.
 */
public final class TestDatabase implements AutoCloseable {

    public static final String URL_VARIABLE = "TIDEMARK_TEST_DATABASE_URL";

    private static final Logger log = LoggerFactory.getLogger(TestDatabase.class);
    private static Server server;

    private final Server on;
    private final String name;

    private TestDatabase(Server on, String name) {
        this.on = on;
        this.name = name;
    }

    /** Creates a new empty database named after {@code prefix} plus a random suffix. */
    public static TestDatabase create(String prefix) {
        Server on = server();
        String name = uniqueName(prefix);
        on.execute("CREATE DATABASE \"" + name + "\"");
        return new TestDatabase(on, name);
    }

    private static String uniqueName(String prefix) {
        String name = ("tm_" + prefix.replaceAll("[^A-Za-z0-9]", "_") + "_"
                + UUID.randomUUID().toString().substring(0, 8)).toLowerCase(Locale.ROOT);
        return name.length() > 63 ? name.substring(name.length() - 63) : name;
    }

    /**
     * Creates a new database as a copy of this one ({@code CREATE DATABASE ... TEMPLATE}), dropped on its own
     * {@link #close()}. Copying is a file copy on the server, far cheaper than migrating again; nobody may be connected
     * to this database meanwhile, so a session still closing is waited for briefly.
     */
    public TestDatabase copy(String prefix) {
        String copy = uniqueName(prefix);
        String sql = "CREATE DATABASE \"" + copy + "\" TEMPLATE \"" + name + "\"";
        for (int attempt = 1; ; attempt++) {
            try {
                on.execute(sql);
                return new TestDatabase(on, copy);
            } catch (IllegalStateException e) {
                // 55006: the template still has a session, usually one whose backend is just exiting.
                if (attempt == 50 || !(e.getCause() instanceof SQLException cause)
                        || !"55006".equals(cause.getSQLState())) {
                    throw e;
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** Creates a new empty database named after the calling test class. */
    public static TestDatabase create(Class<?> testClass) {
        return create(testClass.getSimpleName());
    }

    /** Describes which server the tests run against, for test output. */
    public static String serverDescription() {
        return server().description;
    }

    public String name() {
        return name;
    }

    /** A JDBC URL for this database, without credentials. */
    public String jdbcUrl() {
        return "jdbc:postgresql://" + on.hostPort + "/" + name;
    }

    /** A libpq/Prisma URL, with credentials, for this database. */
    public String postgresUrl() {
        // percent-encoded: Tidemark refuses a URL whose password holds an unencoded @ : / ? or %
        String auth = encode(on.user) + (on.password == null || on.password.isEmpty() ? "" : ":"
                + encode(on.password));
        return "postgresql://" + auth + "@" + on.hostPort + "/" + name;
    }

    public String host() {
        return on.hostPort.substring(0, on.hostPort.lastIndexOf(':'));
    }

    public int port() {
        return Integer.parseInt(on.hostPort.substring(on.hostPort.lastIndexOf(':') + 1));
    }

    public String user() {
        return on.user;
    }

    public String password() {
        return on.password;
    }

    public DataSource dataSource() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(jdbcUrl());
        dataSource.setUser(on.user);
        dataSource.setPassword(on.password);
        return dataSource;
    }

    public Connection connect() throws SQLException {
        return dataSource().getConnection();
    }

    /** Drops the database, ending any session still connected to it. */
    @Override
    public void close() {
        on.execute("DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
    }

    private static synchronized Server server() {
        if (server == null) {
            server = chooseServer();
            log.info("Test databases are created on {}", server.description);
        }
        return server;
    }

    private static Server chooseServer() {
        String configured = System.getenv(URL_VARIABLE);
        if (configured != null && !configured.isBlank()) {
            return Server.fromUrl(configured.strip(), URL_VARIABLE);
        }
        if (dockerAvailable()) {
            Containers.Started container = Containers.startPostgres("postgres:16-alpine");
            return new Server(container.hostPort(), container.database(), container.user(), container.password(),
                    "Testcontainers " + container.image());
        }
        return new Server("127.0.0.1:5432", "postgres", "postgres", null, "the local server 127.0.0.1:5432");
    }

    /**
     * Whether Testcontainers 2 is on the class path and a Docker engine answers; false, quietly, on machines with
     * only the Docker client, and without loading any Testcontainers class when it is absent.
     */
    public static boolean dockerAvailable() {
        if (System.getenv("DOCKER_HOST") == null && !new java.io.File("/var/run/docker.sock").exists()) {
            return false;
        }
        if (!Containers.present(TestDatabase.class.getClassLoader())) {
            return false;
        }
        try {
            return Containers.dockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    private static final class Server {
        final String hostPort;
        final String adminDatabase;
        final String user;
        final String password;
        final String description;

        Server(String hostPort, String adminDatabase, String user, String password, String description) {
            this.hostPort = hostPort;
            this.adminDatabase = adminDatabase;
            this.user = user;
            this.password = password;
            this.description = description;
        }

        static Server fromUrl(String url, String variable) {
            String plain = url.startsWith("jdbc:") ? url.substring(5) : url;
            URI uri = URI.create(plain.replaceFirst("^postgres(ql)?://", "postgresql://"));
            String user = "postgres";
            String password = null;
            if (uri.getRawUserInfo() != null) {
                String[] parts = uri.getRawUserInfo().split(":", 2);
                user = decode(parts[0]);
                password = parts.length > 1 ? decode(parts[1]) : null;
            }
            if (uri.getRawQuery() != null) {
                for (String pair : uri.getRawQuery().split("&")) {
                    String[] kv = pair.split("=", 2);
                    if (kv[0].equals("user")) {
                        user = decode(kv[1]);
                    } else if (kv[0].equals("password")) {
                        password = decode(kv[1]);
                    }
                }
            }
            String database = uri.getPath() == null || uri.getPath().length() <= 1 ? "postgres"
                    : uri.getPath().substring(1);
            int port = uri.getPort() < 0 ? 5432 : uri.getPort();
            return new Server(uri.getHost() + ":" + port, database, user, password,
                    variable + " (" + user + "@" + uri.getHost() + ":" + port + ")");
        }

        void execute(String sql) {
            Properties props = new Properties();
            props.setProperty("user", user);
            if (password != null) {
                props.setProperty("password", password);
            }
            try (Connection connection = DriverManager.getConnection(
                    "jdbc:postgresql://" + hostPort + "/" + adminDatabase, props);
                    Statement statement = connection.createStatement()) {
                statement.execute(sql);
            } catch (SQLException e) {
                throw new IllegalStateException("Test database setup failed on " + description + " (" + sql + "): "
                        + e.getMessage() + ". Start PostgreSQL locally or set " + URL_VARIABLE + ".", e);
            }
        }

        private static String decode(String s) {
            return java.net.URLDecoder.decode(s, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private static String encode(String part) {
        return java.net.URLEncoder.encode(part, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }
}
