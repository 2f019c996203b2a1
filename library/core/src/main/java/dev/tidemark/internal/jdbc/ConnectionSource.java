package dev.tidemark.internal.jdbc;

import dev.tidemark.ErrorCode;
import dev.tidemark.Redaction;
import dev.tidemark.TidemarkException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import javax.sql.DataSource;

/**
 * Opens the one connection a command uses, from a {@link DataSource} or a {@link DatabaseUrl}, and turns connection
 * failures into one clear paragraph. While the database is unreachable it retries with backoff for up to the
 * configured wait (the usual race of an init container starting before its database).
 */
public final class ConnectionSource {

    private static final Logger log = LoggerFactory.getLogger("dev.tidemark");

    private final DataSource dataSource;
    private final DatabaseUrl url;
    private final String user;
    private final String password;
    private final Duration connectWait;
    private final String description;
    private final String startupSearchPath;

    private ConnectionSource(DataSource dataSource, DatabaseUrl url, String user, String password,
            Duration connectWait, String description) {
        this(dataSource, url, user, password, connectWait, description, null);
    }

    private ConnectionSource(DataSource dataSource, DatabaseUrl url, String user, String password,
            Duration connectWait, String description, String startupSearchPath) {
        this.startupSearchPath = startupSearchPath;
        this.dataSource = dataSource;
        this.url = url;
        this.user = user;
        this.password = password;
        this.connectWait = connectWait;
        this.description = description;
    }

    public static ConnectionSource of(DataSource dataSource, Duration connectWait) {
        return new ConnectionSource(dataSource, null, null, null, connectWait, "the configured DataSource");
    }

    /** {@code user} and {@code password}, when not null, override what the URL says. */
    public static ConnectionSource of(DatabaseUrl url, String user, String password, Duration connectWait) {
        Properties props = url.properties();
        String effectiveUser = user != null ? user : props.getProperty("user");
        String effectivePassword = password != null ? password : props.getProperty("password");
        String where = url.toString();
        if (user != null) {
            int at = where.indexOf('@');
            where = user + "@" + (at < 0 ? where : where.substring(at + 1));
        }
        return new ConnectionSource(null, url, effectiveUser, effectivePassword, connectWait, where);
    }

    /**
     * Connections to another database on the same server with the same credentials, for the shadow databases of
     * schema diffs. Only for URLs: a DataSource does not reveal its credentials.
     */
    public ConnectionSource forDatabase(String database) {
        if (url != null) {
            String jdbc = url.jdbcUrl();
            int hostStart = jdbc.indexOf("//") + 2;
            int slash = jdbc.indexOf('/', hostStart);
            int query = jdbc.indexOf('?', hostStart);
            String hosts = jdbc.substring(hostStart, slash < 0 ? (query < 0 ? jdbc.length() : query) : slash);
            String rest = query < 0 ? "" : jdbc.substring(query);
            String sibling = "jdbc:postgresql://" + hosts + "/" + database + rest;
            return of(DatabaseUrl.parse(sibling), user, password, Duration.ZERO);
        }
        throw new TidemarkException(ErrorCode.CONFIGURATION_INVALID, "Cannot open a second database beside "
                + description + ": a DataSource does not reveal its host and credentials to Tidemark. Give a"
                + " shadow database URL, or configure a URL instead of a DataSource.");
    }

    /**
     * Connections opened from a URL start with {@code search_path} set to this schema, a startup setting that a
     * migration's {@code RESET ALL} or {@code RESET search_path} returns to (a DataSource's connections cannot get one;
     * Tidemark sets the search_path on them explicitly). A {@code currentSchema} in the URL wins.
     */
    public ConnectionSource startingIn(String schema) {
        return new ConnectionSource(dataSource, url, user, password, connectWait, description,
                "\"" + schema.replace("\"", "\"\"") + "\"");
    }

    /**
     * What makes two sources' connections interchangeable apart from their startup search_path: the URL, its
     * properties and the credentials; null for a DataSource (its connections are its own to share). Equal keys let a
     * fleet worker run several targets' no-op checks on one connection.
     */
    public Object sharingKey() {
        return url == null ? null : java.util.Arrays.asList(url.jdbcUrl(), url.properties(), user, password);
    }

    /** Where we connect, without secrets: {@code user@host:port/db}. */
    public String description() {
        return description;
    }

    public Connection open() {
        long deadline = System.nanoTime() + connectWait.toNanos();
        long backoffMillis = 250;
        int attempt = 1;
        while (true) {
            try {
                return connect();
            } catch (SQLException e) {
                TidemarkException failure = translate(e);
                long remaining = deadline - System.nanoTime();
                if (failure.code() != ErrorCode.DATABASE_UNREACHABLE || remaining <= 0) {
                    throw failure;
                }
                long sleep = Math.min(backoffMillis, remaining / 1_000_000 + 1);
                log.info("Database {} not reachable yet (attempt {}: {}); retrying in {} ms", description, attempt,
                        mask(e.getMessage()), sleep);
                try {
                    Thread.sleep(sleep);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw failure;
                }
                backoffMillis = Math.min(backoffMillis * 2, 5_000);
                attempt++;
            }
        }
    }

