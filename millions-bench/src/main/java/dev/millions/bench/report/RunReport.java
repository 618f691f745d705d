package dev.millions.bench.report;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

import dev.millions.bench.fault.FaultEvent;
import dev.millions.bench.history.CheckReport;
import dev.millions.bench.load.LatencyStats;
import dev.millions.bench.load.Recorder;
import dev.millions.bench.load.Second;

/**
 * What a run measured, as a terminal table and as a folder: {@code summary.md}, {@code series.csv}
 * (one row per second), {@code faults.csv}, {@code latency.hgrm} (the full percentile distribution),
 * three SVG plots and {@code report.html} that shows them together.
 */
public final class RunReport {

    private final String title;
    private final Map<String, String> settings;
    private final Recorder recorder;
    private final List<FaultEvent> faults;
    private final CheckReport check;
    private final double measuredSeconds;
    private final double warmupSeconds;

    /**
     * @param settings what was run, in order (topology, entry, mix, rate, ...)
     * @param check the history checker's report, or {@code null} for a run without one
     * @param measuredSeconds the run's length after warm-up, for throughput
     */
    public RunReport(String title, Map<String, String> settings, Recorder recorder, List<FaultEvent> faults,
                     CheckReport check, double measuredSeconds) {
        this.title = title;
        this.settings = new LinkedHashMap<>(settings);
        this.recorder = recorder;
        this.faults = List.copyOf(faults);
        this.check = check;
        this.measuredSeconds = measuredSeconds;
        this.warmupSeconds = recorder.warmupNanos() / 1e9;
    }

    /** The summary table for a terminal. */
    public String table() {
        StringBuilder out = new StringBuilder();
        String header = String.format(Locale.ROOT, "%-14s %9s %7s %9s %9s %9s %9s %9s", "operation", "ok", "errors",
                                      "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms");
        out.append(header).append('\n');
        for (Recorder.OperationSummary op : recorder.operations()) {
            out.append(row(op.name(), op.latency(), op.errorCount())).append('\n');
        }
        long errors = recorder.errors().values().stream().mapToLong(Long::longValue).sum();
        out.append(row("all", recorder.total(), errors)).append('\n');
        out.append(String.format(Locale.ROOT, "%nthroughput %.0f ok/s over %.0f s after %.0f s of warm-up%n",
                                 recorder.total().count() / measuredSeconds, measuredSeconds, warmupSeconds));
        if (!recorder.errors().isEmpty()) {
            out.append("errors by kind: ").append(recorder.errors()).append('\n');
        }
        for (FaultEvent fault : faults) {
            out.append(String.format(Locale.ROOT, "fault %s at %.1f s (returned at %.1f s): %s%s%n", fault.spec(),
                                     fault.atMillis() / 1000.0, fault.doneMillis() / 1000.0,
                                     fault.done() ? "" : "NOT DONE: ", fault.result()));
        }
        for (int[] span : outages(recorder.series())) {
            out.append(String.format(Locale.ROOT, "outage: seconds %d to %d had more errors than successes%n", span[0],
                                     span[1]));
        }
        if (check != null) {
            out.append("history: ").append(check.verdict()).append('\n');
        }
        return out.toString();
    }

