package dev.tidemark.internal.schema;

import dev.tidemark.ErrorCode;
import dev.tidemark.SchemaChange;
import dev.tidemark.SchemaDiff;
import dev.tidemark.TidemarkException;
import dev.tidemark.internal.jdbc.ConnectionSource;
import dev.tidemark.internal.jdbc.DatabaseUrl;
import dev.tidemark.internal.jdbc.Session;
import dev.tidemark.internal.source.LocalMigration;
import dev.tidemark.internal.source.MigrationSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Turns the sources of a schema diff (the Migrator's database, another database, a migrations folder, a SQL file,
 * nothing) into schema models, applying folders and files to a shadow database first, and compares two of them.
 */
public final class SchemaSources {

    private static final Logger log = LoggerFactory.getLogger("dev.tidemark");

    /** What a source is; as {@code dev.tidemark.SchemaSource}'s kinds. */
    public enum Kind {
        DATABASE, URL, MIGRATIONS, SQL_FILE, EMPTY
    }

    /**
     * One source, as the public {@code SchemaSource} describes it.
     *
     * @param kind              what it is
     * @param value             the URL, folder or file; null for the Migrator's own database, folder or nothing
     * @param shadowDatabaseUrl the database to apply folders and files in, or null for a temporary one
     * @param text              what it is, for messages (never with a password)
     */
    public record Spec(Kind kind, String value, String shadowDatabaseUrl, String text) {
        @Override
        public String toString() {
            return text;
        }
    }

    private final String schema;
    private final Set<String> excluded;
    private final ConnectionSource connections;
    private final MigrationSource migrations;

    /**
     * @param schema       the target schema
     * @param historyTable the history table, left out of every model
     * @param connections  the Migrator's database
     * @param migrations   the Migrator's migrations folder
     */
    public SchemaSources(String schema, String historyTable, ConnectionSource connections,
            MigrationSource migrations) {
        this.schema = schema;
        this.excluded = Set.of(historyTable);
        this.connections = connections;
        this.migrations = migrations;
    }

    /** What differs from {@code from} to {@code to}, with the script that takes one to the other. */
    public SchemaDiff diff(Spec from, Spec to) {
        long start = System.nanoTime();
        SchemaModel a = model(from);
        SchemaModel b = model(to);
        List<Change> changes = SchemaDiffer.diff(a, b);
        List<SchemaChange> reported = changes.stream()
                .filter(c -> !c.implied())
                .map(c -> new SchemaChange(SchemaChange.Kind.valueOf(c.kind().name()),
                        SchemaChange.ObjectType.of(c.objectType()), c.object(),
                        c.description(), c.destructive(), c.warning()))
                .toList();
        log.info("Compared {} with {} (schema {}): {} in {} ms", describe(from), describe(to), schema,
                reported.isEmpty() ? "no difference" : reported.size() + " difference(s)",
                Duration.ofNanos(System.nanoTime() - start).toMillis());
        return new SchemaDiff(describe(from), describe(to), reported, DiffScript.summary(changes),
                DiffScript.script(changes));
    }

    /** The source's schema as stable, readable text. */
    public String render(Spec source) {
        return SchemaRenderer.render(model(source));
    }

    /** The schema a source holds or builds. */
    public SchemaModel model(Spec source) {
        switch (source.kind()) {
            case EMPTY:
                return SchemaModel.empty(schema);
            case DATABASE:
                try (Session session = Session.open(connections)) {
                    return new SchemaIntrospector(schema, excluded).read(session.connection());
                }
            case URL: {
                DatabaseUrl url = DatabaseUrl.parse(source.value());
                ConnectionSource other = ConnectionSource.of(url, null, null, Duration.ZERO);
                try (Connection connection = other.open()) {
                    return new SchemaIntrospector(url.schema() != null ? url.schema() : schema, excluded)
                            .read(connection);
                } catch (SQLException e) {
                    throw new TidemarkException(ErrorCode.DATABASE_ERROR, "Could not read " + source + ": "
                            + other.mask(e.getMessage()) + ".", e);
                }
            }
            default:
                break;
        }
        List<LocalMigration> scripts = source.kind() == Kind.MIGRATIONS ? folder(source) : List.of(file(source));
        try (ShadowDatabase shadow = source.shadowDatabaseUrl() != null
                ? ShadowDatabase.given(ConnectionSource.of(DatabaseUrl.parse(source.shadowDatabaseUrl()), null, null,
                        Duration.ZERO), schema)
                : ShadowDatabase.create(connections, schema)) {
            return shadow.apply(scripts, excluded);
        }
    }

    private List<LocalMigration> folder(Spec source) {
        if (source.value() == null) {
            return migrations.scan();
        }
        ClassLoader loader = Thread.currentThread().getContextClassLoader() != null
                ? Thread.currentThread().getContextClassLoader() : SchemaSources.class.getClassLoader();
        return new MigrationSource(source.value(), loader).scan();
    }

    private static LocalMigration file(Spec source) {
        Path file = Path.of(source.value());
        try {
            byte[] bytes = Files.readAllBytes(file);
            return new LocalMigration(file.getFileName().toString(), file.toString(),
                    new String(bytes, StandardCharsets.UTF_8), "", false);
        } catch (IOException e) {
            throw new TidemarkException(ErrorCode.CONFIGURATION_INVALID, "Could not read the schema file "
                    + file + ": " + e + ". Give the path of a SQL file describing the desired schema.", e);
        }
    }

    /** A source for messages: the Migrator's database and folder named in full. */
    public String describe(Spec source) {
        return switch (source.kind()) {
            case DATABASE -> "the database " + connections.description();
            case MIGRATIONS -> "the migrations in " + (source.value() == null ? migrations.location()
                    : source.value());
            default -> source.toString();
        };
    }
}
