package dev.tidemark;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;

/**
 * What a {@link Fleet} run did to each target, failures first, then in the fleet's order.
 *
 * @param targets  one entry per target of this shard
 * @param duration the whole run
 * @since 0.2
 */
public record FleetResult(List<Target> targets, Duration duration) {

    public FleetResult {
        targets = targets.stream().sorted(Comparator.comparingInt(t -> t.state().rank)).toList();
    }

    /** A target's outcome. */
    public enum State {
        /** The run failed on this target: see the error code and message. */
        FAILED(0),
        /** Not attempted: an earlier failure stopped the rollout ({@code failFast}, or a failed canary). */
        NOT_RUN(1),
        /** {@code status()}: migrations are pending. */
        PENDING(2),
        /** {@code deploy()} applied migrations. */
        APPLIED(3),
        /** Nothing to do. */
        UP_TO_DATE(4);

        final int rank;

        State(int rank) {
            this.rank = rank;
        }
    }

    /**
     * One target's result.
     *
     * @param name     the target's name
     * @param target   where it is, without secrets
     * @param state    the outcome
     * @param applied  the migrations applied ({@code deploy}) or pending ({@code status}), by name
     * @param duration how long this target took
     * @param code     the error's code when {@code FAILED}, else null
     * @param message  the error's message when {@code FAILED} (or why it did not run), else null
     */
    public record Target(String name, String target, State state, List<String> applied, Duration duration,
            ErrorCode code, String message) {

        public Target {
            applied = List.copyOf(applied);
        }

        /** Whether the target is up to date after the run. */
        public boolean upToDate() {
            return state == State.APPLIED || state == State.UP_TO_DATE;
        }
    }

    /** Whether every target is up to date: the CLI exits 0 only then. */
    public boolean allUpToDate() {
        return targets.stream().allMatch(Target::upToDate);
    }

    /** The targets in {@code state}. */
    public List<Target> in(State state) {
        return targets.stream().filter(t -> t.state() == state).toList();
    }

    /** Targets per second over the whole run. */
    public double rate() {
        return duration.isZero() ? 0 : targets.size() * 1e9 / duration.toNanos();
    }
}
