package dev.tidemark.internal.events;

import dev.tidemark.DeployResult;
import dev.tidemark.ErrorCode;
import dev.tidemark.MigrationEvent;
import dev.tidemark.MigrationListener;
import dev.tidemark.Redaction;
import dev.tidemark.TidemarkException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The plumbing behind {@link MigrationListener}: builds each {@link MigrationEvent}, hands it to every listener with
 * their failures contained, counts what a deploy applied, and runs the slow-migration timer. The engine's call sites
 * are one line each.
 *
 * <p>A {@code Migrator} is shared and its deploys may run at once on several threads, so the state of one deploy (the
 * migrations it applied so far) is kept per thread, for the deploy running on it.
 */
public final class Events {

    private static final Logger log = LoggerFactory.getLogger("dev.tidemark");

    /** No listeners, no slow-migration warning: for runners used outside a Migrator. */
    public static final Events NONE = new Events(List.of(), null, "", Duration.ZERO);

    private static ScheduledThreadPoolExecutor timer;

    private final List<Guarded> listeners;
    private final String target;
    private final String description;
    private final Duration slowAfter;
    private final ThreadLocal<int[]> applied = new ThreadLocal<>();

    /**
     * @param target      the name events carry (a fleet target's), or null
     * @param description the target as log lines name it
     * @param slowAfter   after how long a running migration is reported as slow; zero: never
     */
    public Events(List<MigrationListener> listeners, String target, String description, Duration slowAfter) {
        this.listeners = listeners.stream().map(Guarded::new).toList();
        this.target = target;
        this.description = description;
        this.slowAfter = slowAfter;
    }

    /** Runs a deploy (or reset), then reports how it ended, with what it applied even when it failed. */
    public DeployResult deploy(long start, Supplier<DeployResult> work) {
        int[] outer = applied.get();
        int[] count = new int[1];
        applied.set(count);
        try {
            DeployResult result = work.get();
            emit(new MigrationEvent.DeployFinished(target, result.applied().isEmpty()
                    ? MigrationEvent.Outcome.UP_TO_DATE : MigrationEvent.Outcome.APPLIED, result.applied().size(),
                    result.duration(), null));
            return result;
        } catch (TidemarkException e) {
            emit(new MigrationEvent.DeployFinished(target, MigrationEvent.Outcome.FAILED, count[0], since(start),
                    e.code()));
            throw e;
        } catch (RuntimeException e) {
            emit(new MigrationEvent.DeployFinished(target, MigrationEvent.Outcome.FAILED, count[0], since(start),
                    ErrorCode.DATABASE_ERROR));
            throw e;
        } finally {
            if (outer == null) {
                applied.remove();
            } else {
                applied.set(outer);
            }
        }
    }

    /**
     * {@link #deploy} for a fleet's no-op check, which may decline (empty: nothing was done, so no event; the full
     * deploy that follows reports itself).
     */
    public Optional<DeployResult> deployIfUpToDate(long start, Supplier<Optional<DeployResult>> check) {
        Optional<DeployResult> result;
        try {
            result = check.get();
        } catch (TidemarkException e) {
            emit(new MigrationEvent.DeployFinished(target, MigrationEvent.Outcome.FAILED, 0, since(start), e.code()));
            throw e;
        } catch (RuntimeException e) {
            emit(new MigrationEvent.DeployFinished(target, MigrationEvent.Outcome.FAILED, 0, since(start),
                    ErrorCode.DATABASE_ERROR));
            throw e;
        }
        result.ifPresent(r -> emit(new MigrationEvent.DeployFinished(target, MigrationEvent.Outcome.UP_TO_DATE, 0,
                r.duration(), null)));
        return result;
    }

    public void deployStarted(int pending) {
        emit(new MigrationEvent.DeployStarted(target, pending));
    }

    /** The migration lock was contended: called once its wait ends, acquired or not. */
    public void lockWaited(Duration waited, int retries, boolean acquired, String blocker) {
        emit(new MigrationEvent.LockWaited(target, waited, retries, acquired, blocker));
    }

