package dev.tidemark.bench;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * S1 and S6: every tool applies the history to a fresh, empty database once per round, in one JVM, the tools' order
 * rotating from round to round. Timed one tool after another (as JMH's forks did), a slow stretch of this shared
 * machine lands on one tool only: in one run, each tool's own iterations drifted by a third, and the same jar gave
 * S6 1.02× and 1.35× the floor ten minutes apart. Within a round the tools meet nearly the same machine.
 *
 * <p>Before each timed deploy, untimed: a new database, a {@code CHECKPOINT} (so that no deploy pays for the previous
 * one's writes) and a garbage collection (so that no tool pays for another's garbage). After it, untimed, the check
 * that the tool recorded every migration, and the drop.
 */
final class InterleavedApply {

    private InterleavedApply() {
    }

    /** The measured times of each tool, in milliseconds, after {@code warmup} rounds. */
    static Map<Tool, List<Double>> run(List<Tool> tools, Corpus corpus, int warmup, int measured) {
        Map<Tool, List<Double>> times = new EnumMap<>(Tool.class);
        for (int round = 0; round < warmup + measured; round++) {
            StringBuilder line = new StringBuilder(round < warmup ? "warm-up round " + (round + 1)
                    : "round " + (round - warmup + 1));
            for (int k = 0; k < tools.size(); k++) {
                Tool tool = tools.get((round + k) % tools.size());
                double millis = timedDeploy(tool, corpus);
                if (round >= warmup) {
                    times.computeIfAbsent(tool, t -> new ArrayList<>()).add(millis);
                }
                line.append(String.format(Locale.ROOT, "  %s %.1f ms", tool.label(), millis));
            }
            System.out.println(line);
        }
        return times;
    }

    private static double timedDeploy(Tool tool, Corpus corpus) {
        Server.Target db = Server.createDatabase("apply");
        try {
            Server.checkpoint();
            System.gc();
            long start = System.nanoTime();
            tool.deploy(db, corpus);
            double millis = (System.nanoTime() - start) / 1e6;
            Checks.applied(db, tool, corpus.size());
            return millis;
        } finally {
            Server.dropDatabase(db);
        }
    }
}
