package dev.tidemark;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One side of a {@link Migrator#diff(SchemaSource, SchemaSource) schema diff}: a live database, a migrations folder or
 * a desired-state SQL file. Folders and files are applied to a shadow database to learn the schema they build: by
 * default a temporary database that Tidemark creates beside the Migrator's database and drops afterwards (the user
 * needs CREATEDB), or an empty database given with {@link #withShadowDatabase(String)}.
 *
 * @since 0.1
 */
public final class SchemaSource {

    enum Kind {
        DATABASE, URL, MIGRATIONS, SQL_FILE, EMPTY
    }

    private final Kind kind;
    private final String value;
    private final String shadowDatabaseUrl;

    private SchemaSource(Kind kind, String value, String shadowDatabaseUrl) {
        this.kind = kind;
        this.value = value;
        this.shadowDatabaseUrl = shadowDatabaseUrl;
    }

    /** The Migrator's own database and schema, as it is now. */
    public static SchemaSource database() {
        return new SchemaSource(Kind.DATABASE, null, null);
    }

    /**
     * Another live database, as {@code postgresql://user:password@host:5432/db?schema=public} or a JDBC URL; its
     * schema is the URL's {@code schema}, else the Migrator's.
     */
    public static SchemaSource url(String url) {
        return new SchemaSource(Kind.URL, requireText(url, "url"), null);
    }

    /** The Migrator's migrations folder, applied in order to a shadow database. */
    public static SchemaSource migrations() {
        return new SchemaSource(Kind.MIGRATIONS, null, null);
    }

    /** Another migrations folder (a path, or {@code classpath:...}), applied in order to a shadow database. */
    public static SchemaSource migrations(String location) {
        return new SchemaSource(Kind.MIGRATIONS, requireText(location, "location"), null);
    }

    /**
     * A SQL script describing the desired schema (for example a {@code pg_dump --schema-only}), applied to a shadow
     * database.
     */
    public static SchemaSource sqlFile(Path file) {
        Objects.requireNonNull(file, "file");
        return new SchemaSource(Kind.SQL_FILE, file.toString(), null);
    }

    /** An empty schema: diffing from it gives a script that creates everything. */
    public static SchemaSource empty() {
        return new SchemaSource(Kind.EMPTY, null, null);
    }

    /**
     * Reads a source as the CLI's {@code --from}/{@code --to} take it: {@code database} (the Migrator's database),
     * {@code migrations} (its migrations folder), {@code empty}, a URL ({@code postgresql://...},
     * {@code postgres://...}, {@code jdbc:postgresql:...}), {@code migrations:PATH}, {@code file:PATH}, a path ending
     * in {@code .sql} (a desired-state SQL file), or the path of a directory (a migrations folder).
     *
     * @throws TidemarkException with {@link ErrorCode#CONFIGURATION_INVALID} for anything else
     */
    public static SchemaSource parse(String spec) {
        String text = requireText(spec, "specification");
        String lower = text.toLowerCase(java.util.Locale.ROOT);
        if (lower.equals("database")) {
            return database();
        }
        if (lower.equals("migrations")) {
            return migrations();
        }
        if (lower.equals("empty")) {
            return empty();
        }
        if (lower.startsWith("postgresql://") || lower.startsWith("postgres://")
                || lower.startsWith("jdbc:postgresql:")) {
            return url(text);
        }
        if (lower.startsWith("migrations:")) {
            return migrations(text.substring("migrations:".length()));
        }
        if (lower.startsWith("file:")) {
            return sqlFile(Path.of(text.substring("file:".length())));
        }
        if (lower.endsWith(".sql")) {
            return sqlFile(Path.of(text));
        }
        if (java.nio.file.Files.isDirectory(Path.of(text))) {
            return migrations(text);
        }
        throw new TidemarkException(ErrorCode.CONFIGURATION_INVALID, "Cannot tell what schema '"
                + dev.tidemark.internal.jdbc.DatabaseUrl.mask(text) + "' means. Use database, migrations, empty, a"
                + " postgresql:// URL, migrations:PATH for a migrations folder, or a .sql file (file:PATH) holding the"
                + " desired schema.");
    }

    /**
     * Applies a folder or file to this database instead of a temporary one. Its target schema must be empty; it is
     * emptied again afterwards. Ignored for live databases.
     */
    public SchemaSource withShadowDatabase(String url) {
        return new SchemaSource(kind, value, requireText(url, "shadow database url"));
    }

    Kind kind() {
        return kind;
    }

    String value() {
        return value;
    }

    String shadowDatabaseUrl() {
        return shadowDatabaseUrl;
    }

    /** This source for the internals that resolve it. */
    dev.tidemark.internal.schema.SchemaSources.Spec spec() {
        return new dev.tidemark.internal.schema.SchemaSources.Spec(
                dev.tidemark.internal.schema.SchemaSources.Kind.valueOf(kind.name()), value, shadowDatabaseUrl,
                toString());
    }

    /** What this source is, for messages; never shows a password. */
    @Override
    public String toString() {
        return switch (kind) {
            case DATABASE -> "the database";
            case URL -> "the database " + dev.tidemark.internal.jdbc.DatabaseUrl.parse(value);
            case MIGRATIONS -> value == null ? "the migrations" : "the migrations in " + value;
            case SQL_FILE -> "the schema file " + value;
            case EMPTY -> "an empty schema";
        };
    }

    private static String requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new TidemarkException(ErrorCode.CONFIGURATION_INVALID, "The " + what + " of a schema source is"
                    + " empty. Name a database URL, a migrations folder or a SQL file.");
        }
        return value.strip();
    }
}
