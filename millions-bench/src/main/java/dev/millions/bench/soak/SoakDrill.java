package dev.millions.bench.soak;

import static dev.millions.bench.Preconditions.checkArgument;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import dev.millions.bench.AppBenchPlan;
import dev.millions.bench.history.CheckReport;
import dev.millions.bench.history.History;
import dev.millions.bench.history.HistoryChecker;
import dev.millions.bench.load.LoadGenerator;
import dev.millions.bench.load.Recorder;
import dev.millions.bench.report.RunReport;
import dev.millions.bench.workload.PhotoAppWorkload;

/**
 * The soak drill: the photo app's mixed traffic, part of it on a new connection per request, for a
 * long while, with every node's footprint sampled at a fixed period. It fails when a node's memory,
 * open files or threads keep growing, when a node restarts or goes down, when a request fails, or when
 * an acknowledged write is lost: a leak shows in a soak long before it kills a node in production.
 */
public final class SoakDrill {

    private static final int MAX_IN_FLIGHT = 10_000;
    private static final Duration VERIFY_DEADLINE = Duration.ofSeconds(60);

    private SoakDrill() {}

    /**
     * Runs the plan (its warm-up is when samples are shown but not judged; every request counts) and
     * returns 0 when everything held, 1 otherwise.
     */
    public static int run(AppBenchPlan plan, Duration samplePeriod, FootprintProbe probe, PrintWriter out)
            throws InterruptedException, IOException {
        checkArgument(samplePeriod.toMillis() >= 1000, "sample period: %s (expected: >= 1s)", samplePeriod);
        History history = new History();
        String tag = "s" + Long.toString(System.currentTimeMillis() % 78_364_164_096L, 36);
        out.printf("setting up %d users, their posts and follows through %s ...%n", plan.users(), plan.entry());
        out.flush();
        PhotoAppWorkload workload = PhotoAppWorkload.prepare(plan.entry(), plan.mix(), plan.users(), plan.skew(),
                                                             plan.seed(), tag, plan.requestTimeout(),
                                                             plan.freshConnectionPercent(), history);
        long requestsBefore = workload.requests();
        out.printf("soaking for %d s: %s, %s mix, %d %% of requests on a new connection each; every node's footprint"
                   + " every %d s, judged after %d s of warm-up%n", plan.duration().toSeconds(),
                   plan.schedule().describe(), plan.mix().id(), plan.freshConnectionPercent(),
                   samplePeriod.toSeconds(), plan.warmup().toSeconds());
        out.flush();
        long zero = System.nanoTime() + 100_000_000L;
        Recorder recorder = new Recorder(zero, 0);
        AtomicInteger stuck = new AtomicInteger();
        AtomicReference<Throwable> loadFailure = new AtomicReference<>();
        Thread load = Thread.ofPlatform().name("soak-load").start(() -> {
            try {
                stuck.set(LoadGenerator.of(plan.schedule(), plan.duration(), plan.seed(), MAX_IN_FLIGHT,
                                           plan.requestTimeout().plusSeconds(5))
                                       .run(workload.operations(), recorder));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException | Error e) {
                loadFailure.set(e);
            }
        });
        FootprintLog log = new FootprintLog(plan.warmup().toNanos() / 1e9);
        StringBuilder csv = new StringBuilder("seconds,node,pid,rss_bytes,heap_after_gc_bytes,open_files,threads\n");
        try {
            long end = zero + plan.duration().toNanos();
            for (long due = zero; due <= end && load.isAlive(); due += samplePeriod.toNanos()) {
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    load.join(Duration.ofNanos(wait));
                }
                sample(probe, (System.nanoTime() - zero) / 1e9, log, csv, out);
            }
            load.join();
            sample(probe, (System.nanoTime() - zero) / 1e9, log, csv, out);
        } finally {
            load.interrupt();
            load.join();
        }
        if (loadFailure.get() != null) {
            throw new IllegalStateException("the load stopped: " + loadFailure.get(), loadFailure.get());
        }
        out.println("checking every acknowledged write ...");
        out.flush();
        CheckReport check = HistoryChecker.check(history, workload.lookup(System.nanoTime()
                                                                           + VERIFY_DEADLINE.toNanos()));
        RunReport report = new RunReport("millions drill soak on " + plan.topology(), settings(plan, samplePeriod),
                                         recorder, List.of(), check, plan.duration().toNanos() / 1e9);
        Path html = report.write(plan.reports());
        Files.writeString(plan.reports().resolve("footprint.csv"), csv, StandardCharsets.UTF_8);
        long operations = recorder.total().count() + recorder.errors().values().stream().mapToLong(Long::longValue)
                                                            .sum();
        long errors = recorder.errors().values().stream().mapToLong(Long::longValue).sum();
        out.println();
        out.print(report.table());
        out.println();
        out.print(log.table());
        out.printf("%nreport: %s (footprint samples in footprint.csv)%n", html);
        List<String> failures = new ArrayList<>(log.problems());
        if (!log.judgeable()) {
            failures.add("fewer than 3 samples after the warm-up: too short to tell growth from a step; run longer"
                         + " or sample more often (--sample)");
        }
        if (errors > 0) {
            failures.add(errors + " of " + operations + " operations failed: " + recorder.errors());
        }
        if (stuck.get() > 0) {
            failures.add(stuck.get() + " operations were still running when the soak ended");
        }
        if (!check.passed()) {
            failures.add(check.verdict());
        }
        out.println("history: " + check.verdict());
        failures.forEach(failure -> out.println("FAILED: " + failure));
        out.printf("soak: %d requests, %d errors, rss growth per node %s%n", workload.requests() - requestsBefore,
                   errors, log.rssGrowth());
        out.flush();
        return failures.isEmpty() ? 0 : 1;
    }

    private static void sample(FootprintProbe probe, double seconds, FootprintLog log, StringBuilder csv,
                               PrintWriter out) throws InterruptedException {
        Map<String, Footprint> sample = probe.sample();
        log.add(seconds, sample);
        sample.forEach((node, f) -> csv.append(String.format(Locale.ROOT, "%.1f,%s,%d,%d,%d,%d,%d%n",
                                                             seconds, node, f.pid(), f.rssBytes(),
                                                             f.heapAfterGcBytes(), f.openFiles(), f.threads())));
        out.println(FootprintLog.line(seconds, sample));
        out.flush();
    }

    private static Map<String, String> settings(AppBenchPlan plan, Duration samplePeriod) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("topology", plan.topology());
        settings.put("entry", plan.entry() + " (" + plan.entryNode() + ')');
        settings.put("mix", plan.mix().id() + " (" + plan.mix().writePercent() + " % writes), Zipf s=" + plan.skew());
        settings.put("load", plan.schedule().describe() + ", " + plan.freshConnectionPercent()
                             + " % of requests on a new connection each");
        settings.put("duration", plan.duration().toSeconds() + " s, judged after " + plan.warmup().toSeconds()
                                 + " s, sampled every " + samplePeriod.toSeconds() + " s");
        settings.put("users", Integer.toString(plan.users()));
        settings.put("seed", Long.toString(plan.seed()));
        return settings;
    }
}
