package dev.millions.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.HdrHistogram.Histogram;

import dev.millions.bench.history.CheckReport;
import dev.millions.bench.history.History;
import dev.millions.bench.history.HistoryChecker;
import dev.millions.bench.load.LatencyStats;
import dev.millions.bench.load.LoadGenerator;
import dev.millions.bench.load.Recorder;
import dev.millions.bench.load.Schedule;
import dev.millions.bench.load.Second;
import dev.millions.bench.workload.PhotoAppWorkload;

/**
 * The cache tier's worth, measured: the same workload against the same running system, once with the
 * cache on and once with it off (every web node switched at once), counting the database reads the web
 * nodes made per request and the latency clients saw. Users and posts are set up once; the modes take
 * turns, each turn with its own warm-up, left out of its numbers. The history of both phases is checked at the end, so a
 * cache that served a client an older version of its own write fails the run.
 */
public final class CacheBench {

    private static final int MAX_IN_FLIGHT = 10_000;
    /** Each mode's turns: short turns, many of them, spread a machine's stalls evenly over both modes. */
    private static final int ROUNDS = 4;
    private static final int RAMP_STEPS = 4;
    private static final Duration VERIFY_DEADLINE = Duration.ofSeconds(60);

    /** The system under test, as the bench sees it besides its API. */
    public interface Target {

        /** Turns the cache on or off on every web node, and returns once they all follow. */
        void cache(boolean on) throws InterruptedException;

        /** Counters summed over every web node, now. */
        Counters counters();
    }

    /**
     * @param dbReads database reads made so far
     * @param cacheHits cache gets answered by the cache (near, Redis, or "not found" cached)
     * @param cacheGets every cache get that consulted the cache
     * @param gcPauseSeconds time the web nodes' JVMs were stopped for garbage collection
     * @param cpuSeconds CPU time the system's processes used, by role ({@code web}, {@code postgres},
     *                   {@code redis}, ...), the load generator's own left out
     * @param processes the processes counted (e.g. {@code web-1 pid 4242}): counters of two samples can be
     *                  subtracted only when both came from the same processes
     */
    public record Counters(double dbReads, double cacheHits, double cacheGets, double gcPauseSeconds,
                           Map<String, Double> cpuSeconds, Set<String> processes) {

        public static final Counters ZERO = new Counters(0, 0, 0, 0, Map.of(), Set.of());

        public Counters {
            cpuSeconds = Collections.unmodifiableMap(new TreeMap<>(cpuSeconds));
            processes = Collections.unmodifiableSet(new TreeSet<>(processes));
        }

        /**
         * Why {@code this.minus(earlier)} would not be a measurement, or {@code null} when it is: the
         * processes changed in between (a restarted node counts from zero again), or a counter went back.
         */
        public String incomparableWith(Counters earlier) {
            if (!processes.equals(earlier.processes)) {
                Set<String> gone = new TreeSet<>(earlier.processes);
                gone.removeAll(processes);
                Set<String> came = new TreeSet<>(processes);
                came.removeAll(earlier.processes);
                return "processes changed: " + (gone.isEmpty() ? "" : "gone " + gone + ' ')
                       + (came.isEmpty() ? "" : "new " + came);
            }
            Counters delta = minus(earlier);
            if (delta.dbReads < 0 || delta.cacheHits < 0 || delta.cacheGets < 0 || delta.gcPauseSeconds < 0
                || delta.cpuSeconds.values().stream().anyMatch(seconds -> seconds < 0)) {
                return "a counter went back: " + delta;
            }
            return null;
        }

        public Counters minus(Counters earlier) {
            return combine(earlier, -1);
        }

        Counters plus(Counters other) {
            return combine(other, 1);
        }

        private Counters combine(Counters other, int sign) {
            Map<String, Double> cpu = new TreeMap<>(cpuSeconds);
            other.cpuSeconds.forEach((role, seconds) -> cpu.merge(role, sign * seconds, Double::sum));
            return new Counters(dbReads + sign * other.dbReads, cacheHits + sign * other.cacheHits,
                                cacheGets + sign * other.cacheGets, gcPauseSeconds + sign * other.gcPauseSeconds,
                                cpu, processes);
        }

        double cpuSecondsTotal() {
            return cpuSeconds.values().stream().mapToDouble(Double::doubleValue).sum();
        }
    }

