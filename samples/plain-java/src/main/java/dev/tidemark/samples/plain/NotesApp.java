package dev.tidemark.samples.plain;

import dev.tidemark.DeployResult;
import dev.tidemark.Migrator;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Properties;

/**
 * A small application that migrates its database at boot, then uses the tables the migrations created.
 *
 * <p>The database comes from {@code DATABASE_URL} (Prisma's form), by default the local PostgreSQL, schema
 * {@code tidemark_sample}.
 */
public final class NotesApp {

    static final String DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/postgres?schema=tidemark_sample";

    private NotesApp() {
    }

    public static void main(String[] args) throws SQLException {
        String url = System.getenv().getOrDefault("DATABASE_URL", DEFAULT_URL);
        Migrator migrator = Migrator.builder().url(url).location("classpath:db/migrations").build();
        DeployResult result = migrator.deploy();
        System.out.printf("Migrations: %d applied now, %d already applied%n", result.applied().size(),
                result.alreadyApplied());
        System.out.printf("Notes so far: %d%n", run(url, migrator.schema(), args.length > 0 ? args[0] : "Hello"));
    }

    /** Adds a note, prints the latest ones and returns how many there are. */
    static long run(String url, String schema, String title) throws SQLException {
        try (Connection connection = connect(url)) {
            connection.createStatement().execute("SET search_path TO \"" + schema + "\"");
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO note (title, kind) VALUES (?, 'TODO'::\"NoteKind\") RETURNING id")) {
                insert.setString(1, title);
                try (ResultSet rs = insert.executeQuery()) {
                    rs.next();
                    long id = rs.getLong(1);
                    try (PreparedStatement tag = connection.prepareStatement(
                            "INSERT INTO note_tag (note_id, tag) VALUES (?, 'sample')")) {
                        tag.setLong(1, id);
                        tag.executeUpdate();
                    }
                }
            }
            try (ResultSet rs = connection.createStatement().executeQuery(
                    "SELECT n.id, n.title, n.kind, count(t.tag) FROM note n LEFT JOIN note_tag t ON t.note_id = n.id"
                            + " GROUP BY n.id ORDER BY n.id DESC LIMIT 3")) {
                while (rs.next()) {
                    System.out.printf("  #%d %s [%s, %d tag(s)]%n", rs.getLong(1), rs.getString(2), rs.getString(3),
                            rs.getLong(4));
                }
            }
            try (ResultSet rs = connection.createStatement().executeQuery("SELECT count(*) FROM note")) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Opens a plain JDBC connection from a postgresql:// URL, as the application's own data access would. */
    static Connection connect(String url) throws SQLException {
        if (url.startsWith("jdbc:")) {
            return DriverManager.getConnection(url);
        }
        java.net.URI uri = java.net.URI.create(url.replaceFirst("^postgres(ql)?://", "postgresql://"));
        Properties props = new Properties();
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            props.setProperty("user", java.net.URLDecoder.decode(parts[0], java.nio.charset.StandardCharsets.UTF_8));
            if (parts.length > 1) {
                props.setProperty("password",
                        java.net.URLDecoder.decode(parts[1], java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        int port = uri.getPort() < 0 ? 5432 : uri.getPort();
        return DriverManager.getConnection("jdbc:postgresql://" + uri.getHost() + ":" + port + uri.getPath(), props);
    }
}
