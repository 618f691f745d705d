package dev.millions.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The same wrk load against several addresses, repeated and interleaved (A B C A B C ...) so that a
 * drift of the machine hits every target alike; reported per target as the median of its runs, with
 * ratios against the first target.
 */
public final class SideBySide {

    private final Map<String, List<Wrk.Result>> results = new LinkedHashMap<>();

    public void add(String target, Wrk.Result result) {
        results.computeIfAbsent(target, t -> new ArrayList<>()).add(result);
    }

    public String table() {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-28s %5s %12s %9s %9s %8s %10s%n", "target",
                                                            "runs", "rps median", "p50 ms", "p99 ms", "errors",
                                                            "rps ratio"));
        double baseline = Double.NaN;
        for (Map.Entry<String, List<Wrk.Result>> entry : results.entrySet()) {
            List<Wrk.Result> runs = entry.getValue();
            double rps = median(runs.stream().mapToDouble(Wrk.Result::requestsPerSecond).toArray());
            if (Double.isNaN(baseline)) {
                baseline = rps;
            }
            out.append(String.format(Locale.ROOT, "%-28s %5d %12.0f %9.2f %9.2f %8d %10.2f%n", entry.getKey(),
                                     runs.size(), rps, median(runs.stream().mapToDouble(Wrk.Result::p50).toArray()),
                                     median(runs.stream().mapToDouble(Wrk.Result::p99).toArray()),
                                     runs.stream().mapToLong(Wrk.Result::errors).sum(), rps / baseline));
        }
        return out.toString();
    }

    /** Writes {@code summary.md} and {@code wrk.csv} (every run) to {@code folder}. */
    public void write(Path folder, String title) throws IOException {
        Files.createDirectories(folder);
        StringBuilder csv = new StringBuilder("target,run,rps,p50_ms,p99_ms,requests,errors\n");
        results.forEach((target, runs) -> {
            for (int i = 0; i < runs.size(); i++) {
                Wrk.Result r = runs.get(i);
                csv.append(String.format(Locale.ROOT, "%s,%d,%.1f,%.3f,%.3f,%d,%d%n", target, i + 1,
                                         r.requestsPerSecond(), r.p50(), r.p99(), r.requests(), r.errors()));
            }
        });
        Files.writeString(folder.resolve("wrk.csv"), csv);
        Files.writeString(folder.resolve("summary.md"), "# " + title + "\n\n```\n" + table() + "```\n");
    }

    public double medianRps(String target) {
        return median(results.get(target).stream().mapToDouble(Wrk.Result::requestsPerSecond).toArray());
    }

    public double medianP99(String target) {
        return median(results.get(target).stream().mapToDouble(Wrk.Result::p99).toArray());
    }

    static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
