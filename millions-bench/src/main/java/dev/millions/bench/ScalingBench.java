package dev.millions.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.millions.bench.history.History;
import dev.millions.bench.load.LatencyStats;
import dev.millions.bench.load.LoadGenerator;
import dev.millions.bench.load.Recorder;
import dev.millions.bench.workload.PhotoAppWorkload;

/**
 * Vertical and horizontal scaling, measured on the machine at hand: the same load of the app's mix
 * (the plan's schedule: a closed loop finds each configuration's capacity) against each configuration
 * in turn, each warmed up before it is measured, with how busy the machine's CPUs were meanwhile
 * ({@code /proc/stat}). Where the busy share reaches the whole machine, the machine is the ceiling, not
 * the tier: the bench, the load balancer, the cache and the database share its cores with the web
 * nodes, so a node more can only take CPU from them.
 */
public final class ScalingBench {

    private static final int MAX_IN_FLIGHT = 10_000;
    /**
     * What an operation still running when its turn ends is recorded as. With 100 users, every worker of
     * a closed loop is still inside one when the drain time is over (TODO(issue 20): find what holds them).
     */
    static final String CUT_OFF = "interrupted";
    /** A machine this busy has no CPU left for another node to use. */
    private static final double SATURATED = 0.9;

    /** One way to run the web tier, applied before its turn (scale, pin to cores). */
    public record Configuration(String name, Runnable apply) {}

    /** A configuration's turn: ok operations a second, their latency, errors by kind, the machine's busy share. */
    public record Result(String name, double throughput, LatencyStats latency, Map<String, Long> errorsByKind,
                         double machineBusy) {

        /**
         * Errors, but not the operations that the end of the turn cut off: a closed loop's last
         * operations are interrupted when the turn ends (see {@link #CUT_OFF}).
         */
        public long errors() {
            return errorsByKind.entrySet().stream().filter(kind -> !kind.getKey().equals(CUT_OFF))
                               .mapToLong(Map.Entry::getValue).sum();
        }
    }

    private ScalingBench() {}

    public static List<Result> run(AppBenchPlan plan, List<Configuration> configurations, PrintWriter out)
            throws InterruptedException {
        String tag = "s" + Long.toString(System.currentTimeMillis() % 78_364_164_096L, 36);
        out.printf("setting up %d users, their posts and follows through %s ...%n", plan.users(), plan.entry());
        out.flush();
        PhotoAppWorkload workload = PhotoAppWorkload.prepare(plan.entry(), plan.mix(), plan.users(), plan.skew(),
                                                             plan.seed(), tag, plan.requestTimeout(),
                                                             plan.freshConnectionPercent(), new History());
        Duration measured = plan.duration().minus(plan.warmup());
        List<Result> results = new ArrayList<>();
        long seed = plan.seed();
        for (Configuration configuration : configurations) {
            out.printf("%s: %s for %d s after %d s of warm-up ...%n", configuration.name(), plan.schedule().describe(),
                       measured.toSeconds(), plan.warmup().toSeconds());
            out.flush();
            configuration.apply().run();
            if (plan.warmup().toMillis() > 0) {
                load(plan, workload, plan.warmup(), seed++);
            }
            MachineCpu before = MachineCpu.now();
            Recorder recorder = load(plan, workload, measured, seed++);
            double busy = MachineCpu.now().busySince(before);
            LatencyStats latency = recorder.total();
            results.add(new Result(configuration.name(), latency.count() / (measured.toMillis() / 1000.0), latency,
                                   recorder.errors(), busy));
        }
        return results;
    }

    private static Recorder load(AppBenchPlan plan, PhotoAppWorkload workload, Duration duration, long seed)
            throws InterruptedException {
        Recorder recorder = new Recorder(System.nanoTime() + 100_000_000L, 0);
        LoadGenerator.of(plan.schedule(), duration, seed, MAX_IN_FLIGHT, plan.requestTimeout().plusSeconds(5))
                     .run(workload.operations(), recorder);
        return recorder;
    }

