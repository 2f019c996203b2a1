package dev.tidemark;

/**
 * Hears what a deploy does, for logs, metrics and alerts: {@link Migrator.Builder#listener(MigrationListener...)}.
 * One method takes every event, a {@link MigrationEvent} record; since the events are a sealed interface, a listener
 * picks the ones it wants with {@code instanceof}:
 *
 * <pre>{@code
 * MigrationListener slowOnes = event -> {
 *     if (event instanceof MigrationEvent.MigrationFinished f && f.duration().toMinutes() >= 5) {
 *         alert(f.migration() + " took " + f.duration());
 *     }
 * };
 * }</pre>
 *
 * <p>Listeners are called synchronously on the deploying thread, in the order they were given, except
 * {@link MigrationEvent.SlowMigration}, which comes from a timer thread while the migration runs; in a
 * {@link Fleet}, from each target's worker thread. So a listener shared by several deploys must be thread-safe, and
 * should be quick: the deploy (and its locks) waits for it. A listener that throws does not change the deploy: the
 * first exception of each listener is logged as a warning, later ones at debug level, and the deploy goes on.
 *
 * @since 0.3
 */
@FunctionalInterface
public interface MigrationListener {

    /** Called once per event; see {@link MigrationEvent} for their order. */
    void onEvent(MigrationEvent event);
}
