package dev.millions.ops.cli;

import java.io.IOException;
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
import dev.millions.edge.config.EdgeConfig;
import dev.millions.ops.node.Installation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "lb", mixinStandardHelpOptions = true,
        description = { "Our load balancer against HAProxy and nginx, side by side: the same two nginx backends "
                        + "(1 KiB answers) behind each, round robin with keep-alive, one thread each, pinned with "
                        + "the backends to the proxy CPU; wrk pinned to the client CPU (0 unless --client-cpu), at each concurrency, "
                        + "repeated and interleaved. Ours and HAProxy check the backends' health each second (open-source nginx "
                        + "cannot). Needs nginx, haproxy and wrk (apt-get install nginx haproxy wrk)." },
        footer = { "", "It ends with: lb/haproxy throughput ratio: X.XX (p99 ratio Y.YY), the geometric mean over "
                       + "the concurrencies of the ratios of medians." })
final class LbBenchCommand implements Callable<Integer> {

    @Option(names = "--connections", defaultValue = "64,256", split = ",",
            description = "Client concurrencies. Default: ${DEFAULT-VALUE}.")
    List<Integer> concurrencies;

    @Option(names = "--warmup", defaultValue = "15",
            description = "Unmeasured seconds of load per proxy before its first run at each concurrency. "
                          + "Default: ${DEFAULT-VALUE}.")
    int warmupSeconds;

    @Option(names = "--settle", defaultValue = "90",
            description = "After its warm-up, our proxy takes more load in 5 s slices, up to this many seconds, until "
                          + "its JIT compiler settles (two slices in a row under 0.5 %% compiling): a JVM's tail latency "
                          + "is its own only then. HAProxy and nginx have no JIT. Default: ${DEFAULT-VALUE}.")
    int settleSeconds;

    @Option(names = "--proxy-cpu", defaultValue = "1",
            description = "CPU for the proxies and the backends. Default: ${DEFAULT-VALUE}.")
    String proxyCpu;

    @Option(names = "--tracing", paramLabel = "SAMPLING",
            description = "Our proxy records a span for this share of the requests (0..1) and sends them over OTLP to "
                          + "a trace store the bench starts on the proxy CPU, as `up` does: the cost of tracing, read "
                          + "against the ratio line of a run without. Default: no tracing.")
    Double tracing;

    @Mixin
    WrkOptions wrkOptions;