    /** One mode's numbers, summed over its rounds. */
    static final class Phase {

        private final String name;
        private final Histogram latency = new Histogram(3_600_000_000L, 3);
        private final Map<String, Histogram> byOperation = new TreeMap<>();
        private long errors;
        private Counters counters = Counters.ZERO;
        private Duration measured = Duration.ZERO;
        /** Requests of the turns whose counters were measured: the denominator of every per-request figure. */
        private long counted;
        private final List<String> leftOut = new ArrayList<>();

        Phase(String name) {
            this.name = name;
        }

        /** Adds a turn; its counters only when {@code incomparable} is {@code null}. */
        void add(Recorder recorder, Counters during, String incomparable, Duration turn, int number) {
            latency.add(recorder.totalHistogram());
            recorder.operationHistograms().forEach((operation, histogram) -> byOperation.merge(operation, histogram,
                                                                                               Phase::sum));
            long turnErrors = recorder.errors().values().stream().mapToLong(Long::longValue).sum();
            errors += turnErrors;
            if (incomparable != null) {
                leftOut.add("turn " + number + ": " + incomparable);
                return;
            }
            measured = measured.plus(turn);
            counted += recorder.totalHistogram().getTotalCount() + turnErrors;
            counters = counters.plus(during);
        }

        /** The turns whose counters could not be measured, and why; empty when all were. */
        List<String> leftOut() {
            return leftOut;
        }

        private static Histogram sum(Histogram into, Histogram more) {
            into.add(more);
            return into;
        }

        LatencyStats stats() {
            return LatencyStats.of(latency);
        }

        LatencyStats stats(String operation) {
            Histogram histogram = byOperation.get(operation);
            return histogram == null ? LatencyStats.EMPTY : LatencyStats.of(histogram);
        }

        double readsPerRequest() {
            return perRequest(counters.dbReads());
        }

        /** Milliseconds of the system's CPU per request. */
        double cpuMillisPerRequest(double cpuSeconds) {
            return perRequest(1000 * cpuSeconds);
        }

        private double perRequest(double amount) {
            return counted == 0 ? Double.NaN : amount / counted;
        }

        /** E.g. {@code cached postgres 0.04, redis 0.08, web 0.50}. */
        String cpuByRole() {
            return counters.cpuSeconds().entrySet().stream()
                           .map(role -> String.format("%s %.2f", role.getKey(), cpuMillisPerRequest(role.getValue())))
                           .collect(Collectors.joining(", ", name + ' ', ""));
        }

        String row() {
            LatencyStats stats = stats();
            return String.format("%-9s %8d %7d %9.2f %9.2f %9.2f %14.3f %10s %12.1f %12.2f", name, stats.count(),
                                 errors, stats.p50(), stats.p90(), stats.p99(), readsPerRequest(),
                                 counters.cacheGets() == 0 ? "-"
                                 : String.format("%.1f %%", 100 * counters.cacheHits() / counters.cacheGets()),
                                 measured.isZero() ? 0 : 1000 * counters.gcPauseSeconds() / measured.toSeconds(),
                                 cpuMillisPerRequest(counters.cpuSecondsTotal()));
        }
    }

    /**
     * Each measured second of every turn, stamped with the wall clock so that a slow second can be
     * lined up with the nodes' logs (a Redis snapshot, a GC pause).
     */
    static final class PerSecond {

        private final StringBuilder csv = new StringBuilder("turn,mode,time,ok,errors,p50_ms,p99_ms,max_ms\n");

        void add(int turn, String mode, long startMillis, Recorder recorder) {
            for (Second second : recorder.series()) {
                LatencyStats latency = second.latency();
                csv.append(String.format(Locale.ROOT, "%d,%s,%s,%d,%d,%.3f,%.3f,%.3f%n", turn, mode,
                                         Instant.ofEpochMilli(startMillis + 1000L * second.second()), second.ok(),
                                         second.errorCount(), latency.p50(), latency.p99(), latency.max()));
            }
        }

        Path write(Path folder) throws IOException {
            Files.createDirectories(folder);
            return Files.writeString(folder.resolve("seconds.csv"), csv);
        }
    }

    private CacheBench() {}