    /** Writes the run's folder and returns the path of its HTML page. */
    public Path write(Path folder) throws IOException {
        Files.createDirectories(folder);
        List<Second> series = recorder.series();
        Files.writeString(folder.resolve("series.csv"), seriesCsv(series));
        Files.writeString(folder.resolve("faults.csv"), faultsCsv());
        Files.writeString(folder.resolve("latency.hgrm"), distribution());
        String throughput = throughputChart(series).render();
        String latency = latencyChart(series).render();
        String errors = errorChart(series).render();
        Files.writeString(folder.resolve("throughput.svg"), throughput);
        Files.writeString(folder.resolve("latency.svg"), latency);
        Files.writeString(folder.resolve("errors.svg"), errors);
        Files.writeString(folder.resolve("summary.md"), markdown());
        Path html = folder.resolve("report.html");
        Files.writeString(html, "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>" + SvgChart.escape(title)
                                + "</title><style>body{font-family:sans-serif;margin:24px;max-width:1000px}"
                                + "pre{background:#f6f6f6;padding:12px;overflow-x:auto}</style></head><body>\n<h1>"
                                + SvgChart.escape(title) + "</h1>\n<pre>" + SvgChart.escape(settingsText() + '\n' + table())
                                + "</pre>\n" + throughput + latency + errors
                                + "<p>Raw data: <a href=\"series.csv\">series.csv</a>, <a href=\"faults.csv\">faults.csv</a>,"
                                + " <a href=\"latency.hgrm\">latency.hgrm</a>, <a href=\"summary.md\">summary.md</a></p>\n"
                                + "</body></html>\n");
        return html;
    }

    private String row(String name, LatencyStats stats, long errors) {
        return String.format(Locale.ROOT, "%-14s %9d %7d %9.2f %9.2f %9.2f %9.2f %9.2f", name, stats.count(), errors,
                             stats.p50(), stats.p90(), stats.p99(), stats.p999(), stats.max());
    }

    private String settingsText() {
        StringBuilder text = new StringBuilder();
        settings.forEach((name, value) -> text.append(String.format(Locale.ROOT, "%-10s %s%n", name, value)));
        return text.toString();
    }

    private String markdown() {
        StringBuilder md = new StringBuilder("# ").append(title).append("\n\n");
        settings.forEach((name, value) -> md.append("- ").append(name).append(": `").append(value).append("`\n"));
        md.append("\n| operation | ok | errors | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms |\n")
          .append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (Recorder.OperationSummary op : recorder.operations()) {
            md.append(markdownRow(op.name(), op.latency(), op.errorCount()));
        }
        long errors = recorder.errors().values().stream().mapToLong(Long::longValue).sum();
        md.append(markdownRow("**all**", recorder.total(), errors));
        md.append(String.format(Locale.ROOT, "%nThroughput: %.0f ok/s over %.0f s after %.0f s of warm-up.%n",
                                recorder.total().count() / measuredSeconds, measuredSeconds, warmupSeconds));
        if (!recorder.errors().isEmpty()) {
            md.append("\nErrors by kind: ");
            recorder.errors().forEach((kind, count) -> md.append('`').append(kind).append("` ").append(count).append("; "));
            md.append('\n');
        }
        if (!faults.isEmpty()) {
            md.append("\n| fault | at | result |\n| --- | ---: | --- |\n");
            for (FaultEvent fault : faults) {
                md.append(String.format(Locale.ROOT, "| `%s` | %.1f s | %s%s |%n", fault.spec(), fault.atMillis() / 1000.0,
                                        fault.done() ? "" : "not done: ", fault.result()));
            }
        }
        if (check != null) {
            md.append("\nHistory check: ").append(check.verdict()).append(".\n");
            check.lost().forEach(key -> md.append("- lost: ").append(key).append('\n'));
            check.staleReads().forEach(read -> md.append("- stale read: ").append(read.client()).append(" did not see ")
                                                 .append(read.key()).append('\n'));
        }
        md.append("\n![throughput](throughput.svg)\n![latency](latency.svg)\n![errors](errors.svg)\n");
        return md.toString();
    }

    private static String markdownRow(String name, LatencyStats stats, long errors) {
        return String.format(Locale.ROOT, "| %s | %d | %d | %.2f | %.2f | %.2f | %.2f | %.2f |%n", name, stats.count(),
                             errors, stats.p50(), stats.p90(), stats.p99(), stats.p999(), stats.max());
    }

    private static List<String> errorKinds(List<Second> series) {
        TreeSet<String> kinds = new TreeSet<>();
        series.forEach(second -> kinds.addAll(second.errors().keySet()));
        return new ArrayList<>(kinds);
    }

