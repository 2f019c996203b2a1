package dev.tidemark.internal.fleet;

import dev.tidemark.ErrorCode;
import dev.tidemark.FleetTarget;
import dev.tidemark.Redaction;
import dev.tidemark.TidemarkException;
import dev.tidemark.internal.jdbc.ConnectionSource;
import dev.tidemark.internal.jdbc.DatabaseUrl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** Where a fleet's targets come from: a file, a query, or a schema pattern. */
public final class Targets {

    private Targets() {
    }

    /** {@code host:port/database/schema}: the name of a target given only by URL (no user, no password). */
    public static String defaultName(String url, String schema) {
        DatabaseUrl parsed = DatabaseUrl.parse(url);
        String where = parsed.toString();
        int at = where.indexOf('@');
        String effective = schema != null ? schema : parsed.schema() != null ? parsed.schema() : "public";
        return (at >= 0 ? where.substring(at + 1) : where) + "/" + effective;
    }

    /**
     * Reads a targets file: JSON (an array of objects, or an object with a {@code targets} array; fields
     * {@code url}, optional {@code name}, {@code schema}, {@code passwordEnv}) when it starts with {@code [} or
     * <code>{</code>, else one URL per line with {@code #} comments and blank lines ignored.
     */
    public static List<FleetTarget> read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw invalid("Could not read the targets file " + file + ": " + e.getMessage() + ". Give a file with one"
                    + " postgresql:// URL per line, or a JSON array of {\"name\", \"url\", \"schema\"} objects.", e);
        }
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            throw invalid("The targets file " + file + " is YAML, which Tidemark does not read (the core has no YAML"
                    + " parser). Write the same list as JSON (" + file.getFileName().toString()
                    .replaceAll("\\.ya?ml$", ".json") + ": [{\"name\": ..., \"url\": ..., \"schema\": ...}]) or as one"
                    + " URL per line.", null);
        }
        String stripped = text.strip();
        List<FleetTarget> targets = stripped.startsWith("[") || stripped.startsWith("{")
                ? fromJson(file, text) : fromLines(file, text);
        if (targets.isEmpty()) {
            throw invalid("The targets file " + file + " lists no target. Add one postgresql:// URL per line (or JSON"
                    + " objects with a url).", null);
        }
        return unique(targets, "the targets file " + file);
    }

    private static List<FleetTarget> fromLines(Path file, String text) {
        List<FleetTarget> targets = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (!line.startsWith("postgresql://") && !line.startsWith("postgres://")
                    && !line.startsWith("jdbc:postgresql:")) {
                throw invalid(file + ":" + (i + 1) + ": '" + Redaction.maskSecrets(line) + "' is not a database URL."
                        + " Put one postgresql://USER@HOST:5432/DB?schema=S URL per line (# starts a comment).", null);
            }
            try {
                targets.add(FleetTarget.of(line, null));
            } catch (TidemarkException e) {
                throw invalid(file + ":" + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return targets;
    }

    private static List<FleetTarget> fromJson(Path file, String text) {
        Object root;
        try {
            root = new JsonReader(text).read();
        } catch (IllegalArgumentException e) {
            throw invalid("The targets file " + file + " is not valid JSON: " + e.getMessage() + ". Expected"
                    + " [{\"name\": \"acme\", \"url\": \"postgresql://...\", \"schema\": \"tenant_acme\"}, ...].", e);
        }
        if (root instanceof Map<?, ?> map) {
            root = map.get("targets");
        }
        if (!(root instanceof List<?> list)) {
            throw invalid("The targets file " + file + " holds no list of targets. Write a JSON array of objects, or"
                    + " an object with a \"targets\" array.", null);
        }
        List<FleetTarget> targets = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String where = file + ": target " + (i + 1);
            if (!(list.get(i) instanceof Map<?, ?> entry)) {
                throw invalid(where + " is not an object. Write {\"url\": \"postgresql://...\"} for each target.",
                        null);
            }
            String url = string(entry, "url", where);
            if (url == null) {
                throw invalid(where + " has no \"url\". Give each target its database as a postgresql:// URL.", null);
            }
            String schema = string(entry, "schema", where);
            String name = string(entry, "name", where);
            String passwordEnv = string(entry, "passwordEnv", where);
            try {
                targets.add(new FleetTarget(name != null ? name : defaultName(url, schema), url, schema,
                        passwordEnv));
            } catch (TidemarkException e) {
                throw invalid(where + ": " + e.getMessage(), e);
            }
        }
        return targets;
    }

    private static String string(Map<?, ?> entry, String field, String where) {
        Object value = entry.get(field);
        if (value == null || value instanceof String) {
            return (String) value;
        }
        throw invalid(where + ": \"" + field + "\" must be a string.", null);
    }

    /**
     * One target per schema named by the first column of {@code sql}, run on {@code url}'s database, in the order
     * the query returns them.
     */
    public static List<FleetTarget> fromQuery(String url, String sql) {
        return unique(schemas(url, sql, null), "the targets query");
    }

    /** One target per schema of {@code url}'s database whose name matches the glob ({@code *}, {@code ?}). */
    public static List<FleetTarget> matching(String url, String glob) {
        Pattern pattern = glob(glob);
        List<FleetTarget> targets = schemas(url, "SELECT nspname FROM pg_catalog.pg_namespace ORDER BY nspname",
                pattern);
        if (targets.isEmpty()) {
            throw invalid("No schema of " + DatabaseUrl.parse(url) + " matches the pattern '" + glob + "'. Check the"
                    + " pattern (* matches any characters, ? one) and the database.", null);
        }
        return targets;
    }

    static Pattern glob(String glob) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(regex.toString());
    }

    private static List<FleetTarget> schemas(String url, String sql, Pattern filter) {
        DatabaseUrl parsed = DatabaseUrl.parse(url);
        ConnectionSource source = ConnectionSource.of(parsed, null, null, Duration.ZERO);
        List<FleetTarget> targets = new ArrayList<>();
        try (Connection connection = source.open(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            while (rs.next()) {
                String schema = rs.getString(1);
                if (schema != null && (filter == null || filter.matcher(schema).matches())) {
                    targets.add(new FleetTarget(schema, url, schema, null));
                }
            }
        } catch (SQLException e) {
            throw new TidemarkException(ErrorCode.DATABASE_ERROR, "The targets query failed on " + parsed + ": "
                    + source.mask(e.getMessage()) + ". It must return the schema names in its first column, for"
                    + " example select schema_name from information_schema.schemata where schema_name like"
                    + " 'tenant_%'.", e);
        }
        return targets;
    }

    /** The targets given as a list (the API's {@code targets(...)}), each name once. */
    public static List<FleetTarget> given(List<FleetTarget> targets) {
        return unique(targets, "the list of targets");
    }

    private static List<FleetTarget> unique(List<FleetTarget> targets, String where) {
        Map<String, FleetTarget> seen = new HashMap<>();
        for (FleetTarget target : targets) {
            FleetTarget before = seen.putIfAbsent(target.name(), target);
            if (before != null) {
                throw invalid("Two targets of " + where + " have the name " + target.name() + ": " + before + " and "
                        + target + ". Names identify targets in results and shards; give each its own.", null);
            }
        }
        return List.copyOf(targets);
    }

    private static TidemarkException invalid(String message, Throwable cause) {
        return new TidemarkException(ErrorCode.CONFIGURATION_INVALID, message, cause);
    }
}