    private Connection connect() throws SQLException {
        if (dataSource != null) {
            return dataSource.getConnection();
        }
        Properties props = url.properties();
        props.remove("user");
        props.remove("password");
        if (user != null) {
            props.setProperty("user", user);
        }
        if (password != null) {
            props.setProperty("password", password);
        }
        props.putIfAbsent("ApplicationName", "tidemark");
        if (startupSearchPath != null) {
            props.putIfAbsent("currentSchema", startupSearchPath);
        }
        // Lets the driver put its session settings into the startup packet instead of extra round trips.
        props.putIfAbsent("assumeMinServerVersion", "12");
        Connection connection = new org.postgresql.Driver().connect(url.jdbcUrl(), props);
        if (connection == null) {
            throw new TidemarkException(ErrorCode.CONFIGURATION_INVALID, "The PostgreSQL driver did not accept"
                    + " the URL for " + description + ". Use jdbc:postgresql://HOST:PORT/DATABASE.");
        }
        return connection;
    }

    private TidemarkException translate(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String message = mask(e.getMessage());
        String unknownHost = unknownHost(e);
        if (unknownHost != null) {
            // Still DATABASE_UNREACHABLE, so --wait-for-db retries: in a cluster the name appears with its Service.
            return new TidemarkException(ErrorCode.DATABASE_UNREACHABLE, "Could not connect to the database "
                    + description + ": the host '" + unknownHost + "' could not be resolved. Check the host name in"
                    + " the database URL (a typo, or a name only resolvable inside the cluster or network the"
                    + " database is in); if its DNS entry is still being created, allow a wait for it.", e);
        }
        if (asksForMissingPassword(state, e)) {
            return new TidemarkException(ErrorCode.AUTHENTICATION_FAILED, "The database " + description
                    + " asks for a password, and none was given: " + message + ". Put the password in the URL"
                    + " (postgresql://USER:PASSWORD@HOST:5432/DB, percent-encoded; in a jdbc: URL ?password=)"
                    + " or set it separately (CLI: in DATABASE_URL; builder password(...); Spring tidemark.password"
                    + " or spring.datasource.password).", e);
        }
        return switch (state) {
            case "28P01", "28000" -> new TidemarkException(ErrorCode.AUTHENTICATION_FAILED, "The database "
                    + description + " refused the login: " + message + ". Check the user name and password in the"
                    + " database URL or settings; in a postgresql:// URL, percent-encode special characters of the"
                    + " password (for example @ as %40).", e);
            case "3D000" -> new TidemarkException(ErrorCode.DATABASE_NOT_FOUND, "The database in " + description
                    + " does not exist: " + message + ". Create it first (CREATE DATABASE), or fix the database name"
                    + " in the URL.", e);
            case "08001", "08004", "08006", "57P03", "53300" -> new TidemarkException(ErrorCode.DATABASE_UNREACHABLE,
                    "Could not connect to the database " + description + ": " + message + ". Check that PostgreSQL"
                    + " is running and reachable from here and that the host and port are right. If the database"
                    + " is still starting (an init container racing it), allow a wait for it to come up.", e);
            default -> new TidemarkException(ErrorCode.DATABASE_ERROR, "Could not open a connection to "
                    + description + ": " + message + (state.isEmpty() ? "" : " (SQLSTATE " + state + ")") + ".", e);
        };
    }

    /** The host name whose lookup failed, if that is why the connection failed. */
    private static String unknownHost(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof UnknownHostException) {
                String host = t.getMessage();
                int colon = host == null ? -1 : host.indexOf(':');
                return host == null ? "?" : colon < 0 ? host : host.substring(0, colon);
            }
        }
        return null;
    }

    /**
     * pgjdbc reports "the server requested ... authentication, but no password was provided" as 08004 (connection
     * rejected), which would otherwise read as "unreachable" and be retried. The SQLSTATE is shared with other
     * rejections (SSL not supported), and the text may be translated, so a missing password of our own is the test,
     * with the text as a second hint for a DataSource.
     */
    private boolean asksForMissingPassword(String state, SQLException e) {
        if (!"08004".equals(state)) {
            return false;
        }
        String text = e.getMessage() == null ? "" : e.getMessage().toLowerCase(java.util.Locale.ROOT);
        if (text.contains("no password")) {
            return true;
        }
        return url != null && (password == null || password.isEmpty()) && text.contains("authentication");
    }

    /**
     * Removes the password from any driver message, in case a driver or proxy echoes it, and the final period, since
     * the message is embedded in a sentence of ours.
     */
    public String mask(String message) {
        if (message == null) {
            return "";
        }
        message = message.strip();
        while (message.endsWith(".")) {
            message = message.substring(0, message.length() - 1);
        }
        String masked = Redaction.maskSecrets(message);
        if (password != null && password.length() >= 3) {
            masked = masked.replace(password, "****");
        }
        return masked;
    }
}
