package dev.tidemark.maven;

import dev.tidemark.ErrorCode;
import dev.tidemark.LintMode;
import dev.tidemark.Migrator;
import dev.tidemark.Redaction;
import dev.tidemark.TidemarkException;
import org.apache.maven.model.Resource;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.building.SettingsProblem;
import org.apache.maven.settings.crypto.DefaultSettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What every goal shares: the settings of {@link Migrator.Builder}, one parameter each, named as the Spring Boot
 * starter's properties, with {@code -Dtidemark.*} user properties. A parameter left unset leaves the builder's own
 * default ({@code Migrator.Builder.DEFAULT_*}) in place; nothing here restates a default except the two the plugin
 * descriptor shows ({@code location}, {@code historyTable}), which are the builder's constants.
 *
 * <p>Secrets: the URL's password, {@code password} and a settings.xml server's password are masked in every message
 * and log line the plugin writes. The URL defaults to the environment variable {@value #DATABASE_URL}, read here
 * rather than through a {@code ${env.DATABASE_URL}} default expression, because Maven prints the value of every
 * evaluated parameter with {@code -X}.
 */
abstract class TidemarkMojo extends AbstractMojo {

    /** The environment variable the URL defaults to, as for the CLI and Prisma. */
    static final String DATABASE_URL = "DATABASE_URL";

    /**
     * The database: {@code postgresql://USER:PASSWORD@HOST:5432/DB?schema=public} (Prisma/libpq form,
     * percent-encoded) or {@code jdbc:postgresql://HOST:5432/DB}. Default: the environment variable
     * {@code DATABASE_URL}.
     */
    @Parameter(property = "tidemark.url")
    String url;

    /** The login role, overriding the URL's (and a settings.xml server's). */
    @Parameter(property = "tidemark.user")
    String user;

    /** The password, overriding the URL's (and a settings.xml server's). Never logged; prefer {@code serverId}. */
    @Parameter(property = "tidemark.password")
    String password;

    /**
     * The id of a {@code <server>} in settings.xml whose {@code username} and {@code password} (decrypted when
     * encrypted) log in to the database; {@code user} and {@code password} given here win over it.
     */
    @Parameter(property = "tidemark.serverId")
    String serverId;

    /**
     * The migrations folder (Prisma's layout): a path, relative to the project's base directory, or
     * {@code classpath:PATH}, looked up in the project's resource directories ({@code src/main/resources}).
     */
    @Parameter(property = "tidemark.location", defaultValue = Migrator.Builder.DEFAULT_LOCATION)
    String location;

    /** The target schema; default the URL's {@code schema}/{@code currentSchema}, else {@code public}. */
    @Parameter(property = "tidemark.schema")
    String schema;

    /** The history table, in the target schema; shared with Prisma Migrate under its default name. */
    @Parameter(property = "tidemark.historyTable", defaultValue = Migrator.Builder.DEFAULT_HISTORY_TABLE)
    String historyTable;

    /** How long to wait for another deployer's migration lock (default 10s). Zero: do not wait. */
    @Parameter(property = "tidemark.lockWait")
    String lockWait;

    /** How long to keep retrying, with backoff, while the database is unreachable (default 0s: fail at once). */
    @Parameter(property = "tidemark.connectWait")
    String connectWait;

    /** PostgreSQL's lock_timeout for migration statements (default 3s). Zero disables. */
    @Parameter(property = "tidemark.lockTimeout")
    String lockTimeout;

    /** PostgreSQL's statement_timeout for migration statements (default 0s: none). */
    @Parameter(property = "tidemark.statementTimeout")
    String statementTimeout;

    /**
     * How long a migration that hit its lock timeout keeps being retried, with backoff (default 5m). Zero: fail at
     * the first lock timeout.
     */
    @Parameter(property = "tidemark.lockRetryBudget")
    String lockRetryBudget;

    /**
     * Log a warning when a migration runs longer than this, for example {@code 5m}, once per migration while it
     * goes on (default off).
     */
    @Parameter(property = "tidemark.slowMigrationWarning")
    String slowMigrationWarning;

    /** Refuse to deploy when an applied migration's file was modified (default false: warn). */
    @Parameter(property = "tidemark.strict")
    Boolean strict;

    /**
     * Go on with a migration whose deployer was killed or lost its connection (default true); false: refuse as
     * Prisma does (P3009).
     */
    @Parameter(property = "tidemark.resumeInterrupted")
    Boolean resumeInterrupted;

    /**
     * The SQL seed file, run by the reset goal after migrating: a path relative to the base directory, or
     * {@code classpath:db/seed.sql} (default none).
     */
    @Parameter(property = "tidemark.seed")
    String seed;

    /**
     * A folder of hand-written rollback scripts ({@code <migration>.sql} or {@code rollback_<timestamp>.sql}),
     * relative to the base directory (default none: each migration's own {@code down.sql}).
     */
    @Parameter(property = "tidemark.downLocation")
    String downLocation;

    /**
     * What deploy does with the static lint findings of the migrations it is about to apply: {@code off},
     * {@code warn} (log them; the builder's default) or {@code error} (also refuse on a finding of severity error,
     * TM3023). The lint goal takes its own {@code failOn} instead.
     */
    @Parameter(property = "tidemark.lint")
    String lint;

    /** Skip the goal. */
    @Parameter(property = "tidemark.skip", defaultValue = "false")
    boolean skip;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    MavenProject project;

    @Parameter(defaultValue = "${settings}", readonly = true, required = true)
    Settings settings;

    @Component
    SettingsDecrypter decrypter;

    /** Secrets to mask besides URL passwords: the password given here or by a server. */
    private final Set<String> secrets = new LinkedHashSet<>();

    @Override
    public final void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("Skipping tidemark:" + goal() + " (tidemark.skip)");
            return;
        }
        try {
            run();
        } catch (TidemarkException e) {
            String message = mask(PluginWords.explain(e.getMessage()));
            if (failsTheBuild(e.code())) {
                throw new MojoFailureException(message);
            }
            throw new MojoExecutionException(message);
        } catch (UncheckedIOException e) {
            throw new MojoExecutionException(mask(e.getMessage()), e);
        } catch (IOException e) {
            throw new MojoExecutionException(mask(e.toString()), e);
        }
    }

    /** The goal's name, for messages. */
    abstract String goal();

    abstract void run() throws IOException, MojoFailureException, MojoExecutionException;

    /** Error codes that mean "the project is not in the state the goal checks": a build failure, not an error. */
    boolean failsTheBuild(ErrorCode code) {
        return code == ErrorCode.NOT_UP_TO_DATE || code == ErrorCode.RESET_REFUSED
                || code == ErrorCode.MODIFIED_MIGRATION || code == ErrorCode.FAILED_MIGRATION_PRESENT;
    }

    /** A builder with every configured setting applied and nothing else, so unset ones keep the builder's default. */
    Migrator.Builder builder() throws MojoExecutionException {
        Migrator.Builder builder = Migrator.builder()
                .location(resolvedLocation())
                .classLoader(resourcesClassLoader())
                .historyTable(historyTable);
        String databaseUrl = databaseUrl();
        if (databaseUrl != null) {
            builder.url(databaseUrl);
        }
        Server server = server();
        String login = user != null ? user : server != null ? server.getUsername() : null;
        String secret = password != null ? password : server != null ? server.getPassword() : null;
        if (login != null) {
            builder.user(login);
        }
        if (secret != null && !secret.isEmpty()) {
            secrets.add(secret);
            builder.password(secret);
        }
        if (schema != null) {
            builder.schema(schema);
        }
        if (lockWait != null) {
            builder.lockWait(duration("lockWait", lockWait));
        }
        if (connectWait != null) {
            builder.connectWait(duration("connectWait", connectWait));
        }
        if (lockTimeout != null) {
            builder.lockTimeout(duration("lockTimeout", lockTimeout));
        }
        if (statementTimeout != null) {
            builder.statementTimeout(duration("statementTimeout", statementTimeout));
        }
        if (slowMigrationWarning != null) {
            builder.slowMigrationWarning(duration("slowMigrationWarning", slowMigrationWarning));
        }
        if (lockRetryBudget != null) {
            builder.lockRetryBudget(duration("lockRetryBudget", lockRetryBudget));
        }
        if (strict != null) {
            builder.strict(strict);
        }
        if (resumeInterrupted != null) {
            builder.resumeInterrupted(resumeInterrupted);
        }
        if (seed != null) {
            builder.seed(resolved(seed));
        }
        if (downLocation != null) {
            builder.downLocation(resolved(downLocation));
        }
        if (lint != null) {
            builder.lint(LintMode.parse(lint));
        }
        return builder;
    }

    /** The configured URL, else {@code DATABASE_URL}; null when neither is set (the builder then says what to do). */
    String databaseUrl() {
        String value = url != null && !url.isBlank() ? url : System.getenv(DATABASE_URL);
        return value == null || value.isBlank() ? null : value;
    }

    /** A file-system location resolved against the project's base directory; {@code classpath:} as given. */
    String resolvedLocation() {
        return resolved(location);
    }

    private String resolved(String path) {
        if (path == null || path.isBlank() || path.startsWith(CLASSPATH)) {
            return path;
        }
        return basedir().resolve(path).normalize().toString();
    }

    /** The directory a location names, for goals that write files: a {@code classpath:} one in the first resource directory. */
    Path locationDirectory() throws MojoExecutionException {
        if (location.startsWith(CLASSPATH)) {
            List<Path> roots = resourceDirectories();
            if (roots.isEmpty()) {
                throw new MojoExecutionException("The project has no resource directory to hold " + location
                        + ". Set <location> to a folder, for example prisma/migrations.");
            }
            String relative = location.substring(CLASSPATH.length()).replaceAll("^/+", "");
            return roots.get(0).resolve(relative).normalize();
        }
        return Path.of(resolvedLocation());
    }

    /** A path relative to the project's base directory. */
    Path projectPath(String path) {
        return basedir().resolve(path).normalize();
    }

    /** Text with every URL password, the configured password and the server's password masked. */
    String mask(String text) {
        String masked = Redaction.maskSecrets(text);
        if (masked == null) {
            return null;
        }
        for (String secret : secrets) {
            masked = masked.replace(secret, Redaction.MASK);
        }
        return masked;
    }

    void info(String text) {
        for (String line : mask(text).split("\n", -1)) {
            getLog().info(line);
        }
    }

    void warn(String text) {
        for (String line : mask(text).split("\n", -1)) {
            getLog().warn(line);
        }
    }

    private static final String CLASSPATH = "classpath:";

    private Path basedir() {
        File dir = project != null ? project.getBasedir() : null;
        return dir != null ? dir.toPath() : Path.of("").toAbsolutePath();
    }

    private List<Path> resourceDirectories() {
        List<Path> roots = new ArrayList<>();
        if (project != null) {
            for (Resource resource : project.getResources()) {
                if (resource.getTargetPath() == null) {
                    roots.add(projectPath(resource.getDirectory()));
                }
            }
        }
        return roots;
    }

    /**
     * Resolves {@code classpath:} locations in the project's resource directories (not the plugin's class path, and
     * not target/classes, which holds a copy of the same files after process-resources).
     */
    ClassLoader resourcesClassLoader() {
        List<URL> urls = new ArrayList<>();
        for (Path root : resourceDirectories()) {
            if (Files.isDirectory(root)) {
                try {
                    urls.add(root.toUri().toURL());
                } catch (MalformedURLException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return new URLClassLoader(urls.toArray(new URL[0]), null);
    }

    private Server server() throws MojoExecutionException {
        if (serverId == null || serverId.isBlank()) {
            return null;
        }
        Server server = settings == null ? null : settings.getServer(serverId);
        if (server == null) {
            throw new MojoExecutionException("No <server> with id '" + serverId + "' in settings.xml"
                    + " (serverId). Add one with the database's <username> and <password> to ~/.m2/settings.xml, or"
                    + " remove <serverId> and put the credentials in DATABASE_URL.");
        }
        SettingsDecryptionResult result = decrypter.decrypt(new DefaultSettingsDecryptionRequest(server));
        for (SettingsProblem problem : result.getProblems()) {
            if (problem.getSeverity() != SettingsProblem.Severity.WARNING) {
                throw new MojoExecutionException("Could not decrypt the password of server '" + serverId
                        + "' in settings.xml: " + problem.getMessage() + ". Check settings-security.xml, or store"
                        + " the password unencrypted.");
            }
        }
        return result.getServer();
    }

    private static Duration duration(String name, String value) {
        try {
            return Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TidemarkException(ErrorCode.CONFIGURATION_INVALID, "<" + name + "> (tidemark." + name + "): "
                    + e.getMessage() + ".");
        }
    }
}
