package dev.millions.ops.supervisor;

import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;

import dev.millions.edge.config.EdgeConfig;
import dev.millions.ops.topology.NodeSpec;

/**
 * A load balancer node: the edge's jar run by its own JVM, given a config file with the web nodes'
 * addresses as they are now. Its admin API (loopback, token in {@code data/NAME/admin.token}) is how
 * the supervisor adds and drains web nodes while it runs.
 */
final class LbNode extends JvmHttpNode {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final long STOP_GRACE_MILLIS = 10_000;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Supplier<List<WebNode>> backends;
    private volatile int adminPort;
    private volatile String token;

    LbNode(NodeSpec spec, RunFolder runFolder, Installation installation, Supplier<List<WebNode>> backends) {
        super(spec, runFolder, installation, STOP_GRACE_MILLIS);
        this.backends = backends;
    }

    @Override
    public void start() {
        long startNanos = System.nanoTime();
        try {
            installation.checkEdgeJar();
            port = port != 0 ? port : HttpReadiness.freePort(spec.host());
            adminPort = HttpReadiness.freePort(spec.host());
            Path folder = runFolder.dataDirectory(spec.name());
            Files.createDirectories(folder);
            Files.createDirectories(log().getParent());
            Path tokenFile = folder.resolve("admin.token");
            token = HexFormat.of().formatHex(new SecureRandom().generateSeed(24));
            Files.deleteIfExists(tokenFile);
            Files.createFile(tokenFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tokenFile, token);
            Path config = folder.resolve("edge.json");
            config(tokenFile).write(config);
            List<String> command = new ArrayList<>(List.of("setsid", installation.java().toString()));
            command.addAll(safetyOptions());
            command.addAll(installation.nettyJvmOptions());
            command.addAll(spec.jvmOptions());
            command.addAll(List.of("-jar", installation.edgeJar().toString(), config.toString()));
            Process started = launch(new ProcessBuilder(command).redirectErrorStream(true)
                                                                .redirectOutput(Redirect.appendTo(log().toFile()))
                                                                .redirectInput(Redirect.from(new File("/dev/null"))));
            HttpReadiness.await(this, started, URI.create("http://127.0.0.1:" + adminPort + "/health/readiness"),
                                START_TIMEOUT, startNanos);
        } catch (IOException | IllegalStateException | IllegalArgumentException e) {
            throw new NodeStartException(e.getMessage(), log(), e);
        }
    }

    private EdgeConfig config(Path tokenFile) {
        List<EdgeConfig.BackendConfig> pool = backends.get().stream()
                .map(web -> new EdgeConfig.BackendConfig(web.spec().name(), web.address(), 1)).toList();
        EdgeConfig defaults = EdgeConfig.defaults(spec.name(), spec.host(), port, adminPort, tokenFile, pool,
                                                  runFolder.logFile(spec.name() + ".access"));
        String algorithm = spec.settings().getOrDefault("algorithm", defaults.balancing().algorithm());
        String hashKey = spec.settings().get("hash-key");
        double rate = Double.parseDouble(spec.settings().getOrDefault("rate-limit", "0"));
        return new EdgeConfig(defaults.name(), defaults.host(), port, defaults.adminHost(), adminPort, tokenFile, pool,
                              new EdgeConfig.Balancing(algorithm, hashKey), defaults.health(), defaults.outliers(),
                              defaults.slowStartMillis(), defaults.retries(),
                              new EdgeConfig.RateLimit(rate, Math.max(1, rate)), defaults.limits(), defaults.accessLog());
    }

    /** Adds a started web node to the running balancer. */
    void addBackend(WebNode web) {
        admin("POST", "/admin/backends", "{\"id\":\"" + web.spec().name() + "\",\"address\":\"" + web.address()
                                         + "\",\"weight\":1}");
    }

    /** Takes a web node out of rotation and returns once its requests in flight have finished. */
    void drainBackend(String name) {
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
