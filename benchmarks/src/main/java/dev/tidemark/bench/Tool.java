package dev.tidemark.bench;

import dev.tidemark.DeployResult;
import dev.tidemark.FastReset;
import dev.tidemark.Migrator;
import dev.tidemark.RollbackRequest;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.Scope;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.DirectoryResourceAccessor;
import liquibase.ui.LoggerUIService;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

import java.sql.Connection;
import java.util.Locale;

/**
 * One tool, driven the way its documentation tells an application to drive it: a fresh configuration and a fresh
 * connection per call, default settings, migrations read from the file system.
 */
public enum Tool {

    TIDEMARK {
        @Override
        public int deploy(Server.Target db, Corpus corpus) {
            DeployResult result = migrator(db, corpus).deploy();
            return result.applied().size();
        }

        @Override
        public int pending(Server.Target db, Corpus corpus) {
            return migrator(db, corpus).status().pending().size();
        }

        /**
         * Tidemark's fast reset as its JUnit extension drives it: {@code FastReset.prepare(migrator)} once, then
         * {@code restore(connection)} per reset on a connection held across resets.
         */
        @Override
        public Object prepareReset(Server.Target db, Corpus corpus) {
            try {
                FastReset fastReset = FastReset.prepare(builder(db, corpus).allowReset(true).build());
                return new HeldReset(fastReset, Server.connect(db.jdbcUrl()));
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void reset(Server.Target db, Corpus corpus, Object prepared) {
            HeldReset held = (HeldReset) prepared;
            ((FastReset) held.fastReset()).restore(held.connection());
        }

        @Override
        public String version() {
            String version = Migrator.class.getPackage().getImplementationVersion();
            return version != null ? version : Versions.of("dev.tidemark", "tidemark-core");
        }

        /** Which table the tool records its history in. */
        @Override
        public String historyTable() {
            return "_prisma_migrations";
        }

        /** {@code Migrator.rollback(RollbackRequest.steps(n))}, as {@code tidemark rollback --steps n} runs it. */
        @Override
        public int rollback(Server.Target db, Corpus corpus, int steps) {
            return migrator(db, corpus).rollback(RollbackRequest.steps(steps)).rolledBack().size();
        }

        private Migrator migrator(Server.Target db, Corpus corpus) {
            return builder(db, corpus).build();
        }

        private Migrator.Builder builder(Server.Target db, Corpus corpus) {
            return Migrator.builder().url(db.jdbcUrl()).user(Server.USER).password(Server.PASSWORD)
                    .location(corpus.prisma().toString());
        }
    },

    FLYWAY {
        @Override
        public int deploy(Server.Target db, Corpus corpus) {
            MigrateResult result = flyway(db, corpus).migrate();
            return result.migrationsExecuted;
        }

        @Override
        public int pending(Server.Target db, Corpus corpus) {
            return flyway(db, corpus).info().pending().length;
        }

        /** What Flyway's documentation and Spring Boot's test support offer: {@code clean} then {@code migrate}. */
        @Override
        public void reset(Server.Target db, Corpus corpus, Object prepared) {
            Flyway flyway = flyway(db, corpus);
            flyway.clean();
            flyway.migrate();
        }

        @Override
        public String version() {
            return Versions.of("org.flywaydb", "flyway-core");
        }

        @Override
        public String historyTable() {
            return "flyway_schema_history";
        }

        private Flyway flyway(Server.Target db, Corpus corpus) {
            return Flyway.configure()
                    .dataSource(db.jdbcUrl(), Server.USER, Server.PASSWORD)
                    .locations("filesystem:" + corpus.flyway())
                    .cleanDisabled(false)
                    .load();
        }
    },

    LIQUIBASE {
        @Override
        public int deploy(Server.Target db, Corpus corpus) {
            // Liquibase's update reports no count; the scenarios check the history table instead.
            return liquibase(db, corpus, lb -> {
                lb.update(new Contexts(), new LabelExpression());
                return UNKNOWN;
            });
        }

        @Override
        public int pending(Server.Target db, Corpus corpus) {
            return liquibase(db, corpus, lb -> lb.listUnrunChangeSets(new Contexts(), new LabelExpression()).size());
        }

        /** Liquibase's documented way back to a clean schema for tests: {@code dropAll} then {@code update}. */
        @Override
        public void reset(Server.Target db, Corpus corpus, Object prepared) {
            liquibase(db, corpus, lb -> {
                lb.dropAll();
                lb.update(new Contexts(), new LabelExpression());
                return 0;
            });
        }

        @Override
        public String version() {
            return liquibase.util.LiquibaseUtil.getBuildVersion();
        }

        @Override
        public String historyTable() {
            return "databasechangelog";
        }
    },

    FLOOR {
        @Override
        public int deploy(Server.Target db, Corpus corpus) {
            try {
                return Floor.deploy(db.jdbcUrl(), Server.USER, Server.PASSWORD, corpus.prisma());
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public int pending(Server.Target db, Corpus corpus) {
            try {
                return Floor.pending(db.jdbcUrl(), Server.USER, Server.PASSWORD, corpus.prisma());
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public int rollback(Server.Target db, Corpus corpus, int steps) {
            try {
                return Floor.rollback(db.jdbcUrl(), Server.USER, Server.PASSWORD, corpus.prisma(), steps);
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Like Tidemark's: on a connection held across resets, with the statement worked out once. */
        @Override
        public Object prepareReset(Server.Target db, Corpus corpus) {
            try {
                Connection connection = Server.connect(db.jdbcUrl());
                return new HeldReset(Floor.deleteAllStatement(connection), connection);
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void reset(Server.Target db, Corpus corpus, Object prepared) {
            HeldReset held = (HeldReset) prepared;
            try (java.sql.Statement statement = held.connection().createStatement()) {
                statement.execute((String) held.fastReset());
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public String version() {
            return "pgjdbc " + org.postgresql.util.DriverInfo.DRIVER_VERSION;
        }

        @Override
        public String historyTable() {
            return "_prisma_migrations";
        }
    };

    /** A deploy whose tool does not say how many migrations it applied. */
    public static final int UNKNOWN = -1;

    /** Applies every pending migration; returns how many were applied, or {@link #UNKNOWN}. */
    public abstract int deploy(Server.Target db, Corpus corpus);

    /** Reads the status; returns how many migrations are pending. */
    public abstract int pending(Server.Target db, Corpus corpus);

    /**
     * Rolls back the newest {@code steps} applied migrations with down scripts; returns how many. Only Tidemark and
     * the floor: Flyway's undo is in its paid editions, and Liquibase's needs rollback blocks in every changeset.
     */
    public int rollback(Server.Target db, Corpus corpus, int steps) {
        throw new UnsupportedOperationException(label() + " is not timed on rollback");
    }

    /** Prepares what {@link #reset} needs, once per database, untimed; null when the tool needs nothing. */
    public Object prepareReset(Server.Target db, Corpus corpus) {
        return null;
    }

    /** Releases what {@link #prepareReset} returned. */
    public static void release(Object prepared) {
        AutoCloseable closeable = prepared instanceof HeldReset held ? held.connection()
                : prepared instanceof AutoCloseable c ? c : null;
        if (closeable != null) {
            try {
                closeable.close();
            } catch (Exception ignored) {
                // the database is dropped next
            }
        }
    }

    /** What a reset runs (Tidemark's FastReset, or the floor's statement) and the connection it runs on. */
    record HeldReset(Object fastReset, Connection connection) {
    }

    /** Brings a migrated database holding rows back to freshly migrated and empty, the tool's fastest way. */
    public abstract void reset(Server.Target db, Corpus corpus, Object prepared);

    public abstract String version();

    /** The history table in {@code public}, for checking that a run did all its work. */
    public abstract String historyTable();

    public String label() {
        return name().charAt(0) + name().substring(1).toLowerCase(Locale.ROOT);
    }

    public static Tool of(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }

    /** Held, so that the level set on it is not lost when the logger is collected. */
    private static final java.util.logging.Logger LIQUIBASE_LOG = java.util.logging.Logger.getLogger("liquibase");

    static {
        // Liquibase 4.30+ sends usage analytics unless told not to; nothing here may leave the machine.
        System.setProperty("liquibase.analytics.enabled", "false");
        // Every tool logs at WARN here (Tidemark and Flyway through SLF4J), so none pays for its progress lines.
        LIQUIBASE_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    interface LiquibaseCall {
        int run(Liquibase liquibase) throws Exception;
    }

    @SuppressWarnings("deprecation") // the Liquibase facade is what Spring Boot's SpringLiquibase drives
    static int liquibase(Server.Target db, Corpus corpus, LiquibaseCall call) {
        try (Connection connection = Server.connect(db.jdbcUrl())) {
            Database database = DatabaseFactory.getInstance()
                    .findCorrectDatabaseImplementation(new JdbcConnection(connection));
            try (Liquibase liquibase = new Liquibase(Corpus.LIQUIBASE_CHANGELOG,
                    new DirectoryResourceAccessor(corpus.liquibase()), database)) {
                // Its console summary goes to the (quiet) log instead of stdout, like the other tools' output.
                return Scope.child(java.util.Map.of(Scope.Attr.ui.name(), new LoggerUIService()),
                        (Scope.ScopedRunnerWithReturn<Integer>) () -> call.run(liquibase));
            }
        } catch (Exception e) {
            throw new IllegalStateException("Liquibase failed: " + e.getMessage(), e);
        }
    }
}
