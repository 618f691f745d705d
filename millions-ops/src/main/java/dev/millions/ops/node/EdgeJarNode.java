package dev.millions.ops.node;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.millions.common.admin.Tokens;
import dev.millions.common.process.ChildProcess;
import dev.millions.common.process.Ports;
import dev.millions.edge.config.EdgeConfig;
import dev.millions.ops.topology.NodeSpec;

/**
 * A node that is the edge's jar run by its own JVM (the load balancer, a CDN edge): it is given a config
 * file written at each start, and an admin API on a loopback port with a fresh token in {@code
 * data/NAME/admin.token}, through which the supervisor changes it while it runs.
 */
public abstract class EdgeJarNode extends JvmHttpNode {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final long STOP_GRACE_MILLIS = 10_000;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private volatile int adminPort;
    private volatile String token;

    private volatile TraceAccess traces;

    protected EdgeJarNode(NodeSpec spec, RunFolder runFolder, Installation installation) {
        super(spec, runFolder, installation, STOP_GRACE_MILLIS);
    }

    /** The edge's config for this start, with its ports and token file. */
    protected abstract EdgeConfig config(int trafficPort, int adminPort, Path tokenFile);

    /** Its spans go to {@code store} from its next start on. */
    public void sendSpansTo(TraceAccess store) {
        traces = store;
    }

    /** The file an edge node's config is written to, which {@code status} reads its admin port from. */
    public static Path configFile(RunFolder runFolder, String name) {
        return runFolder.dataDirectory(name).resolve("edge.json");
    }

    /** A running edge's Prometheus metrics, on its admin port (open on loopback, like every node's). */
    public static Optional<URI> metrics(RunFolder runFolder, String name) {
        try {
            int adminPort = JSON.readTree(configFile(runFolder, name).toFile()).path("adminPort").asInt();
            return adminPort > 0 ? Optional.of(URI.create("http://127.0.0.1:" + adminPort + "/metrics")) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
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
            Path config = configFile(runFolder, spec.name());
            EdgeConfig edge = config(port, adminPort, tokenFile);
            TraceAccess store = traces;
            (store == null ? edge : edge.withTracing(new EdgeConfig.Tracing(store.otlpEndpoint(), store.sampling())))
                    .write(config);
            List<String> command = new ArrayList<>(List.of("setsid", installation.java().toString()));
            command.addAll(safetyOptions());
            command.addAll(installation.nettyJvmOptions());
            command.addAll(installation.jvmOptions());
            command.addAll(spec.jvmOptions());
            command.addAll(List.of("-jar", installation.edgeJar().toString(), config.toString()));
            ChildProcess started = launch(command, Map.of());
            HttpReadiness.await(this, started, URI.create("http://127.0.0.1:" + adminPort + "/health/readiness"),
                                START_TIMEOUT, startNanos);
        } catch (IOException | IllegalStateException | IllegalArgumentException e) {
            throw new NodeStartException(e.getMessage(), log(), e);
        }
    }

    /** The running edge's admin API, {@code host:port}. */
    protected String adminAddress() {
        return "127.0.0.1:" + adminPort;
    }

    /** The running edge's admin token. */
    protected String token() {
        return token;
    }

    /**
     * A call to the running edge's admin API; its body.
     *
     * @throws IllegalStateException when the edge cannot be reached or refuses
     */
    protected String admin(String method, String path, String body) {
        return admin(spec.name(), adminPort, token, method, path, body);
    }

    /** A call to the admin API of the edge node {@code name}, which may run under another process. */
    public static String admin(String name, int adminPort, String token, String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path))
                                                 .timeout(Duration.ofSeconds(5))
                                                 .header("Authorization", "Bearer " + token)
                                                 .header("Content-Type", "application/json")
                                                 .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                                                                              : HttpRequest.BodyPublishers.ofString(body));
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 300) {
                throw new IllegalStateException(name + " refused " + method + ' ' + path + ": HTTP "
                                                + response.statusCode() + ' ' + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach the admin API of " + name + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while talking to " + name, e);
        }
    }
}