    @Mixin
    RunFolderOption runFolderOption;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        int seconds = wrkOptions.seconds;
        int runs = wrkOptions.runs;
        String clientCpu = wrkOptions.clientCpuOr("0");
        List<String> missing = PeerProxies.PROGRAMS.stream().filter(program -> Wrk.which(program).isEmpty()).toList();
        if (!missing.isEmpty()) {
            spec.commandLine().getErr().println("error: missing " + String.join(", ", missing)
                                                + "; install with: apt-get install -y nginx haproxy wrk util-linux");
            return ExitCodes.FAILED;
        }
        if (tracing != null && !(tracing >= 0 && tracing <= 1)) {
            spec.commandLine().getErr().println("error: --tracing: " + tracing + " (expected: the share of requests traced, 0..1)");
            return ExitCodes.USAGE;
        }
        Installation installation = Installation.detect();
        Path folder = runFolderOption.runFolder(installation).benchReport("lb");
        Files.createDirectories(folder);
        Wrk wrk = Wrk.find();
        try (PeerProxies peers = new PeerProxies(folder, proxyCpu)) {
            List<String> backends = peers.startBackends();
            Map<String, Integer> proxies = new LinkedHashMap<>();
            Ours ours = startOurs(peers, installation, folder, backends);
            proxies.put("millions", ours.port());
            proxies.put("haproxy", peers.startHaproxy(backends));
            proxies.put("nginx", peers.startNginxProxy(backends));
            out.printf("backends %s; proxies on CPU %s, wrk on CPU %s; %d s x %d runs at %s connections%s%n", backends,
                       proxyCpu, clientCpu, seconds, runs, concurrencies,
                       tracing == null ? "" : "; ours traces " + tracing + " of the requests");
            Map<Integer, SideBySide> byConcurrency = new LinkedHashMap<>();
            for (int connections : concurrencies) {
                SideBySide results = new SideBySide();
                byConcurrency.put(connections, results);
                for (int run = 1; run <= runs; run++) {
                    for (Map.Entry<String, Integer> proxy : proxies.entrySet()) {
                        if (run == 1) {
                            // Warms the JIT and the connection pools at this concurrency right before the
                            // first measured run, the same for every proxy; not measured.
                            wrk.run(url(proxy.getValue()), connections, warmupSeconds, clientCpu);
                            if (proxy.getKey().equals("millions")) {
                                out.printf("  c=%-4d millions: %s%n", connections, JitSettle.await(
                                        settleSeconds, ours::jitSeconds,
                                        slice -> wrk.run(url(ours.port()), connections, slice, clientCpu)));
                                out.flush();
                            }
                        }
                        Wrk.Result result = wrk.run(url(proxy.getValue()), connections, seconds, clientCpu);
                        out.printf(Locale.ROOT, "  c=%-4d run %d %-9s %8.0f rps  p99 %6.2f ms  errors %d%n", connections,
                                   run, proxy.getKey(), result.requestsPerSecond(), result.p99(), result.errors());
                        out.flush();
                        results.add(proxy.getKey(), result);
                    }
                }
            }
            return report(out, folder, byConcurrency);
        }
    }

    private int report(PrintWriter out, Path folder, Map<Integer, SideBySide> byConcurrency) throws IOException {
        double logRps = 0;
        double logP99 = 0;
        StringBuilder summary = new StringBuilder();
        for (Map.Entry<Integer, SideBySide> entry : byConcurrency.entrySet()) {
            SideBySide results = entry.getValue();
            String table = results.table();
            summary.append("\n").append(entry.getKey()).append(" connections\n").append(table);
            results.write(folder.resolve("c" + entry.getKey()), "millions bench lb, " + entry.getKey() + " connections");
            logRps += Math.log(results.medianRps("millions") / results.medianRps("haproxy"));
            logP99 += Math.log(results.medianP99("millions") / results.medianP99("haproxy"));
        }
        int n = byConcurrency.size();
        String line = String.format(Locale.ROOT, "lb/haproxy throughput ratio: %.2f (p99 ratio %.2f)", Math.exp(logRps / n),
                                    Math.exp(logP99 / n));
        Files.writeString(folder.resolve("summary.md"), "# millions bench lb\n\n```" + summary + "\n" + line + "\n```\n");
        out.print(summary);
        out.printf("%nreport: %s%n%s%n", folder.resolve("summary.md"), line);
        return ExitCodes.OK;
    }

    /** Our proxy: its traffic port, and its admin port for the JVM's compile time. */
    private record Ours(int port, int adminPort) {

        double jitSeconds() {
            return MetricsScrape.metric("http://127.0.0.1:" + adminPort + "/", "jvm_jit_compilation_seconds_total");
        }
    }

    private Ours startOurs(PeerProxies peers, Installation installation, Path folder, List<String> backends)
            throws IOException {
        int port = Ports.free("127.0.0.1");
        int adminPort = Ports.free("127.0.0.1");
        Path token = folder.resolve("admin.token");
        Files.writeString(token, "bench");
        List<EdgeConfig.BackendConfig> pool = new ArrayList<>();
        for (int i = 0; i < backends.size(); i++) {
            pool.add(new EdgeConfig.BackendConfig("nginx-" + (i + 1), backends.get(i), 1));
        }
        EdgeConfig defaults = EdgeConfig.defaults("bench-lb", "127.0.0.1", port, adminPort, token, pool, null);
        EdgeConfig config = new EdgeConfig(defaults.name(), defaults.host(), port, defaults.adminHost(), defaults.adminPort(),
                                           token, pool, new EdgeConfig.Balancing("round-robin", null),
                                           new EdgeConfig.Health("/", 1_000, 1_000, 2, 2), defaults.outliers(), 0,
                                           defaults.retries(), defaults.rateLimit(), defaults.limits(), null);
        if (tracing != null) {
            config = config.withTracing(new EdgeConfig.Tracing(startTraceStore(peers, installation), tracing));
        }
        Path file = folder.resolve("millions-lb.json");
        config.write(file);
        List<String> command = new ArrayList<>(List.of(installation.java().toString()));
        command.addAll(installation.nettyJvmOptions());
        // One event loop, as HAProxy and nginx get one thread; leak detection off, as in production.
        command.addAll(List.of("-Dmillions.edge.threads=1", "-Dio.netty.leakDetection.level=disabled", "-Xms256m",
                               "-Xmx256m", "-jar", installation.edgeJar().toString(), file.toString()));
        peers.start("millions-lb", command.toArray(String[]::new));
        peers.awaitPort(port);
        peers.awaitPort(adminPort);
        return new Ours(port, adminPort);
    }

    /** The trace store that {@code up} runs, pinned with the proxies: its work is part of tracing's cost. */
    private static String startTraceStore(PeerProxies peers, Installation installation) throws IOException {
        installation.checkJar(installation.traceJar(), "the trace store's");
        int port = Ports.free("127.0.0.1");
        List<String> command = new ArrayList<>(List.of(installation.java().toString()));
        command.addAll(installation.nettyJvmOptions());
        command.addAll(List.of("-Xmx256m", "-jar", installation.traceJar().toString(), "--port", Integer.toString(port)));
        peers.start("millions-trace", command.toArray(String[]::new));
        peers.awaitPort(port);
        return url(port) + "v1/traces";
    }

    private static String url(int port) {
        return "http://127.0.0.1:" + port + "/";
    }
}
