package dev.millions.ops.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.millions.bench.report.SideBySide;
import dev.millions.bench.report.Wrk;
import dev.millions.common.process.Ports;
import dev.millions.edge.config.CdnConfig;
import dev.millions.edge.config.EdgeConfig;
import dev.millions.ops.node.Installation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "cdn", mixinStandardHelpOptions = true,
        description = { "Our CDN edge against nginx proxy_cache and Varnish, side by side: one nginx origin "
                        + "serving 100 objects of 1 KiB and 8 of 1 MiB (Cache-Control: public, max-age=3600) behind "
                        + "each cache, each cache with 512 MiB, one thread (Varnish: its own pools), pinned with the "
                        + "origin to the proxy CPU; wrk pinned to the client CPU (0 unless --client-cpu) with "
                        + "keep-alive. Phases, each warmed up, repeated and interleaved: hits of the small objects, "
                        + "hits of the 1 MiB objects, misses (a new URL each request); then 1000 concurrent requests "
                        + "for one cold key that the origin answers after 500 ms, counting the fetches the origin saw "
                        + "from each cache. Needs nginx, varnish and wrk (apt-get install nginx varnish wrk)." },
        footer = { "", "It ends with: cdn/nginx hit throughput ratio: X.XX (p99 ratio Y.YY); coalescing: N origin "
                       + "fetches for 1000 concurrent misses: the geometric mean over the two hit phases of the ratios "
                       + "of medians, and our edge's origin fetches in the coalescing test." })
final class CdnBenchCommand implements Callable<Integer> {

    private static final int BURST = 1000;
    private static final long ORIGIN_DELAY_MILLIS = 500;
    private static final String OURS = "millions";
    private static final String NGINX = "nginx";

    @Option(names = "--connections", defaultValue = "64",
            description = "Client concurrency of the wrk phases. Default: ${DEFAULT-VALUE}.")
    int connections;

    @Option(names = "--warmup", defaultValue = "10",
            description = "Unmeasured seconds of load per cache before its first run of each phase (for hits, it "
                          + "also fills the cache). Default: ${DEFAULT-VALUE}.")
    int warmupSeconds;

    @Option(names = "--settle", defaultValue = "45",
            description = "After its warm-up in each phase, our edge takes more load in 5 s slices, up to this many "
                          + "seconds, until its JIT compiler settles (two slices in a row under 0.5 %% compiling). "
                          + "nginx and Varnish have no JIT. Default: ${DEFAULT-VALUE}.")
    int settleSeconds;

    @Option(names = "--proxy-cpu", defaultValue = "1",
            description = "CPU for the caches and the origin. Default: ${DEFAULT-VALUE}.")
    String proxyCpu;

    @Mixin
    WrkOptions wrkOptions;

    @Mixin
    RunFolderOption runFolderOption;

    @Spec
    CommandSpec spec;

    /** A measured phase: the wrk script and its arguments, given a tag that is new for every wrk run. */
    private record Phase(String name, boolean hits, String script, String prefix, int objects) {

        String[] arguments(int tag) {
            return hits ? new String[] { prefix, Integer.toString(objects) }
                        : new String[] { prefix, Integer.toString(objects), "t" + tag };
        }
    }

    private static final List<Phase> PHASES = List.of(
            new Phase("hits-1KiB", true, "cdn-hits.lua", "/small/", PeerCaches.SMALL_OBJECTS),
            new Phase("hits-1MiB", true, "cdn-hits.lua", "/large/", PeerCaches.LARGE_OBJECTS),
            // Last of the wrk phases: it fills every cache with objects nobody asks for again.
            new Phase("misses", false, "cdn-misses.lua", "/small/", PeerCaches.SMALL_OBJECTS));

    /**
     * Runs wrk for a phase against one cache, each run with a tag of its own, so that no two runs of the
     * miss phase ask for the same URL.
     */
    private static final class Loader {

        private final Wrk wrk;
        private final Path folder;
        private final int connections;
        private final String clientCpu;
        private int runs;

        Loader(Wrk wrk, Path folder, int connections, String clientCpu) {
            this.wrk = wrk;
            this.folder = folder;
            this.connections = connections;
            this.clientCpu = clientCpu;
        }

