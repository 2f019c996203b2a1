package dev.tidemark.internal.jdbc;

import dev.tidemark.ErrorCode;
import dev.tidemark.TidemarkException;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * A database URL in either of the forms users have at hand: JDBC ({@code jdbc:postgresql://host/db?user=...}) or
 * libpq/Prisma ({@code postgresql://user:pass@host:5432/db?schema=public&sslmode=require}, percent-encoded).
 *
 * <p>The password is moved out of the URL into the connection properties, so the URL itself can be printed;
 * {@link #toString()} never shows it.
 */
public final class DatabaseUrl {

    /** Prisma's own connection parameters: meaningful to Prisma's pool, not to a JDBC driver. */
    private static final java.util.Set<String> PRISMA_ONLY = java.util.Set.of("connection_limit", "pool_timeout",
            "pgbouncer", "statement_cache_size", "sslaccept", "sslidentity", "schema");

    private final String jdbcUrl;
    private final Properties properties;
    private final String schema;
    private final String description;

    private DatabaseUrl(String jdbcUrl, Properties properties, String schema, String description) {
        this.jdbcUrl = jdbcUrl;
        this.properties = properties;
        this.schema = schema;
        this.description = description;
    }

    public static DatabaseUrl parse(String url) {
        if (url == null || url.isBlank()) {
            throw invalid("is empty");
        }
        String trimmed = url.strip();
        if (trimmed.startsWith("jdbc:postgresql:")) {
            return parseJdbc(trimmed);
        }
        if (trimmed.startsWith("postgresql://") || trimmed.startsWith("postgres://")) {
            return parseLibpq(trimmed);
        }
        throw invalid("must start with postgresql://, postgres:// or jdbc:postgresql:// (got '"
                + mask(trimmed) + "')");
    }

    private static DatabaseUrl parseJdbc(String url) {
        int q = url.indexOf('?');
        String base = q < 0 ? url : url.substring(0, q);
        Map<String, String> params = q < 0 ? Map.of() : query(url.substring(q + 1));
        Properties props = new Properties();
        StringBuilder kept = new StringBuilder(base);
        char sep = '?';
        for (Map.Entry<String, String> p : params.entrySet()) {
            String key = p.getKey();
            if (key.equals("password") || key.equals("user")) {
                props.setProperty(key, p.getValue());
                continue;
            }
            kept.append(sep).append(key).append('=').append(encode(p.getValue()));
            sep = '&';
        }
        String schema = params.get("currentSchema");
        if (schema != null && schema.contains(",")) {
            schema = schema.substring(0, schema.indexOf(',')).strip();
        }
        String rest = base.substring("jdbc:postgresql:".length());
        String where = rest.startsWith("//") ? rest.substring(2) : rest;
        String user = props.getProperty("user");
        return new DatabaseUrl(kept.toString(), props, schema, (user == null ? "" : user + "@") + where);
    }

    private static DatabaseUrl parseLibpq(String url) {
        String rest = url.substring(url.indexOf("://") + 3);
        int q = rest.indexOf('?');
        Map<String, String> params = q < 0 ? Map.of() : query(rest.substring(q + 1));
        if (q >= 0) {
            rest = rest.substring(0, q);
        }
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        String database = slash < 0 ? "" : decode(rest.substring(slash + 1));
        String user = null;
        String password = null;
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            String userInfo = authority.substring(0, at);
            authority = authority.substring(at + 1);
            int colon = userInfo.indexOf(':');
            user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
            password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
        }
        if (params.containsKey("user")) {
            user = params.get("user");
        }
        if (params.containsKey("password")) {
            password = params.get("password");
        }
        String hosts = authority.isEmpty() ? "localhost" : authority;
        if (params.containsKey("host") && !params.get("host").startsWith("/")) {
            hosts = params.get("host") + (params.containsKey("port") ? ":" + params.get("port") : "");
        } else if (params.containsKey("host")) {
            throw invalid("uses a Unix socket (host=" + params.get("host") + "), which the JDBC driver cannot open;"
                    + " connect over TCP instead, for example postgresql://user@127.0.0.1:5432/db");
        }
        if (database.isEmpty()) {
            database = params.getOrDefault("dbname", user == null ? "postgres" : user);
        }
        Properties props = new Properties();
        if (user != null) {
            props.setProperty("user", user);
        }
        if (password != null) {
            props.setProperty("password", password);
        }
        StringBuilder jdbc = new StringBuilder("jdbc:postgresql://").append(hosts).append('/')
                .append(encode(database));
        char sep = '?';
        for (Map.Entry<String, String> p : params.entrySet()) {
            String key = p.getKey();
            if (PRISMA_ONLY.contains(key) || key.equals("user") || key.equals("password") || key.equals("host")
                    || key.equals("port") || key.equals("dbname")) {
                continue;
            }
            String jdbcKey = switch (key) {
                case "application_name" -> "ApplicationName";
                case "connect_timeout" -> "connectTimeout";
                case "socket_timeout" -> "socketTimeout";
                default -> key;
            };
            jdbc.append(sep).append(jdbcKey).append('=').append(encode(p.getValue()));
            sep = '&';
        }
        String description = (user == null ? "" : user + "@") + hosts + "/" + database;
        return new DatabaseUrl(jdbc.toString(), props, params.get("schema"), description);
    }

    /** The JDBC URL, without user or password. */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** A copy of the connection properties (user, password). */
    public Properties properties() {
        Properties copy = new Properties();
        copy.putAll(properties);
        return copy;
    }

    /** The schema the URL names ({@code ?schema=} in Prisma's form, {@code currentSchema} in JDBC's), or null. */
    public String schema() {
        return schema;
    }

    public String user() {
        return properties.getProperty("user");
    }

    /** {@code user@host:port/database}: safe to print. */
    @Override
    public String toString() {
        return description;
    }

    /** Replaces the password of a URL-looking string with {@code ****}, for any text that might hold one. */
    public static String mask(String text) {
        if (text == null) {
            return null;
        }
        String masked = text.replaceAll("(://[^:/@\\s]*:)[^@\\s]*@", "$1****@");
        return masked.replaceAll("(?i)(password=)[^&\\s]*", "$1****");
    }

    private static Map<String, String> query(String query) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            params.put(key, eq < 0 ? "" : decode(pair.substring(eq + 1)));
        }
        return params;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String encode(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static TidemarkException invalid(String why) {
        return new TidemarkException(ErrorCode.CONFIGURATION_INVALID, "The database URL " + why + ". Use"
                + " postgresql://USER:PASSWORD@HOST:5432/DATABASE?schema=public (percent-encode special characters"
                + " in the password) or jdbc:postgresql://HOST:5432/DATABASE.");
    }
}