    /**
     * Runs one migration ({@code work} returns its statement count), reporting its start and end, and warning if it
     * outlasts the slow-migration threshold.
     */
    public int migration(String name, IntSupplier work) {
        emit(new MigrationEvent.MigrationStarted(target, name));
        long start = System.nanoTime();
        SlowWatch watch = slowAfter.isZero() ? null : new SlowWatch(name, start);
        try {
            int statements = work.getAsInt();
            finish(watch, new MigrationEvent.MigrationFinished(target, name, since(start), statements));
            int[] count = applied.get();
            if (count != null) {
                count[0]++;
            }
            return statements;
        } catch (TidemarkException e) {
            finish(watch, new MigrationEvent.MigrationFailed(target, name, since(start), e.code(),
                    Redaction.maskSecrets(e.getMessage())));
            throw e;
        } catch (RuntimeException e) {
            finish(watch, new MigrationEvent.MigrationFailed(target, name, since(start), ErrorCode.DATABASE_ERROR,
                    Redaction.maskSecrets(String.valueOf(e))));
            throw e;
        }
    }

    /** A statement hit its lock timeout and is retried after {@code backoffMillis}. */
    public void statementLockRetry(String migration, int line, int attempt, Duration lockTimeout,
            long backoffMillis, String blocker) {
        emit(new MigrationEvent.StatementLockRetry(target, migration, line, attempt, lockTimeout,
                Duration.ofMillis(backoffMillis), blocker));
    }

    private void finish(SlowWatch watch, MigrationEvent event) {
        if (watch == null) {
            emit(event);
            return;
        }
        // Under the watch's monitor, so that a slow-migration event being sent comes before the end.
        synchronized (watch) {
            watch.done = true;
            watch.future.cancel(false);
            emit(event);
        }
    }

    private void emit(MigrationEvent event) {
        for (Guarded listener : listeners) {
            listener.accept(event);
        }
    }

    private static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private static String format(Duration duration) {
        return duration.toSeconds() >= 10 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }

    /** One JVM-wide daemon thread for every slow-migration timer, started on first need. */
    private static synchronized ScheduledThreadPoolExecutor timer() {
        if (timer == null) {
            timer = new ScheduledThreadPoolExecutor(1, runnable -> {
                Thread thread = new Thread(runnable, "tidemark-slow-migration");
                thread.setDaemon(true);
                return thread;
            });
            timer.setRemoveOnCancelPolicy(true);
        }
        return timer;
    }

    /** The timer of one running migration: fires once, unless the migration ended first. */
    private final class SlowWatch implements Runnable {
        private final String name;
        private final long start;
        private final ScheduledFuture<?> future;
        private boolean done;

        SlowWatch(String name, long start) {
            this.name = name;
            this.start = start;
            this.future = timer().schedule(this, slowAfter.toNanos(), TimeUnit.NANOSECONDS);
        }

        @Override
        public synchronized void run() {
            if (done) {
                return;
            }
            Duration running = since(start);
            log.warn("{}: migration {} has been running for {}, longer than the slow-migration warning of {}; it"
                    + " goes on", description, name, format(running), format(slowAfter));
            emit(new MigrationEvent.SlowMigration(target, name, running));
        }
    }

    /** A listener whose exceptions are logged (the first as a warning) and otherwise ignored. */
    private static final class Guarded {
        private final MigrationListener listener;
        private final AtomicBoolean failed = new AtomicBoolean();

        Guarded(MigrationListener listener) {
            this.listener = listener;
        }

        void accept(MigrationEvent event) {
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                if (failed.compareAndSet(false, true)) {
                    log.warn("The migration listener {} failed on a {} event; the deploy goes on without its"
                            + " result (later failures of this listener are logged at debug level)",
                            listener.getClass().getName(), event.type(), e);
                } else {
                    log.debug("The migration listener {} failed again, on a {} event: {}",
                            listener.getClass().getName(), event.type(), e.toString());
                }
            }
        }
    }
}
