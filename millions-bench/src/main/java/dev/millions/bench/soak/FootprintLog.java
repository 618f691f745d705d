package dev.millions.bench.soak;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Every node's footprint over a soak, and what it says: which nodes kept growing, which restarted or
 * went missing. Samples taken during the warm-up are shown but not judged.
 */
public final class FootprintLog {

    private final double warmupSeconds;
    private final Map<String, List<Sample>> byNode = new LinkedHashMap<>();
    private final List<String> problems = new ArrayList<>();
    private int samples;

    private record Sample(double seconds, Footprint footprint) {}

    public FootprintLog(double warmupSeconds) {
        this.warmupSeconds = warmupSeconds;
    }

    /** Records one sample of every node; a node missing from it, or with a new pid, is a problem. */
    public void add(double seconds, Map<String, Footprint> sample) {
        for (Map.Entry<String, List<Sample>> node : byNode.entrySet()) {
            Footprint now = sample.get(node.getKey());
            Footprint before = node.getValue().getLast().footprint();
            if (now == null) {
                problems.add(String.format(Locale.ROOT, "%s was down at %s", node.getKey(), clock(seconds)));
            } else if (now.pid() != before.pid()) {
                problems.add(String.format(Locale.ROOT, "%s restarted before %s (pid %d, now %d)", node.getKey(),
                                           clock(seconds), before.pid(), now.pid()));
            }
        }
        sample.forEach((node, footprint) -> byNode.computeIfAbsent(node, name -> new ArrayList<>())
                                                  .add(new Sample(seconds, footprint)));
        samples++;
    }

    /** One line for the terminal: each node's footprint in this sample. */
    public static String line(double seconds, Map<String, Footprint> sample) {
        StringBuilder line = new StringBuilder(clock(seconds)).append(' ');
        sample.forEach((node, footprint) -> {
            line.append(String.format(Locale.ROOT, " %s %s", node, mb(footprint.rssBytes())));
            if (footprint.jvm()) {
                line.append(String.format(Locale.ROOT, " (heap %s)", mb(footprint.heapAfterGcBytes())));
            }
            line.append(String.format(Locale.ROOT, " %d fd %d thr;", footprint.openFiles(), footprint.threads()));
        });
        return line.substring(0, line.length() - 1);
    }

    public int samples() {
        return samples;
    }

    /** Restarts, missing nodes and every metric that keeps growing, one sentence each. */
    public List<String> problems() {
        List<String> all = new ArrayList<>(problems);
        byNode.forEach((node, series) -> {
            List<Sample> judged = judged(series);
            check(all, node, judged, Growth.RSS, Footprint::rssBytes, true);
            if (series.getFirst().footprint().jvm()) {
                check(all, node, judged, Growth.HEAP_AFTER_GC, Footprint::heapAfterGcBytes, true);
            }
            check(all, node, judged, Growth.OPEN_FILES, Footprint::openFiles, false);
            check(all, node, judged, Growth.THREADS, Footprint::threads, false);
        });
        return all;
    }

    /** Whether there were enough samples after the warm-up to tell a climb from a step. */
    public boolean judgeable() {
        return byNode.values().stream().allMatch(series -> judged(series).size() >= 3);
    }

    /** Per node, resident memory from the first sample after the warm-up to the last. */
    public String rssGrowth() {
        List<String> parts = new ArrayList<>();
        byNode.forEach((node, series) -> {
            List<Sample> judged = judged(series);
            long growth = judged.getLast().footprint().rssBytes() - judged.getFirst().footprint().rssBytes();
            parts.add(node + ' ' + (growth >= 0 ? "+" : "-") + mb(Math.abs(growth)));
        });
        return String.join(", ", parts);
    }

    /** A table: per node and metric, the first judged sample, the last, and the fitted growth. */
    public String table() {
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "%-10s %-14s %12s %12s %14s%n", "node",
                                                              "metric", "after warm-up", "at the end",
                                                              "fitted growth"));
        byNode.forEach((node, series) -> {
            List<Sample> judged = judged(series);
            row(table, node, judged, "rss", Footprint::rssBytes, true);
            if (series.getFirst().footprint().jvm()) {
                row(table, node, judged, "heap after gc", Footprint::heapAfterGcBytes, true);
            }
            row(table, node, judged, "open files", Footprint::openFiles, false);
            row(table, node, judged, "threads", Footprint::threads, false);
        });
        return table.toString();
    }

    private List<Sample> judged(List<Sample> series) {
        List<Sample> judged = series.stream().filter(sample -> sample.seconds() >= warmupSeconds).toList();
        return judged.isEmpty() ? List.of(series.getLast()) : judged;
    }

    private static void check(List<String> problems, String node, List<Sample> judged, Growth growth,
                              ToDoubleFunction<Footprint> metric, boolean bytes) {
        double[] seconds = judged.stream().mapToDouble(Sample::seconds).toArray();
        double[] values = judged.stream().mapToDouble(sample -> metric.applyAsDouble(sample.footprint())).toArray();
        if (growth.keepsGrowing(seconds, values)) {
            double fitted = Growth.fitted(seconds, values);
            problems.add(String.format(Locale.ROOT, "%s: %s keeps growing, %s over %s (threshold %s)", node,
                                       growth.metric(), amount(fitted, bytes), clock(seconds[seconds.length - 1]
                                                                                     - seconds[0]),
                                       amount(growth.threshold(values[0]), bytes)));
        }
    }

    private static void row(StringBuilder table, String node, List<Sample> judged, String name,
                            ToDoubleFunction<Footprint> metric, boolean bytes) {
        double[] seconds = judged.stream().mapToDouble(Sample::seconds).toArray();
        double[] values = judged.stream().mapToDouble(sample -> metric.applyAsDouble(sample.footprint())).toArray();
        String fitted = values.length < 2 ? "-" : (Growth.fitted(seconds, values) >= 0 ? "+" : "")
                                                  + amount(Growth.fitted(seconds, values), bytes);
        table.append(String.format(Locale.ROOT, "%-10s %-14s %12s %12s %14s%n", node, name,
                                   amount(values[0], bytes), amount(values[values.length - 1], bytes), fitted));
    }

    private static String amount(double value, boolean bytes) {
        return bytes ? mb((long) value) : String.format(Locale.ROOT, "%.0f", value);
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1048576.0);
    }

    private static String clock(double seconds) {
        long whole = Math.round(seconds);
        return String.format(Locale.ROOT, "%dm%02ds", whole / 60, whole % 60);
    }
}