    /**
     * Runs the modes in counterbalanced turns (cached, uncached, uncached, cached, twice: an ABBA order
     * cancels a steady drift such as the JVMs warming up, where alternating would give the first mode
     * every colder turn), after an unmeasured warm-up of both modes, each turn settled after its switch
     * and then measured for a quarter of the measured time; 0 when the history checks out, 1 otherwise.
     * The plan's duration is one mode's measured time plus its warm-up, which is spent once at the start,
     * ramped, and a quarter of it again as each turn's settling time.
     */
    public static int run(AppBenchPlan plan, Optional<Probing> probing, Target system, PrintWriter out)
            throws InterruptedException {
        History history = new History();
        String tag = "c" + Long.toString(System.currentTimeMillis() % 78_364_164_096L, 36);
        out.printf("setting up %d users, their posts and follows through %s ...%n", plan.users(), plan.entry());
        out.flush();
        PhotoAppWorkload workload = PhotoAppWorkload.prepare(plan.entry(), plan.mix(), plan.users(), plan.skew(),
                                                             plan.seed(), tag, plan.requestTimeout(),
                                                             plan.freshConnectionPercent(), history);
        if (probing.isPresent()) {
            Optional<AppBenchPlan> probed = probing.get().plan(plan, workload.operations(), List.of(
                    new Probing.Mode("uncached", () -> system.cache(false)),
                    new Probing.Mode("cached", () -> system.cache(true))), out);
            if (probed.isEmpty()) {
                system.cache(true);
                return 1;
            }
            plan = probed.get();
        }
        PerSecond seconds = new PerSecond();
        Phase cached = new Phase("cached");
        Phase uncached = new Phase("uncached");
        Duration turn = plan.duration().minus(plan.warmup()).dividedBy(ROUNDS);
        Duration warmup = plan.warmup().dividedBy(ROUNDS);
        try {
            if (plan.warmup().toMillis() >= 1000) {
                // The bench's own JVM and the web nodes' keep getting faster well into the second turn
                // (the client's CPU for the same load fell 287, 174, 131, 123 ticks over the four turns):
                // a decay that ABBA does not cancel, and the first turn is cached. Both modes' code paths
                // are warmed once before any turn, the cached one last as before its own turns; the rate
                // rises in steps, from cold.
                out.printf("warming up both modes for %d s each ...%n", plan.warmup().toSeconds());
                out.flush();
                for (boolean on : new boolean[] { false, true }) {
                    system.cache(on);
                    rampUp(plan, workload, plan.warmup(), plan.seed() + 50 + (on ? 10 : 0));
                }
            }
            for (int round = 0; round < ROUNDS * 2; round++) {
                boolean on = round % 4 == 0 || round % 4 == 3;
                Phase phase = on ? cached : uncached;
                system.cache(on);
                out.printf("%s, turn %d of %d: %s for %d s after %d s of warm-up ...%n", phase.name, round / 2 + 1,
                           ROUNDS, plan.schedule().describe(), turn.toSeconds(), warmup.toSeconds());
                out.flush();
                if (warmup.toMillis() >= 1000) {
                    load(plan, workload, warmup, plan.seed() + 100 + round);
                }
                Counters before = system.counters();
                long startMillis = System.currentTimeMillis();
                Recorder recorder = load(plan, workload, turn, plan.seed() + round);
                Counters after = system.counters();
                phase.add(recorder, after.minus(before), after.incomparableWith(before), turn, round / 2 + 1);
                seconds.add(round + 1, phase.name, startMillis, recorder);
            }
        } finally {
            system.cache(true);
        }
        out.println();
        out.printf("%-9s %8s %7s %9s %9s %9s %14s %10s %12s %12s%n", "cache", "ok", "errors", "p50 ms", "p90 ms",
                   "p99 ms", "db reads/req", "hit ratio", "gc ms/s", "cpu ms/req");
        out.println(cached.row());
        out.println(uncached.row());
        out.println("cpu ms per request by role: " + cached.cpuByRole() + "; " + uncached.cpuByRole());
        for (Phase phase : List.of(cached, uncached)) {
            if (!phase.leftOut().isEmpty()) {
                out.println(phase.name + ": counters of " + phase.leftOut().size() + " turns left out of the per-request"
                            + " figures (" + String.join("; ", phase.leftOut()) + ')');
            }
        }
        operationTable(out, cached, uncached);
        CheckReport check = HistoryChecker.check(history, workload.lookup(System.nanoTime()
                                                                           + VERIFY_DEADLINE.toNanos()));
        out.println("history: " + check.verdict());
        try {
            out.println("per second: " + seconds.write(plan.reports()));
        } catch (IOException e) {
            out.println("per second: not written (" + e + ")");
        }
        String noVerdict = noVerdict(cached, uncached);
        if (noVerdict != null) {
            out.println("no verdict: " + noVerdict);
            out.flush();
            return 1;
        }
        double ratio = cached.readsPerRequest() == 0 ? Double.POSITIVE_INFINITY
                                                     : uncached.readsPerRequest() / cached.readsPerRequest();
        out.printf("db reads per request: cached %.3f, uncached %.3f (%s× fewer); p99 cached %.1f ms, uncached %.1f ms%n",
                   cached.readsPerRequest(), uncached.readsPerRequest(),
                   Double.isInfinite(ratio) ? "∞" : String.format("%.1f", ratio), cached.stats().p99(),
                   uncached.stats().p99());
        out.flush();
        return check.passed() ? 0 : 1;
    }

