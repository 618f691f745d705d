package dev.millions.ops.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.HdrHistogram.Histogram;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.millions.bench.load.LatencyStats;
import dev.millions.ops.chaos.NodeFaults;
import dev.millions.ops.node.EdgeJarNode;
import dev.millions.ops.node.Installation;
import dev.millions.ops.node.RunFolder;
import dev.millions.ops.supervisor.ControlClient;
import dev.millions.ops.supervisor.NodeState;
import dev.millions.ops.supervisor.RunState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "cdn-origin", mixinStandardHelpOptions = true,
        description = { "Kill the CDN edge's primary origin (the load balancer) with SIGKILL under GET load on cached "
                        + "objects (the UI's scripts and styles) and uncached ones (an /api read), and count the failed "
                        + "GETs and the time to the first uncached answer from the backup group (the web nodes). With the "
                        + "origin still down, soft-purge the script and time its stale answers. Then start the origin "
                        + "again and time purges by tag until the edge misses. Needs a running cdn stage "
                        + "(./millions up cdn -d)." },
        footer = { "", "Ends with: cdn-origin: F failed GETs of N; first answer from the backup after X ms; "
                       + "stale answers p99 Y ms; purge by tag p99 Z ms until every edge misses" })
final class CdnOriginDrill implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ASSET = Pattern.compile("/app-[0-9a-f]{32}\\.(js|css)");
    /** Uncached answers after the kill, before the load stops: a count, so a slow machine runs longer. */
    private static final long UNCACHED_AFTER_KILL = 200;
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @Option(names = "--clients", defaultValue = "8", description = "GET clients (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--purges", defaultValue = "20", description = "Purges by tag to time (default: ${DEFAULT-VALUE}).")
    int purges;

    @Mixin
    RunFolderOption runFolderOption;

    @Spec
    CommandSpec spec;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                                              .connectTimeout(Duration.ofSeconds(5)).build();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (clients < 1 || clients > 256 || purges < 1 || purges > 1000) {
            err.println("error: --clients " + clients + ", --purges " + purges + " (expected: 1..256, 1..1000)");
            return ExitCodes.USAGE;
        }
        RunFolder runFolder = runFolderOption.runFolder(Installation.detect());
        Optional<NodeState> edge = RunState.read(runFolder.stateFile()).flatMap(
                state -> state.nodes().stream().filter(node -> node.role().equals("cdn") && node.url() != null).findFirst());
        if (edge.isEmpty()) {
            err.println("error: no CDN edge runs from " + runFolder.root() + "; start one with `./millions up cdn -d`");
            return ExitCodes.NOT_RUNNING;
        }
        String base = edge.get().url();
        String origin = JSON.readTree(EdgeJarNode.configFile(runFolder, edge.get().name()).toFile())
                            .path("cdn").path("origins").path("site").path(0).path("id").asText();
        List<String> cached = assets(base);
        // A user of the drill's own, whose profile is the uncached read.
        String uncached = base + "api/users/" + DrillUsers.signUp(http, base, "drill");
        cached.forEach(path -> get(base + path.substring(1)));

        NodeFaults faults = new NodeFaults(runFolder);
        ControlClient control = new ControlClient(runFolder);
        Load load = new Load(cached.stream().map(path -> base + path.substring(1)).toList(), uncached);
        long failoverMillis;
        try {
            load.await(() -> load.uncachedOk.sum() >= 50, "uncached answers before the kill");
            out.println(faults.killAndHold(origin));
            long killedAt = System.nanoTime();
            load.killedAt.set(killedAt);
            load.await(() -> load.firstAfterKill.get() != 0, "a first uncached answer after the kill");
            failoverMillis = (load.firstAfterKill.get() - killedAt) / 1_000_000;
            long atKill = load.uncachedOk.sum();
            load.await(() -> load.uncachedOk.sum() >= atKill + UNCACHED_AFTER_KILL, "uncached answers after the kill");
        } finally {
            load.stop();
        }
        out.printf("origin %s killed under load: %d GETs, %d failed (cached %d ok, uncached %d ok)%s%n", origin,
                   load.total(), load.failed.sum(), load.cachedOk.sum(), load.uncachedOk.sum(),
                   load.lastFailure.get() == null ? "" : "; last failure: " + load.lastFailure.get());
        LatencyStats stale = staleAnswers(control, base, cached.getFirst());
        out.printf("origin down, script soft-purged: %d stale answers, p50 %.1f ms, p99 %.1f ms%n", stale.count(),
                   stale.p50(), stale.p99());
        out.println(origin + ' ' + control.restart(origin));
        LatencyStats purge = purges(control, base + cached.getLast().substring(1));
        out.printf("cdn-origin: %d failed GETs of %d; first answer from the backup after %d ms; stale answers p99 %.1f ms; "
                   + "purge by tag p99 %.1f ms until every edge misses%n", load.failed.sum(), load.total(), failoverMillis,
                   stale.p99(), purge.p99());
        return load.failed.sum() == 0 ? ExitCodes.OK : ExitCodes.FAILED;
    }

    /** The UI's versioned script and styles, as its page names them. */
    private List<String> assets(String base) {
        Matcher matcher = ASSET.matcher(get(base).body());
        List<String> found = new ArrayList<>();
        while (matcher.find()) {
            found.add(matcher.group());
        }
        if (found.isEmpty()) {
            throw new IllegalStateException("the page at " + base + " names no versioned script or styles");
        }
        return found;
    }

    /** Answers for a soft-purged script while its origin is down: served stale, at once. */
    private LatencyStats staleAnswers(ControlClient control, String base, String script) {
        control.purge("url", script, true);
        Histogram micros = new Histogram(60_000_000L, 3);
        for (int i = 0; i < 200; i++) {
            long start = System.nanoTime();
            HttpResponse<String> answer = get(base + script.substring(1));
            String status = answer.headers().firstValue("Cache-Status").orElse("");
            if (answer.statusCode() == 200 && status.contains("stale-while-revalidate")) {
                micros.recordValue((System.nanoTime() - start) / 1_000);
            }
        }
        return LatencyStats.of(micros);
    }

    /** From the start of a purge by tag to the edge's first miss of the purged object, each time. */
    private LatencyStats purges(ControlClient control, String object) throws InterruptedException {
        Histogram micros = new Histogram(60_000_000L, 3);
        for (int i = 0; i < purges; i++) {
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (!get(object).headers().firstValue("Cache-Status").orElse("").contains("; hit")) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(object + " not a hit within " + DEADLINE.toSeconds() + " s");
                }
                Thread.sleep(10);
            }
            long start = System.nanoTime();
            control.purge("tag", "ui", false);
            while (get(object).headers().firstValue("Cache-Status").orElse("").contains("; hit")) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(object + " still a hit " + DEADLINE.toSeconds() + " s after a purge");
                }
            }
            micros.recordValue((System.nanoTime() - start) / 1_000);
        }
        return LatencyStats.of(micros);
    }

    private HttpResponse<String> get(String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                             HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("GET " + url + " failed: " + e, e);
        }
    }

    /** GET clients, each picking a cached object or the uncached one at random, counting what fails. */
    private final class Load {
        final LongAdder cachedOk = new LongAdder();
        final LongAdder uncachedOk = new LongAdder();
        final LongAdder failed = new LongAdder();
        final AtomicReference<String> lastFailure = new AtomicReference<>();
        final AtomicLong killedAt = new AtomicLong();
        final AtomicLong firstAfterKill = new AtomicLong();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<Thread> threads = new ArrayList<>();

        Load(List<String> cached, String uncached) {
            for (int i = 0; i < clients; i++) {
                threads.add(Thread.ofVirtual().start(() -> {
                    while (running.get()) {
                        boolean pickUncached = ThreadLocalRandom.current().nextBoolean();
                        String url = pickUncached ? uncached : cached.get(ThreadLocalRandom.current().nextInt(cached.size()));
                        long started = System.nanoTime();
                        try {
                            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(url))
                                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
                            if (answer.statusCode() != 200) {
                                fail("HTTP " + answer.statusCode() + " for " + url);
                            } else if (pickUncached) {
                                uncachedOk.increment();
                                long kill = killedAt.get();
                                if (kill != 0 && started - kill > 0) {
                                    firstAfterKill.compareAndSet(0, System.nanoTime());
                                }
                            } else {
                                cachedOk.increment();
                            }
                        } catch (Exception e) {
                            fail(e + " for " + url);
                        }
                    }
                }));
            }
        }

        private void fail(String why) {
            failed.increment();
            lastFailure.set(why);
        }

        long total() {
            return cachedOk.sum() + uncachedOk.sum() + failed.sum();
        }

        void await(BooleanSupplier condition, String what) throws InterruptedException {
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (!condition.getAsBoolean()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(what + ": not within " + DEADLINE.toSeconds() + " s ("
                                                    + total() + " GETs, " + failed.sum() + " failed)");
                }
                Thread.sleep(5);
            }
        }

        void stop() throws InterruptedException {
            running.set(false);
            for (Thread thread : threads) {
                thread.join(Duration.ofSeconds(35));
            }
        }
    }
}