        Wrk.Result run(Phase phase, int port, int seconds) throws IOException, InterruptedException {
            return wrk.run("http://127.0.0.1:" + port + "/", connections, seconds, clientCpu,
                           folder.resolve(phase.script()), phase.arguments(++runs));
        }
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        List<String> missing = PeerCaches.PROGRAMS.stream().filter(program -> Wrk.which(program).isEmpty()).toList();
        if (!missing.isEmpty()) {
            spec.commandLine().getErr().println("error: missing " + String.join(", ", missing)
                                                + "; install with: apt-get install -y nginx varnish wrk util-linux");
            return ExitCodes.FAILED;
        }
        Installation installation = Installation.detect();
        installation.checkEdgeJar();
        Path folder = runFolderOption.runFolder(installation).benchReport("cdn");
        Files.createDirectories(folder);
        String clientCpu = wrkOptions.clientCpuOr("0");
        Loader loader = new Loader(Wrk.find(), folder, connections, clientCpu);
        for (String script : List.of("cdn-hits.lua", "cdn-misses.lua")) {
            try (InputStream in = CdnBenchCommand.class.getResourceAsStream(script)) {
                if (in == null) {
                    throw new IllegalStateException("the wrk script " + script + " is missing from the ops jar");
                }
                Files.write(folder.resolve(script), in.readAllBytes());
            }
        }
        try (SlowOrigin slow = SlowOrigin.start(ORIGIN_DELAY_MILLIS);
             PeerCaches peers = new PeerCaches(folder, PeerCaches.scratch(folder), new PeerProxies(folder, proxyCpu))) {
            int origin = peers.startOrigin(slow.port());
            Map<String, Integer> caches = new LinkedHashMap<>();
            Ours ours = startOurs(peers, installation, folder, origin);
            caches.put(OURS, ours.port());
            caches.put(NGINX, peers.startNginxCache(origin));
            caches.put("varnish", peers.startVarnish(origin));
            out.printf("origin 127.0.0.1:%d; caches %s on CPU %s, wrk on CPU %s; %d s x %d runs at %d connections%n",
                       origin, caches.keySet(), proxyCpu, clientCpu, wrkOptions.seconds, wrkOptions.runs, connections);
            out.flush();
            Map<Phase, SideBySide> byPhase = new LinkedHashMap<>();
            for (Phase phase : PHASES) {
                byPhase.put(phase, measure(out, loader, phase, caches, ours));
            }
            Map<String, Coalescing> coalescing = new LinkedHashMap<>();
            for (Map.Entry<String, Integer> cache : caches.entrySet()) {
                coalescing.put(cache.getKey(), coalesce(out, peers, cache.getKey(), cache.getValue(),
                                                        cache.getKey().equals(OURS) ? ours : null));
            }
            return report(out, folder, byPhase, coalescing);
        }
    }

    private SideBySide measure(PrintWriter out, Loader loader, Phase phase, Map<String, Integer> caches, Ours ours)
            throws IOException, InterruptedException {
        SideBySide results = new SideBySide();
        for (int run = 1; run <= wrkOptions.runs; run++) {
            for (Map.Entry<String, Integer> cache : caches.entrySet()) {
                if (run == 1) {
                    // Fills the cache and warms its connections right before the first measured run of the
                    // phase, the same for every cache; not measured.
                    loader.run(phase, cache.getValue(), warmupSeconds);
                    if (cache.getKey().equals(OURS)) {
                        out.printf("  %-9s millions: %s%n", phase.name(), JitSettle.await(
                                settleSeconds, ours::jitSeconds, slice -> loader.run(phase, ours.port(), slice)));
                        out.flush();
                    }
                }
                Wrk.Result result = loader.run(phase, cache.getValue(), wrkOptions.seconds);
                out.printf(Locale.ROOT, "  %-9s run %d %-8s %8.0f rps  p50 %7.2f ms  p99 %7.2f ms  errors %d%n",
                           phase.name(), run, cache.getKey(), result.requestsPerSecond(), result.p50(), result.p99(),
                           result.errors());
                out.flush();
                results.add(cache.getKey(), result);
            }
        }
        return results;
    }

    /** One cache's coalescing test: its origin fetches as the origin logged them, and what the clients got. */
    private record Coalescing(long originFetches, Burst.Outcome outcome, double oursMetric) {}

    /**
     * {@value #BURST} requests at once for a key no cache has seen, its own for each cache, which the
     * origin answers after {@value #ORIGIN_DELAY_MILLIS} ms. For ours, the fetches its metrics count are
     * kept beside the origin's log as a check of one against the other.
     */
    private Coalescing coalesce(PrintWriter out, PeerCaches peers, String name, int port, Ours ours)
            throws IOException {
        String path = "/slow/" + name + "-cold";
        double metricBefore = ours != null ? ours.originFetches() : Double.NaN;
        Burst.Outcome outcome = new Burst(port, BURST).fire(path);
        long fetches = peers.originFetches(path);
        double metric = ours != null ? ours.originFetches() - metricBefore : Double.NaN;
        out.printf(Locale.ROOT, "  coalescing %-8s %d origin fetches; %d of %d answered 200 in %d ms%n", name, fetches,
                   outcome.ok(), BURST, outcome.millis());
        out.flush();
        return new Coalescing(fetches, outcome, metric);
    }

