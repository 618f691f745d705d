package dev.millions.bench;

import static dev.millions.bench.Preconditions.checkArgument;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import dev.millions.bench.load.CapacityProbe;
import dev.millions.bench.load.OperationSource;
import dev.millions.bench.load.Schedule;

/**
 * Instead of a fixed rate: find the capacity of each mode a bench compares on the machine it runs on,
 * and load them all at a stated fraction of the lowest, so that no mode is measured overloaded.
 *
 * @param fraction of the lowest capacity, in (0, 1]
 */
public record Probing(CapacityProbe probe, double fraction) {

    public Probing {
        checkArgument(fraction > 0 && fraction <= 1, "fraction: %s (expected: > 0 and <= 1)", fraction);
    }

    /** A way the system runs (cache on, cache off), entered before its capacity is measured. */
    public record Mode(String name, Entry enter) {}

    @FunctionalInterface
    public interface Entry {
        void run() throws InterruptedException;
    }

    /**
     * Measures each mode in turn, printing each step; the plan at the fraction of the lowest capacity,
     * or empty (the reason printed) when a mode held not even the first rate.
     */
    public Optional<AppBenchPlan> plan(AppBenchPlan plan, OperationSource operations, List<Mode> modes,
                                       PrintWriter out) throws InterruptedException {
        out.printf("finding the capacity%s: the highest rate with p99 under %d ms, no errors and nothing left "
                   + "unfinished ...%n", modes.size() > 1 ? " of each mode" : "", probe.p99Bound().toMillis());
        out.flush();
        List<String> found = new ArrayList<>();
        double lowest = Double.MAX_VALUE;
        for (int i = 0; i < modes.size(); i++) {
            Mode mode = modes.get(i);
            mode.enter().run();
            double capacity = probe.find(operations, plan.seed() + 30 + 1000L * i, step -> {
                out.println("  " + (mode.name().isEmpty() ? "" : mode.name() + ' ') + step);
                out.flush();
            }).capacity();
            found.add(String.format(Locale.ROOT, "%s%.0f ops/s", mode.name().isEmpty() ? "" : mode.name() + ' ',
                                    capacity));
            lowest = Math.min(lowest, capacity);
        }
        out.print("capacity: " + String.join(", ", found));
        if (lowest == 0) {
            out.printf("%nno verdict: %s did not hold even the first rate; the stage is overloaded or failing (see "
                       + "the steps above)%n", modes.size() > 1 ? "a mode" : "the system");
            out.flush();
            return Optional.empty();
        }
        double rate = lowest * fraction;
        out.printf(Locale.ROOT, "; %s at %.0f %% of %s: %.0f ops/s%n", modes.size() > 1 ? "both modes run" : "the run",
                   fraction * 100, modes.size() > 1 ? "the lower" : "it", rate);
        out.flush();
        return Optional.of(plan.withSchedule(Schedule.openLoop(rate)));
    }
}
