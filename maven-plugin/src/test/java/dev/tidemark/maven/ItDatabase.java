package dev.tidemark.maven;

import dev.tidemark.Migrator;
import dev.tidemark.testdb.TestDatabase;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The database of one integration project (src/it): created by its {@code setup.groovy} (the invoker's pre-build
 * hook), checked and dropped by its {@code verify.groovy} (the post-build hook, which the invoker runs even when the
 * build or the pre-build hook failed). The hooks run in the invoking Maven, with this module's test class path.
 *
 * <p>The database is a {@link TestDatabase}: on {@code TIDEMARK_TEST_DATABASE_URL}'s server when set, else on the
 * local server. Its URL reaches the build as the user property {@code tidemark.url}, through the project's
 * {@code test.properties} (which the invoker reads after the pre-build hook); the login reaches a settings.xml
 * server as {@code tidemark.it.user} and {@code tidemark.it.password}.
 */
public final class ItDatabase implements AutoCloseable {

    private static final String KEY = "tidemark.it.database";
    private static final String LOCAL_KEY = "tidemark.it.localDatabase";
    private static final String LOCAL = "jdbc:postgresql://127.0.0.1:5432/";
    /** The password the settings.xml server carries when the test server needs none: it must never be logged. */
    public static final String UNUSED_PASSWORD = "it-Secret-never-logged-7319";

    static {
        // The hooks of each invoker execution run in a class loader of their own, and DriverManager hands out only
        // drivers its caller's loader can see: register this loader's pgjdbc (its Driver does so when loaded).
        try {
            Class.forName("org.postgresql.Driver");
        } catch (ClassNotFoundException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final TestDatabase database;

    private ItDatabase(TestDatabase database) {
        this.database = database;
    }

    /** Creates the project's database and hands its URL to the build; {@code withCredentials=false} leaves the
     * login out of the URL, for a settings.xml server to supply. */
    public static ItDatabase create(File basedir, Map<String, Object> context, boolean withCredentials)
            throws IOException {
        ItDatabase db = new ItDatabase(TestDatabase.create("mvnit_" + basedir.getName()));
        context.put(KEY, db);
        Properties properties = new Properties();
        Path file = basedir.toPath().resolve("test.properties");
        if (Files.isRegularFile(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                properties.load(in);
            }
        }
        properties.setProperty("tidemark.url", withCredentials ? db.database.postgresUrl()
                : "postgresql://" + db.database.host() + ":" + db.database.port() + "/" + db.database.name());
        properties.setProperty("tidemark.it.user", db.database.user());
        String password = db.database.password();
        properties.setProperty("tidemark.it.password", password == null || password.isEmpty() ? UNUSED_PASSWORD
                : password);
        try (OutputStream out = Files.newOutputStream(file)) {
            properties.store(out, "written by setup.groovy (ItDatabase)");
        }
        return db;
    }

    public static ItDatabase create(File basedir, Map<String, Object> context) throws IOException {
        return create(basedir, context, true);
    }

    /**
     * Creates a database of the given name on the local server 127.0.0.1:5432 (user postgres), for a project whose
     * URL is fixed in its invoker.properties; {@link #drop(Map)} drops it.
     */
    public static void createLocal(String name, Map<String, Object> context) throws SQLException {
        try (Connection c = DriverManager.getConnection(LOCAL + "postgres", "postgres", null);
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE \"" + name + "\"");
        }
        context.put(LOCAL_KEY, name);
    }

    /** The database {@link #createLocal} created, as a JDBC connection for checks. */
    public static Connection connectLocal(Map<String, Object> context) throws SQLException {
        return DriverManager.getConnection(LOCAL + context.get(LOCAL_KEY), "postgres", null);
    }

    /** The database setup.groovy created; fails when it created none. */
    public static ItDatabase of(Map<String, Object> context) {
        Object db = context.get(KEY);
        if (db == null) {
            throw new IllegalStateException("setup.groovy created no database (see its output above)");
        }
        return (ItDatabase) db;
    }

    /** Drops the database, if setup.groovy created one: for verify.groovy's finally block. */
    public static void drop(Map<String, Object> context) throws SQLException {
        Object local = context.remove(LOCAL_KEY);
        if (local != null) {
            try (Connection c = DriverManager.getConnection(LOCAL + "postgres", "postgres", null);
                    Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS \"" + local + "\" WITH (FORCE)");
            }
        }
        Object db = context.remove(KEY);
        if (db != null) {
            ((ItDatabase) db).close();
        }
    }

    public String url() {
        return database.postgresUrl();
    }

    public String user() {
        return database.user();
    }

    /** Deploys a migrations folder of the project (set-up: a history the goals then find). */
    public void deploy(File basedir, String folder) {
        Migrator.builder().url(url()).location(new File(basedir, folder).getPath()).build().deploy();
    }

    public void execute(String sql) throws SQLException {
        try (Connection c = database.connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** The first column of every row, as text. */
    public List<String> column(String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = database.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    /** The migrations recorded as applied (finished, not rolled back) in the schema's history, in order. */
    public List<String> applied(String schema) throws SQLException {
        return column("SELECT migration_name FROM \"" + schema + "\"._prisma_migrations WHERE finished_at IS NOT NULL"
                + " AND rolled_back_at IS NULL ORDER BY started_at, migration_name");
    }

    /**
     * Checks that the project's build.log (all of its invocations) holds every text; a failure names the missing
     * text only, not the whole log (the invoker prints the log of a failed project anyway).
     */
    public static void logContains(File basedir, String... texts) throws IOException {
        String log = Files.readString(basedir.toPath().resolve("build.log"));
        for (String text : texts) {
            if (!log.contains(text)) {
                throw new AssertionError("build.log does not contain: " + text);
            }
        }
    }

    /** Checks that the project's build.log never holds the text (a secret: the message does not show it). */
    public static void logLacks(File basedir, String text, String what) throws IOException {
        String log = Files.readString(basedir.toPath().resolve("build.log"));
        if (log.contains(text)) {
            throw new AssertionError("build.log contains " + what);
        }
    }

    /** How many times the project's build.log holds the text. */
    public static int logCount(File basedir, String text) throws IOException {
        String log = Files.readString(basedir.toPath().resolve("build.log"));
        int count = 0;
        for (int i = log.indexOf(text); i >= 0; i = log.indexOf(text, i + text.length())) {
            count++;
        }
        return count;
    }

    @Override
    public void close() {
        database.close();
    }
}