    private int report(PrintWriter out, Path folder, Map<Phase, SideBySide> byPhase,
                       Map<String, Coalescing> coalescing) throws IOException {
        double logRps = 0;
        double logP99 = 0;
        int hitPhases = 0;
        StringBuilder summary = new StringBuilder();
        for (Map.Entry<Phase, SideBySide> entry : byPhase.entrySet()) {
            Phase phase = entry.getKey();
            SideBySide results = entry.getValue();
            summary.append("\n").append(phase.name()).append(", ").append(connections).append(" connections\n")
                   .append(results.table());
            results.write(folder.resolve(phase.name()), "millions bench cdn, " + phase.name());
            if (phase.hits()) {
                logRps += Math.log(results.medianRps(OURS) / results.medianRps(NGINX));
                logP99 += Math.log(results.medianP99(OURS) / results.medianP99(NGINX));
                hitPhases++;
            }
        }
        summary.append(String.format(Locale.ROOT, "%ncoalescing, %d concurrent requests for one cold key (origin "
                                                  + "answers after %d ms)%n%-28s %15s %12s %10s%n", BURST,
                                     ORIGIN_DELAY_MILLIS, "target", "origin fetches", "answers 200", "ms"));
        coalescing.forEach((name, result) -> summary.append(String.format(Locale.ROOT, "%-28s %15d %12d %10d%n", name,
                result.originFetches(), result.outcome().ok(), result.outcome().millis())));
        Coalescing ours = coalescing.get(OURS);
        summary.append(String.format(Locale.ROOT, "(millions' own metric: %.0f origin fetches)%n", ours.oursMetric()));
        String line = String.format(Locale.ROOT, "cdn/nginx hit throughput ratio: %.2f (p99 ratio %.2f); coalescing: "
                                                 + "%d origin fetches for %d concurrent misses",
                                    Math.exp(logRps / hitPhases), Math.exp(logP99 / hitPhases), ours.originFetches(),
                                    BURST);
        Files.writeString(folder.resolve("summary.md"),
                          "# millions bench cdn\n\n```" + summary + "\n" + line + "\n```\n");
        out.print(summary);
        out.printf("%nreport: %s%n%s%n", folder.resolve("summary.md"), line);
        return ExitCodes.OK;
    }

    /** Our edge: its traffic port, and its admin port for its metrics. */
    private record Ours(int port, int adminPort) {

        double jitSeconds() {
            return MetricsScrape.metric(adminUrl(), "jvm_jit_compilation_seconds_total");
        }

        double originFetches() {
            return MetricsScrape.metric(adminUrl(), "millions_cdn_origin_fetches_total");
        }

        private String adminUrl() {
            return "http://127.0.0.1:" + adminPort + "/";
        }
    }

    private static Ours startOurs(PeerCaches peers, Installation installation, Path folder, int origin)
            throws IOException {
        int port = Ports.free("127.0.0.1");
        int adminPort = Ports.free("127.0.0.1");
        Path token = folder.resolve("admin.token");
        Files.writeString(token, "bench");
        EdgeConfig defaults = EdgeConfig.defaults("bench-cdn", "127.0.0.1", port, adminPort, token, List.of(), null);
        EdgeConfig lb = new EdgeConfig(defaults.name(), defaults.host(), port, defaults.adminHost(),
                                       defaults.adminPort(), token, List.of(),
                                       new EdgeConfig.Balancing("round-robin", null),
                                       new EdgeConfig.Health("/health", 1_000, 1_000, 2, 2), defaults.outliers(), 0,
                                       defaults.retries(), defaults.rateLimit(), defaults.limits(), null);
        // Objects up to 2 MiB are stored (the large ones are 1 MiB); a miss waits up to 10 s for another
        // request's fetch of its key, as nginx's proxy_cache_lock_timeout is set here.
        EdgeConfig.BackendConfig originServer = new EdgeConfig.BackendConfig("origin-1", "127.0.0.1:" + origin, 1);
        CdnConfig cdn = new CdnConfig(Map.of("origin", List.of(originServer)),
                                      List.of(new CdnConfig.Route("/", "origin", null, true, List.of(), null, null)),
                                      new CdnConfig.Cache(PeerCaches.CACHE_BYTES, 2L << 20, false, 10_000, 0, 0, null, 0));
        Path file = folder.resolve("millions-cdn.json");
        lb.withCdn(cdn).write(file);
        List<String> command = new ArrayList<>(List.of(installation.java().toString()));
        command.addAll(installation.nettyJvmOptions());
        // One event loop, as nginx gets one worker; leak detection off, as in production. The stored bodies
        // are direct buffers: room for the 512 MiB tier and Netty's pools beside it. Each stored answer's
        // head and bookkeeping stay on the heap, about 2 KiB apiece; the tier's bound counts them, so a
        // tier full of small answers holds at most its 512 MiB there, and the heap has room beside it.
        // Its collections are logged to the report folder: a pause shows as a tail the peers do not have.
        command.addAll(List.of("-Dmillions.edge.threads=1", "-Dio.netty.leakDetection.level=disabled", "-Xms2g",
                               "-Xmx2g", "-XX:MaxDirectMemorySize=1g",
                               "-Xlog:gc:file=" + folder.resolve("millions-cdn.gc.log") + ":uptime",
                               "-jar", installation.edgeJar().toString(), file.toString()));
        peers.start("millions-cdn", command.toArray(String[]::new));
        peers.awaitPort(port);
        peers.awaitPort(adminPort);
        peers.awaitAnswer(port, "/small/0");
        return new Ours(port, adminPort);
    }
}