    /** One row per configuration, its throughput also as a multiple of the first's. */
    public static String table(List<Result> results) {
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "%-18s %10s %8s %9s %9s %8s %10s%n",
                "web tier", "ok/s", "vs first", "p50 ms", "p99 ms", "errors", "machine"));
        double first = results.isEmpty() ? 0 : results.getFirst().throughput();
        for (Result result : results) {
            table.append(String.format(Locale.ROOT, "%-18s %10.1f %7.2fx %9.1f %9.1f %8d %9.0f%%%n", result.name(),
                                       result.throughput(), first == 0 ? 0 : result.throughput() / first,
                                       result.latency().p50(), result.latency().p99(), result.errors(),
                                       result.machineBusy() * 100));
        }
        results.stream().filter(result -> !result.errorsByKind().isEmpty()).forEach(result -> table.append(
                String.format(Locale.ROOT, "errors by kind with %s: %s%s%n", result.name(), result.errorsByKind(),
                              result.errorsByKind().containsKey(CUT_OFF)
                              ? " (interrupted: cut off by the end of the turn, not counted)" : "")));
        return table.toString();
    }

    /** Where the ceiling is, and why: the best configuration, and whether the machine was saturated there. */
    public static String verdict(List<Result> results, int cores) {
        Result best = results.stream().max((a, b) -> Double.compare(a.throughput(), b.throughput())).orElseThrow();
        String why = best.machineBusy() >= SATURATED
                     ? String.format(Locale.ROOT, "the machine's %d cores were %.0f %% busy there: the bench, the load "
                                                  + "balancer, the cache and the database share them with the web "
                                                  + "nodes, so another node only takes CPU from them", cores,
                                     best.machineBusy() * 100)
                     : String.format(Locale.ROOT, "the machine's %d cores were only %.0f %% busy there: the limit is "
                                                  + "elsewhere (connections, the database, the load's concurrency)",
                                     cores, best.machineBusy() * 100);
        return String.format(Locale.ROOT, "ceiling: %.0f ok/s with %s; %s", best.throughput(), best.name(), why);
    }

    /** Throughput as bars and p99 as a line, one group per configuration. */
    public static void plot(List<Result> results, Path svg) {
        int width = 720;
        int height = 320;
        int left = 60;
        int bottom = 40;
        int top = 30;
        double maxThroughput = results.stream().mapToDouble(Result::throughput).max().orElse(1) * 1.15;
        double maxP99 = results.stream().mapToDouble(result -> result.latency().p99()).max().orElse(1) * 1.15;
        int slot = (width - left - 60) / Math.max(1, results.size());
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" "
                + "font-size=\"12\"><rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>"
                + "<text x=\"%d\" y=\"18\" font-size=\"14\">ok/s (bars) and p99 ms (dots) by web tier</text>",
                width, height, left));
        List<String> points = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            Result result = results.get(i);
            int x = left + i * slot + slot / 4;
            double barHeight = (height - top - bottom) * result.throughput() / maxThroughput;
            out.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" fill=\"#4a7fd1\"/>"
                                                  + "<text x=\"%d\" y=\"%.1f\">%.0f</text>"
                                                  + "<text x=\"%d\" y=\"%d\">%s</text>",
                                     x, height - bottom - barHeight, slot / 2, barHeight, x, height - bottom - barHeight - 4,
                                     result.throughput(), x - 10, height - bottom + 16, escape(result.name())));
            double y = height - bottom - (height - top - bottom) * result.latency().p99() / maxP99;
            points.add(String.format(Locale.ROOT, "%d,%.1f", x + slot / 4, y));
            out.append(String.format(Locale.ROOT, "<circle cx=\"%d\" cy=\"%.1f\" r=\"4\" fill=\"#d62728\"/>"
                                                  + "<text x=\"%d\" y=\"%.1f\" fill=\"#d62728\">%.0f ms</text>",
                                     x + slot / 4, y, x + slot / 4 + 6, y - 6, result.latency().p99()));
        }
        out.append("<polyline fill=\"none\" stroke=\"#d62728\" points=\"").append(String.join(" ", points))
           .append("\"/></svg>\n");
        try {
            Files.createDirectories(svg.getParent());
            Files.writeString(svg, out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + svg + ": " + e.getMessage(), e);
        }
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;");
    }

    /** The machine's CPU times from {@code /proc/stat}'s first line (proc(5)): busy is all but idle and iowait. */
    record MachineCpu(long busy, long total) {

        static MachineCpu now() {
            try {
                String[] fields = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
                long total = 0;
                for (int i = 1; i < Math.min(fields.length, 9); i++) {
                    total += Long.parseLong(fields[i]);
                }
                long idle = Long.parseLong(fields[4]) + Long.parseLong(fields[5]);
                return new MachineCpu(total - idle, total);
            } catch (IOException | RuntimeException e) {
                return new MachineCpu(0, 0);
            }
        }

        double busySince(MachineCpu before) {
            long total = this.total - before.total;
            return total <= 0 ? 0 : (double) (busy - before.busy) / total;
        }
    }
}
