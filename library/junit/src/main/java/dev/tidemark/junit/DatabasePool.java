package dev.tidemark.junit;

import dev.tidemark.FastReset;
import dev.tidemark.Migrator;
import dev.tidemark.testdb.TestDatabase;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * The databases of one migrations folder and schema, for one test run: a template, migrated once and never handed
 * out (so that it can be copied), and copies of it, each used by one test at a time and reset between tests.
 */
@SuppressWarnings("deprecation") // CloseableResource: JUnit before 5.13 closes stored values only of that type
final class DatabasePool implements AutoCloseable, ExtensionContext.Store.CloseableResource {

    private static final Logger log = LoggerFactory.getLogger(DatabasePool.class);

    /** What a pool is for. */
    record Key(String location, String schema, ClassLoader classLoader, String seed) {
    }

    private final Key key;
    private final TestDatabase template;
    private final ConcurrentLinkedDeque<PooledDatabase> idle = new ConcurrentLinkedDeque<>();
    private final List<PooledDatabase> all = new ArrayList<>();
    private final Thread shutdownHook = new Thread(this::close, "tidemark-drop-test-databases");
    private boolean closed;

    private DatabasePool(Key key, TestDatabase template) {
        this.key = key;
        this.template = template;
        // JUnit closes the pool when the run ends; this covers a run that is interrupted.
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Creates the template and migrates it; the migrations run here, once per test run. */
    static DatabasePool create(Key key) {
        TestDatabase template = TestDatabase.create("template");
        try {
            long start = System.nanoTime();
            FastReset.prepare(migrator(template, key));
            log.info("Migrated the template database {} from {} in {} ms", template.name(), key.location(),
                    (System.nanoTime() - start) / 1_000_000);
            return new DatabasePool(key, template);
        } catch (RuntimeException | Error e) {
            template.close();
            throw e;
        }
    }

    static Migrator migrator(TestDatabase database, Key key) {
        return Migrator.builder()
                .url(database.postgresUrl())
                .location(key.location())
                .schema(key.schema())
                .classLoader(key.classLoader())
                .allowReset(true)
                .seed(key.seed().isEmpty() ? null : key.seed())
                .build();
    }

    /** A database for one test (or class), in its migrated state; give it back with {@link #release}. */
    PooledDatabase lease() {
        PooledDatabase database = idle.pollFirst();
        if (database != null) {
            try {
                database.reset();
                return database;
            } catch (RuntimeException e) {
                // The previous test changed the schema, or left a transaction holding locks: start afresh.
                log.warn("Replacing the test database {} by a new copy of the template, because it could not be"
                        + " reset. If a test changes the schema, give its class @TidemarkTest(reset ="
                        + " NEW_DATABASE_PER_CLASS). Cause: {}", database.name(), e.getMessage());
                discard(database);
            }
        }
        database = copy();
        synchronized (this) {
            all.add(database);
        }
        return database;
    }

    private void discard(PooledDatabase database) {
        synchronized (this) {
            all.remove(database);
        }
        try {
            database.close();
        } catch (RuntimeException e) {
            log.warn("Could not drop the test database {}: {}", database.name(), e.getMessage());
        }
    }

    void release(PooledDatabase database) {
        idle.addFirst(database);
    }

    /** A database of its own, copied from the template; the caller closes it, which drops it. */
    PooledDatabase copy() {
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("The Tidemark test databases were already dropped");
            }
        }
        TestDatabase copy = template.copy("test");
        try {
            return new PooledDatabase(copy, key.schema(), FastReset.prepare(migrator(copy, key)));
        } catch (RuntimeException | Error e) {
            copy.close();
            throw e;
        }
    }

    @Override
    public void close() {
        List<PooledDatabase> databases;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            databases = new ArrayList<>(all);
        }
        if (Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway, and finds the pool closed
            }
        }
        RuntimeException failure = null;
        for (PooledDatabase database : databases) {
            try {
                database.close();
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        template.close();
        if (failure != null) {
            throw failure;
        }
    }
}
