package dev.millions.ops.role.lb;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.millions.common.admin.Tokens;
import dev.millions.common.process.ChildProcess;
import dev.millions.common.process.Ports;
import dev.millions.edge.config.EdgeConfig;
import dev.millions.ops.node.Balancer;
import dev.millions.ops.node.Capabilities;
import dev.millions.ops.node.HttpReadiness;
import dev.millions.ops.node.Installation;
import dev.millions.ops.node.JvmHttpNode;
import dev.millions.ops.node.ManagedNode;
import dev.millions.ops.node.NodeStartException;
import dev.millions.ops.node.RunFolder;
import dev.millions.ops.topology.NodeSpec;

/**
 * A load balancer node: the edge's jar run by its own JVM, given a config file with its backends'
 * addresses as they are now (those of the topology and those added since). Its admin API (loopback, token in {@code data/NAME/admin.token}) is how
 * the supervisor adds and drains web nodes while it runs.
 */
final class LbNode extends JvmHttpNode implements Balancer {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final long STOP_GRACE_MILLIS = 10_000;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final LbSettings settings;
    /** Its backends by name: the topology's, then those added while it runs, less those drained. */
    private final Map<String, ManagedNode> backends = new LinkedHashMap<>();
    private volatile int adminPort;
    private volatile String token;

    LbNode(NodeSpec spec, LbSettings settings, RunFolder runFolder, Installation installation) {
        super(spec, runFolder, installation, STOP_GRACE_MILLIS);
        this.settings = settings;
    }

    synchronized void initialBackend(ManagedNode backend) {
        backends.put(backend.spec().name(), backend);
    }

    @Override
    public Capabilities capabilities() {
        return Capabilities.builder().add(Balancer.class, this).build();
    }

    @Override
    public synchronized boolean balances(String node) {
        return backends.containsKey(node);
    }

    @Override
    public void start() {
        long startNanos = System.nanoTime();
        try {
            installation.checkEdgeJar();
            port = port != 0 ? port : Ports.free(spec.host());
            adminPort = Ports.free(spec.host());
            Path folder = runFolder.dataDirectory(spec.name());
            Files.createDirectories(folder);
            Files.createDirectories(log().getParent());
            Path tokenFile = folder.resolve("admin.token");
            token = Tokens.random();
            Tokens.writeOwnerOnly(tokenFile, token);
            Path config = folder.resolve("edge.json");
            config(tokenFile).write(config);
            List<String> command = new ArrayList<>(List.of("setsid", installation.java().toString()));
            command.addAll(safetyOptions());
            command.addAll(installation.nettyJvmOptions());
            command.addAll(spec.jvmOptions());
            command.addAll(List.of("-jar", installation.edgeJar().toString(), config.toString()));
            ChildProcess started = launch(command, Map.of());
            HttpReadiness.await(this, started, URI.create("http://127.0.0.1:" + adminPort + "/health/readiness"),
                                START_TIMEOUT, startNanos);
        } catch (IOException | IllegalStateException | IllegalArgumentException e) {
            throw new NodeStartException(e.getMessage(), log(), e);
        }
    }

    private synchronized EdgeConfig config(Path tokenFile) {
        List<EdgeConfig.BackendConfig> pool = backends.values().stream()
                .map(web -> new EdgeConfig.BackendConfig(web.spec().name(), web.address(), 1)).toList();
        EdgeConfig defaults = EdgeConfig.defaults(spec.name(), spec.host(), port, adminPort, tokenFile, pool,
                                                  runFolder.logFile(spec.name() + ".access"));
        String algorithm = settings.algorithm().orElse(defaults.balancing().algorithm());
        String hashKey = settings.hashKey().orElse(null);
        double rate = settings.rateLimit();
        return new EdgeConfig(defaults.name(), defaults.host(), port, defaults.adminHost(), adminPort, tokenFile, pool,
                              new EdgeConfig.Balancing(algorithm, hashKey), defaults.health(), defaults.outliers(),
                              defaults.slowStartMillis(), defaults.retries(),
                              new EdgeConfig.RateLimit(rate, Math.max(1, rate)), defaults.limits(), defaults.accessLog());
    }

    @Override
    public void addBackend(ManagedNode web) {
        admin("POST", "/admin/backends", "{\"id\":\"" + web.spec().name() + "\",\"address\":\"" + web.address()
                                         + "\",\"weight\":1}");
        synchronized (this) {
            backends.put(web.spec().name(), web);
        }
    }

    @Override
    public void drainBackend(String name) {
        synchronized (this) {
            backends.remove(name);
        }
        admin("POST", "/admin/backends/" + name + "/drain", "");
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline && admin("GET", "/admin/backends", null).contains("\"id\":\"" + name + '"')) {
            HttpReadiness.sleep(50);
        }
    }

    private String admin(String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path))
                                                 .timeout(Duration.ofSeconds(5))
                                                 .header("Authorization", "Bearer " + token)
                                                 .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                                                                              : HttpRequest.BodyPublishers.ofString(body));
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 300) {
                throw new IllegalStateException(spec.name() + " refused " + method + ' ' + path + ": HTTP "
                                                + response.statusCode() + ' ' + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach the admin API of " + spec.name() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while talking to " + spec.name(), e);
        }
    }
}