    /**
     * Why the two modes cannot be compared, or {@code null}: a mode that failed or shed requests was
     * overloaded (its latency is the queue's, not the cache's), and a mode with no measured counters has
     * no per-request figures.
     */
    private static String noVerdict(Phase cached, Phase uncached) {
        List<String> reasons = new ArrayList<>();
        for (Phase phase : List.of(cached, uncached)) {
            if (phase.errors > 0) {
                reasons.add(phase.name + " failed " + phase.errors + " requests (overloaded, or a node failed: see "
                            + "the table and the per-second file; try a lower --rate)");
            }
            if (phase.counted == 0) {
                reasons.add(phase.name + " has no turn with measured counters");
            }
        }
        return reasons.isEmpty() ? null : String.join("; ", reasons);
    }

    /** Where the time goes: each operation's share and latency in both modes. */
    private static void operationTable(PrintWriter out, Phase cached, Phase uncached) {
        out.println();
        out.printf("%-14s %7s %12s %12s %12s %12s%n", "operation", "share", "p50 cached", "p50 uncached",
                   "p99 cached", "p99 uncached");
        long total = cached.latency.getTotalCount();
        Set<String> names = new TreeSet<>(cached.byOperation.keySet());
        names.addAll(uncached.byOperation.keySet());
        for (String name : names) {
            LatencyStats on = cached.stats(name);
            LatencyStats off = uncached.stats(name);
            out.printf("%-14s %6.1f%% %12.2f %12.2f %12.2f %12.2f%n", name, total == 0 ? 0 : 100.0 * on.count() / total,
                       on.p50(), off.p50(), on.p99(), off.p99());
        }
        out.println();
    }

    private static Recorder load(AppBenchPlan plan, PhotoAppWorkload workload, Duration duration, long seed)
            throws InterruptedException {
        return load(plan.schedule(), plan, workload, duration, seed);
    }

    private static Recorder load(Schedule schedule, AppBenchPlan plan, PhotoAppWorkload workload, Duration duration,
                                 long seed) throws InterruptedException {
        Recorder recorder = new Recorder(System.nanoTime() + 100_000_000L, 0);
        LoadGenerator.of(schedule, duration, seed, MAX_IN_FLIGHT, plan.requestTimeout().plusSeconds(5))
                     .run(workload.operations(), recorder);
        return recorder;
    }

    /**
     * Brings cold JVMs up to the full rate in steps of a quarter: the full rate at once would queue
     * requests faster than a JVM that is still compiling its code can serve them.
     */
    private static void rampUp(AppBenchPlan plan, PhotoAppWorkload workload, Duration duration, long seed)
            throws InterruptedException {
        if (!(plan.schedule() instanceof Schedule.OpenLoop open)) {
            load(plan, workload, duration, seed);
            return;
        }
        for (int step = 1; step <= RAMP_STEPS; step++) {
            load(Schedule.openLoop(open.ratePerSecond() * step / RAMP_STEPS), plan, workload,
                 duration.dividedBy(RAMP_STEPS), seed + step);
        }
    }
}
