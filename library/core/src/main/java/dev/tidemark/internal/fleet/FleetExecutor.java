package dev.tidemark.internal.fleet;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Runs one piece of work per target on at most {@code parallel} threads. A canary runs the first {@code canary}
 * targets first (with the same parallelism) and stops the rollout if any of them failed; with {@code failFast}, the
 * first failure stops the rollout. Stopping lets running targets finish and starts no other: those get
 * {@code notRun}. Results come back in the targets' order.
 */
public final class FleetExecutor<T, R> {

    private final int parallel;
    private final boolean failFast;
    private final int canary;
    private final Function<T, R> work;
    private final Predicate<R> failed;
    private final Function<T, R> notRun;
    private final Consumer<R> done;

    public FleetExecutor(int parallel, boolean failFast, int canary, Function<T, R> work, Predicate<R> failed,
            Function<T, R> notRun, Consumer<R> done) {
        this.parallel = parallel;
        this.failFast = failFast;
        this.canary = canary;
        this.work = work;
        this.failed = failed;
        this.notRun = notRun;
        this.done = done;
    }

    public List<R> run(List<T> targets) {
        List<R> results = new ArrayList<>(targets.size());
        AtomicBoolean stop = new AtomicBoolean();
        int first = Math.min(canary, targets.size());
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(parallel, targets.size())),
                new Threads());
        try {
            if (first > 0) {
                results.addAll(phase(pool, targets.subList(0, first), stop, true));
            }
            results.addAll(phase(pool, targets.subList(first, targets.size()), stop, failFast));
        } finally {
            pool.shutdownNow();
        }
        return results;
    }

    private List<R> phase(ExecutorService pool, List<T> targets, AtomicBoolean stop, boolean stopOnFailure) {
        List<Future<R>> futures = new ArrayList<>(targets.size());
        for (T target : targets) {
            futures.add(pool.submit(() -> {
                R result;
                if (stop.get()) {
                    result = notRun.apply(target);
                } else {
                    result = work.apply(target);
                    if (stopOnFailure && failed.test(result)) {
                        stop.set(true);
                    }
                }
                done.accept(result);
                return result;
            }));
        }
        List<R> results = new ArrayList<>(targets.size());
        for (Future<R> future : futures) {
            try {
                results.add(future.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted during a fleet run", e);
            } catch (java.util.concurrent.ExecutionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            }
        }
        return results;
    }

    /** Named daemon threads, so a stuck target never keeps the JVM alive after the run gave up. */
    private static final class Threads implements java.util.concurrent.ThreadFactory {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable runnable) {
            Thread thread = new Thread(runnable, "tidemark-fleet-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    }
}