    private static String seriesCsv(List<Second> series) {
        List<String> kinds = errorKinds(series);
        StringBuilder csv = new StringBuilder("second,due,ok,errors,p50_ms,p90_ms,p99_ms,max_ms");
        kinds.forEach(kind -> csv.append(",\"error: ").append(kind.replace("\"", "'")).append('"'));
        csv.append('\n');
        for (Second second : series) {
            LatencyStats l = second.latency();
            csv.append(String.format(Locale.ROOT, "%d,%d,%d,%d,%.3f,%.3f,%.3f,%.3f", second.second(), second.due(),
                                     second.ok(), second.errorCount(), l.p50(), l.p90(), l.p99(), l.max()));
            kinds.forEach(kind -> csv.append(',').append(second.errors().getOrDefault(kind, 0L)));
            csv.append('\n');
        }
        return csv.toString();
    }

    private String faultsCsv() {
        StringBuilder csv = new StringBuilder("at_ms,fault,done,result\n");
        for (FaultEvent fault : faults) {
            csv.append(fault.atMillis()).append(',').append(fault.spec()).append(',').append(fault.done()).append(",\"")
               .append(fault.result().replace("\"", "'")).append("\"\n");
        }
        return csv.toString();
    }

    private String distribution() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            // Values are recorded in microseconds; the scaling ratio prints them in milliseconds.
            recorder.totalHistogram().outputPercentileDistribution(out, 1000.0);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** Runs of seconds in which more operations failed than succeeded: the outage windows. */
    static List<int[]> outages(List<Second> series) {
        List<int[]> spans = new ArrayList<>();
        int start = -1;
        for (Second second : series) {
            boolean down = second.errorCount() > second.ok();
            if (down && start < 0) {
                start = second.second();
            } else if (!down && start >= 0) {
                spans.add(new int[] { start, second.second() - 1 });
                start = -1;
            }
        }
        if (start >= 0) {
            spans.add(new int[] { start, series.get(series.size() - 1).second() });
        }
        return spans;
    }

    private SvgChart throughputChart(List<Second> series) {
        return decorate(new SvgChart("Throughput", "operations per second", series.size())
                                .series("due", series.stream().mapToDouble(Second::due).toArray())
                                .series("ok", series.stream().mapToDouble(Second::ok).toArray())
                                .series("errors", series.stream().mapToDouble(Second::errorCount).toArray()));
    }

    private SvgChart latencyChart(List<Second> series) {
        return decorate(new SvgChart("Latency of successful operations (from when each was due)", "ms",
                                     series.size())
                                .series("p50", series.stream().mapToDouble(s -> s.latency().p50()).toArray())
                                .series("p90", series.stream().mapToDouble(s -> s.latency().p90()).toArray())
                                .series("p99", series.stream().mapToDouble(s -> s.latency().p99()).toArray())
                                .series("max", series.stream().mapToDouble(s -> s.latency().max()).toArray()));
    }

    private SvgChart errorChart(List<Second> series) {
        SvgChart chart = new SvgChart("Errors by kind", "errors per second", series.size());
        for (String kind : errorKinds(series)) {
            chart.series(kind, series.stream().mapToDouble(s -> s.errors().getOrDefault(kind, 0L)).toArray());
        }
        return decorate(chart);
    }

    private SvgChart decorate(SvgChart chart) {
        chart.warmup(warmupSeconds);
        for (FaultEvent fault : faults) {
            String label = fault.spec().action().id() + ' ' + fault.spec().node();
            long tookMillis = fault.doneMillis() - fault.atMillis();
            chart.marker(fault.atMillis() / 1000.0, tookMillis >= 500 ? label + String.format(Locale.ROOT,
                    " (done at %.1f s)", fault.doneMillis() / 1000.0) : label);
        }
        for (int[] span : outages(recorder.series())) {
            chart.shade(span[0], span[1] + 1, "errors > successes");
        }
        return chart;
    }
}
