package dev.tidemark.internal.jdbc;

import dev.tidemark.ErrorCode;
import dev.tidemark.Redaction;
import dev.tidemark.TidemarkException;
import org.postgresql.PGProperty;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * A database URL in either of the forms users have at hand: JDBC ({@code jdbc:postgresql://host/db?user=...}) or
 * libpq/Prisma ({@code postgresql://user:pass@host:5432/db?schema=public&sslmode=require}, percent-encoded).
 *
 * <p>The password is moved out of the URL into the connection properties, so the URL itself can be printed;
 * {@link #toString()} never shows it. A URL that cannot be read one way only (an unencoded {@code @}, {@code /} or
 * {@code %} in the password), an unknown parameter or a bad value is refused with CONFIGURATION_INVALID, showing the
 * URL masked.
 */
public final class DatabaseUrl {

    /** Prisma's own connection parameters: meaningful to Prisma's pool, not to a JDBC driver. */
    private static final Set<String> PRISMA_ONLY = Set.of("connection_limit", "pool_timeout", "pgbouncer",
            "statement_cache_size", "sslaccept", "sslidentity", "schema", "max_connection_lifetime",
            "max_idle_connection_lifetime");
    /** libpq's names that the JDBC driver spells differently. */
    private static final Map<String, String> LIBPQ_TO_JDBC = Map.of("application_name", "ApplicationName",
            "connect_timeout", "connectTimeout", "socket_timeout", "socketTimeout");
    /** Read by Tidemark itself from a postgresql:// URL. */
    private static final Set<String> LIBPQ_OWN = Set.of("user", "password", "host", "port", "dbname");
    /** Prisma's parameters whose values are numbers or booleans, checked here since nothing else reads them. */
    private static final Set<String> PRISMA_INTEGERS = Set.of("connection_limit", "pool_timeout",
            "statement_cache_size", "max_connection_lifetime", "max_idle_connection_lifetime", "port");
    /** The JDBC driver's own connection properties, by name: the parameters a jdbc: URL may carry. */
    private static final Map<String, PGProperty> DRIVER_PROPERTIES = driverProperties();

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
                + Redaction.maskUrl(trimmed) + "')");
    }

    private static DatabaseUrl parseJdbc(String url) {
        int q = url.indexOf('?');
        String base = q < 0 ? url : url.substring(0, q);
        String rest = base.substring("jdbc:postgresql:".length());
        String where = rest.startsWith("//") ? rest.substring(2) : rest;
        if (where.contains("@")) {
            throw invalid(url, "has a user or password before the host, which jdbc: URLs do not take: pass them as"
                    + " parameters (jdbc:postgresql://HOST:5432/DB?user=USER&password=PASSWORD, percent-encoded),"
                    + " or use the postgresql://USER:PASSWORD@HOST:5432/DB form");
        }
        Map<String, String> params = q < 0 ? Map.of() : query(url, url.substring(q + 1));
        checkParameters(url, params, false);
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
        String user = props.getProperty("user");
        return new DatabaseUrl(kept.toString(), props, schema, (user == null ? "" : user + "@") + where);
    }

    private static DatabaseUrl parseLibpq(String url) {
        String rest = url.substring(url.indexOf("://") + 3);
        int q = rest.indexOf('?');
        String beforeQuery = q < 0 ? rest : rest.substring(0, q);
        checkUnambiguous(url, beforeQuery, q < 0 ? "" : rest.substring(q + 1));
        int slash = beforeQuery.indexOf('/');
        String authority = slash < 0 ? beforeQuery : beforeQuery.substring(0, slash);
        checkPorts(url, authority.substring(authority.indexOf('@') + 1));
        Map<String, String> params = q < 0 ? Map.of() : query(url, rest.substring(q + 1));
        checkParameters(url, params, true);
        String database = slash < 0 ? "" : decode(url, "database name", beforeQuery.substring(slash + 1));
        String user = null;
        String password = null;
        int at = authority.indexOf('@');
        if (at >= 0) {
            String userInfo = authority.substring(0, at);
            authority = authority.substring(at + 1);
            int colon = userInfo.indexOf(':');
            user = decode(url, "user name", colon < 0 ? userInfo : userInfo.substring(0, colon));
            password = colon < 0 ? null : decode(url, "password", userInfo.substring(colon + 1));
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
            if (PRISMA_ONLY.contains(key) || LIBPQ_OWN.contains(key)) {
                continue;
            }
            jdbc.append(sep).append(LIBPQ_TO_JDBC.getOrDefault(key, key)).append('=').append(encode(p.getValue()));
            sep = '&';
        }
        String description = (user == null ? "" : user + "@") + hosts + "/" + database;
        return new DatabaseUrl(jdbc.toString(), props, params.get("schema"), description);
    }

    /**
     * Refuses a URL whose password was not percent-encoded where that makes it ambiguous: the user name cannot hold
     * {@code @ : /}, so more than one {@code @}, or an {@code @} after a {@code /}, before the query means a password
     * (or user) holding them. Guessing could connect as the wrong user or print part of the password as the host.
     */
    private static void checkUnambiguous(String url, String beforeQuery, String query) {
        int at = beforeQuery.indexOf('@');
        if (at < 0) {
            int colon = beforeQuery.indexOf(':');
            if (colon >= 0 && query.indexOf('@') >= 0 && query.indexOf('@') < query.indexOf('/')) {
                // postgresql://u:12?34@host/db: the ? of the password started the query
                throw ambiguous(url, "an @ after the ? that looks like the end of a password");
            }
            return;
        }
        if (beforeQuery.indexOf('@', at + 1) >= 0) {
            throw ambiguous(url, "more than one @ before the host");
        }
        int slash = beforeQuery.indexOf('/');
        if (slash >= 0 && slash < at) {
            throw ambiguous(url, "a / before the @ that precedes the host");
        }
    }

    /** Each host's port must be a number; anything else there is most likely the end of an unencoded password. */
    private static void checkPorts(String url, String authority) {
        for (String host : authority.split(",")) {
            int bracket = host.lastIndexOf(']');
            int colon = host.lastIndexOf(':');
            if (colon <= bracket) {
                continue;
            }
            String port = host.substring(colon + 1);
            if (port.isEmpty() || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw ambiguous(url, "a port that is not a number (a ? or # in the password ends the host part"
                        + " early)");
            }
        }
    }

    /**
     * Refuses parameters Tidemark does not know, so that a typo ({@code ?shema=app}) cannot deploy to
     * {@code public}, and values the driver would reject later with a misleading connection error.
     */
    private static void checkParameters(String url, Map<String, String> params, boolean libpq) {
        String previous = null;
        for (Map.Entry<String, String> p : params.entrySet()) {
            String key = p.getKey();
            String value = p.getValue();
            boolean known = libpq
                    ? PRISMA_ONLY.contains(key) || LIBPQ_OWN.contains(key) || LIBPQ_TO_JDBC.containsKey(key)
                            || DRIVER_PROPERTIES.containsKey(key)
                    : DRIVER_PROPERTIES.containsKey(key);
            if (!known) {
                if (previous != null && previous.toLowerCase(Locale.ROOT).endsWith("password")) {
                    // Most likely the rest of a password that holds an unencoded '&': do not print it.
                    String base = url.substring(0, url.indexOf('?'));
                    throw invalid(base + "?...", "has a parameter after " + previous + "= that Tidemark does not"
                            + " know; if the password holds & or =, percent-encode them (%26, %3D)");
                }
                throw invalid(url, "has the parameter '" + key + "', which Tidemark does not know" + suggestion(key,
                        libpq) + ". A misspelt parameter is refused rather than ignored, so that a typo cannot, for"
                        + " example, deploy to the public schema. Accepted: " + accepted(libpq));
            }
            String jdbcKey = libpq ? LIBPQ_TO_JDBC.getOrDefault(key, key) : key;
            checkValue(url, key, value, libpq ? PRISMA_INTEGERS.contains(key) || jdbcKey.equals("connectTimeout")
                    || jdbcKey.equals("socketTimeout") : false, key.equals("pgbouncer"), DRIVER_PROPERTIES.get(jdbcKey));
            previous = key;
        }
    }

    private static void checkValue(String url, String key, String value, boolean integer, boolean bool,
            PGProperty property) {
        String shown = key.toLowerCase(Locale.ROOT).contains("password") ? Redaction.MASK : value;
        if (property != null && property.getChoices() != null && property != PGProperty.REQUIRE_AUTH
                && !List.of(property.getChoices()).contains(value)) {
            throw invalid(url, "has " + key + "=" + shown + ", which is not one of " + String.join(", ",
                    property.getChoices()));
        }
        String defaultValue = property == null ? null : property.getDefaultValue();
        if (integer || defaultValue != null && defaultValue.matches("-?\\d+")) {
            if (!value.strip().matches("-?\\d+")) {
                throw invalid(url, "has " + key + "=" + shown + ", which is not a whole number");
            }
        }
        if (bool || "true".equals(defaultValue) || "false".equals(defaultValue)) {
            if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
                throw invalid(url, "has " + key + "=" + shown + ", which is neither true nor false");
            }
        }
    }

    private static String accepted(boolean libpq) {
        if (libpq) {
            Set<String> names = new TreeSet<>(PRISMA_ONLY);
            names.addAll(LIBPQ_OWN);
            names.addAll(LIBPQ_TO_JDBC.keySet());
            names.addAll(List.of("sslmode", "sslcert", "sslkey", "sslrootcert", "sslpassword", "options"));
            return String.join(", ", names) + ", and the PostgreSQL JDBC driver's connection properties ("
                    + String.join(", ", new TreeSet<>(DRIVER_PROPERTIES.keySet())) + ")";
        }
        return "the PostgreSQL JDBC driver's connection properties: " + String.join(", ",
                new TreeSet<>(DRIVER_PROPERTIES.keySet())) + " (Prisma's ?schema= is currentSchema here)";
    }

    /** " (did you mean 'schema'?)" for a name one or two edits away from a known one, else nothing. */
    private static String suggestion(String key, boolean libpq) {
        List<String> names = new ArrayList<>(DRIVER_PROPERTIES.keySet());
        if (libpq) {
            names.addAll(PRISMA_ONLY);
            names.addAll(LIBPQ_OWN);
            names.addAll(LIBPQ_TO_JDBC.keySet());
        } else if (key.equals("schema")) {
            return " (in a jdbc: URL the schema is currentSchema)";
        }
        Collections.sort(names);
        String best = null;
        int bestDistance = 3;
        for (String name : names) {
            int d = distance(key.toLowerCase(Locale.ROOT), name.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = name;
            }
        }
        return best == null ? "" : " (did you mean '" + best + "'?)";
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private static Map<String, PGProperty> driverProperties() {
        Map<String, PGProperty> byName = new HashMap<>();
        for (PGProperty property : PGProperty.values()) {
            byName.put(property.getName(), property);
        }
        return Collections.unmodifiableMap(byName);
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

    /** Replaces the password of any URL and {@code password=} parameter in the text with {@code ****}. */
    public static String mask(String text) {
        return Redaction.maskSecrets(text);
    }

    private static Map<String, String> query(String url, String query) {
        Map<String, String> params = new LinkedHashMap<>();
        String previous = null;
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            boolean afterPassword = previous != null && previous.toLowerCase(Locale.ROOT).endsWith("password");
            String key = decode(url, afterPassword ? "parameter after " + previous : "parameter name",
                    eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(url, key.toLowerCase(Locale.ROOT).endsWith("password") ? key
                    : "value of " + key, pair.substring(eq + 1));
            params.put(key, value);
            previous = key;
        }
        return params;
    }

    /**
     * Percent-decodes one part of the URL ({@code +} stays a plus, as libpq reads it); a {@code %} not followed by
     * two hex digits is refused, naming the part but never showing it.
     */
    private static String decode(String url, String part, String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '%') {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
                continue;
            }
            int hi = i + 2 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
            int lo = hi < 0 ? -1 : Character.digit(s.charAt(i + 2), 16);
            if (lo < 0) {
                throw invalid(url, "has a % in its " + part + " that is not followed by two hex digits:"
                        + " percent-encode special characters, a literal % as %25 (@ as %40, : as %3A, / as %2F)");
            }
            bytes.write(hi * 16 + lo);
            i += 2;
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static String encode(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static TidemarkException invalid(String why) {
        return new TidemarkException(ErrorCode.CONFIGURATION_INVALID, "The database URL " + why + ". Use"
                + " postgresql://USER:PASSWORD@HOST:5432/DATABASE?schema=public (percent-encode special characters"
                + " in the password) or jdbc:postgresql://HOST:5432/DATABASE.");
    }

    private static TidemarkException invalid(String url, String why) {
        return new TidemarkException(ErrorCode.CONFIGURATION_INVALID, "The database URL " + Redaction.maskUrl(url)
                + " " + why + ".");
    }

    private static TidemarkException ambiguous(String url, String why) {
        return new TidemarkException(ErrorCode.CONFIGURATION_INVALID, "The database URL " + Redaction.maskUrl(url)
                + " is ambiguous: it has " + why + ", so its password (or user name) most likely holds special"
                + " characters that are not percent-encoded. Percent-encode them in the user name and password:"
                + " @ as %40, : as %3A, / as %2F, ? as %3F, # as %23, & as %26, % as %25 (for example"
                + " postgresql://app:p%40ss%2Fword@db:5432/app).");
    }
}
