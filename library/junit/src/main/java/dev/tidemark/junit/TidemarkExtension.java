package dev.tidemark.junit;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;

/**
 * The extension behind {@link TidemarkTest}: provides a migrated database, as a {@link DataSource} or
 * {@link MigratedDatabase} parameter or {@link Migrated} field, and resets it as the annotation says.
 *
 * <p>State lives in JUnit's stores: one {@link DatabasePool} per migrations folder and schema in the root store
 * (closed, and its databases dropped, when the test run ends), and the lease of a database in the store of the test
 * method or class that uses it (given back when that method or class ends).
 *
 * @since 0.1
 */
public final class TidemarkExtension implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {

    private static final Namespace NAMESPACE = Namespace.create(TidemarkExtension.class);
    private static final String LEASE = "lease";

    @Override
    public void beforeAll(ExtensionContext context) {
        TidemarkTest settings = settings(context);
        if (settings.reset() != Reset.PER_METHOD) {
            Lease lease = lease(context, settings);
            injectFields(context.getRequiredTestClass(), null, lease.database, true);
            return;
        }
        for (Class<?> c = context.getRequiredTestClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (field.isAnnotationPresent(Migrated.class) && Modifier.isStatic(field.getModifiers())) {
                    throw new ExtensionConfigurationException("@Migrated field " + field + " is static, but with"
                            + " @TidemarkTest(reset = PER_METHOD) each test method gets its own reset database."
                            + " Make the field an instance field, or use reset = PER_CLASS.");
                }
            }
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        Lease lease = lease(context, settings(context));
        for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
            injectFields(instance.getClass(), instance, lease.database, false);
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == DataSource.class || type == MigratedDatabase.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        TidemarkTest settings = settings(context);
        if (settings.reset() == Reset.PER_METHOD && context.getTestMethod().isEmpty()) {
            throw new ParameterResolutionException("With @TidemarkTest(reset = PER_METHOD) each test method gets its"
                    + " own reset database, so there is none for " + parameter.getDeclaringExecutable() + ". Take"
                    + " the parameter in the test or @BeforeEach method, or use reset = PER_CLASS.");
        }
        PooledDatabase database = lease(context, settings).database;
        return parameter.getParameter().getType() == DataSource.class ? database.dataSource() : database;
    }

    /**
     * The lease of this method's or class's database, taken on first use.
     *
     * <p>{@code getOrComputeIfAbsent}, deprecated since JUnit 6 in favour of {@code computeIfAbsent}, is the one
     * that exists in every JUnit from 5.x (Spring Boot 3.5 manages 5.12) to 6.x.
     */
    @SuppressWarnings("deprecation")
    private static Lease lease(ExtensionContext context, TidemarkTest settings) {
        ExtensionContext owner = settings.reset() == Reset.PER_METHOD ? context : classContext(context);
        return owner.getStore(NAMESPACE).getOrComputeIfAbsent(LEASE, key -> {
            DatabasePool pool = pool(context, settings);
            return settings.reset() == Reset.NEW_DATABASE_PER_CLASS ? new Lease(pool.copy(), null)
                    : new Lease(pool.lease(), pool);
        }, Lease.class);
    }

    @SuppressWarnings("deprecation")
    private static DatabasePool pool(ExtensionContext context, TidemarkTest settings) {
        ClassLoader loader = context.getRequiredTestClass().getClassLoader();
        DatabasePool.Key key = new DatabasePool.Key(settings.location(), settings.schema(), loader,
                settings.seed());
        return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(key, DatabasePool::create,
                DatabasePool.class);
    }

    private static ExtensionContext classContext(ExtensionContext context) {
        ExtensionContext current = context;
        while (current.getTestMethod().isPresent() && current.getParent().isPresent()) {
            current = current.getParent().get();
        }
        return current;
    }

    private static TidemarkTest settings(ExtensionContext context) {
        for (Class<?> type = context.getRequiredTestClass(); type != null; type = type.getEnclosingClass()) {
            Optional<TidemarkTest> found = Optional.ofNullable(type.getAnnotation(TidemarkTest.class));
            if (found.isPresent()) {
                return found.get();
            }
        }
        throw new ExtensionConfigurationException(TidemarkExtension.class.getSimpleName() + " needs @TidemarkTest"
                + " on " + context.getRequiredTestClass().getName() + " (or an enclosing class) to know which"
                + " migrations to run.");
    }

    private static void injectFields(Class<?> type, Object instance, PooledDatabase database, boolean statics) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (!field.isAnnotationPresent(Migrated.class) || Modifier.isStatic(field.getModifiers()) != statics) {
                    continue;
                }
                Object value;
                if (field.getType() == DataSource.class) {
                    value = database.dataSource();
                } else if (field.getType() == MigratedDatabase.class) {
                    value = database;
                } else {
                    throw new ExtensionConfigurationException("@Migrated field " + field + " must be of type"
                            + " javax.sql.DataSource or dev.tidemark.junit.MigratedDatabase, not "
                            + field.getType().getName() + ".");
                }
                if (Modifier.isFinal(field.getModifiers())) {
                    throw new ExtensionConfigurationException("@Migrated field " + field + " must not be final.");
                }
                try {
                    field.setAccessible(true);
                    field.set(instance, value);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    throw new ExtensionConfigurationException("Could not set @Migrated field " + field + ": " + e, e);
                }
            }
        }
    }

    /**
     * A database in use by one test method or class; closed by JUnit when that ends. JUnit before 5.13 closes only
     * a {@code CloseableResource}, JUnit 5.13 and later an {@code AutoCloseable}: it is both, and closes once.
     */
    @SuppressWarnings("deprecation")
    private static final class Lease implements AutoCloseable, ExtensionContext.Store.CloseableResource {

        final PooledDatabase database;
        private final DatabasePool pool;
        private final AtomicBoolean closed = new AtomicBoolean();

        Lease(PooledDatabase database, DatabasePool pool) {
            this.database = database;
            this.pool = pool;
        }

        @Override
        public void close() {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            if (pool != null) {
                pool.release(database);
            } else {
                database.close();
            }
        }
    }
}
