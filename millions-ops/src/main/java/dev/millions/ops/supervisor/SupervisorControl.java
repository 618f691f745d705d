package dev.millions.ops.supervisor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.millions.common.admin.AdminResponse;
import dev.millions.common.admin.AdminServer;
import dev.millions.common.admin.Tokens;
import dev.millions.ops.node.RunFolder;

/**
 * The supervisor's control API, so that other {@code millions} commands can ask the process that owns
 * the nodes to act on them: {@code POST /nodes/NAME/restart}, {@code POST /nodes/NAME/hold} (leave it down
 * when it exits), {@code POST /nodes/NAME/kill} (and hold it down), {@code POST /nodes/NAME/stop} and
 * {@code /continue} (SIGSTOP and SIGCONT to its whole process tree), {@code POST /nodes/NAME/latency/MS}
 * (a pause of MS out of every second, {@link Stutter}; 0 ends it), {@code POST /scale/ROLE/N},
 * {@code POST /switchover}, {@code POST /db/replicas[/NAME/remove]}; every action goes on the
 * {@link Timeline}. It listens on loopback only and wants the token from {@code control.json}, which
 * only the run folder's owner can read; {@code GET /metrics} (Prometheus text: failovers, roles,
 * replication lag) needs none. The dashboard adds its own routes.
 */
public final class SupervisorControl implements AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(SupervisorControl.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AdminServer server;
    private final Path file;
    private final Stutter stutter;

    private SupervisorControl(AdminServer server, Path file, Stutter stutter) {
        this.server = server;
        this.file = file;
        this.stutter = stutter;
    }

    /**
     * @param timeline where every action goes
     * @param moreRoutes what else the API serves (the dashboard)
     */
    public static SupervisorControl start(Supervisor supervisor, RunFolder runFolder, Timeline timeline,
                                          Consumer<AdminServer.Builder> moreRoutes) throws IOException {
        String token = Tokens.random();
        NodeSignals signals = new NodeSignals(runFolder);
        Stutter stutter = new Stutter(signals);
        AdminServer.Builder routes = AdminServer.builder().bind("127.0.0.1", 0)
                .token(token, " (see control.json in the run folder)")
                .secured("POST", "/nodes/{name}/restart", request -> {
                    NodeState state = supervisor.restart(known(supervisor, request.parameter("name")));
                    timeline.action(state.name(), "restarted: " + state.detail());
                    return AdminResponse.ok(Map.of("node", state.name(), "detail", String.valueOf(state.detail())));
                })
                .secured("POST", "/nodes/{name}/hold", request -> AdminResponse.ok(Map.of(
                        "node", request.parameter("name"),
                        "detail", supervisor.hold(known(supervisor, request.parameter("name"))))))
                .secured("POST", "/nodes/{name}/kill", request -> {
                    String name = known(supervisor, request.parameter("name"));
                    supervisor.hold(name);
                    return acted(timeline, name, signal(timeline, () -> signals.signal(name, "KILL"), "kill", name)
                                                 + "; held down until restarted");
                })
                .secured("POST", "/nodes/{name}/stop", request -> {
                    String name = known(supervisor, request.parameter("name"));
                    return acted(timeline, name, signal(timeline, () -> signals.signalTree(name, "STOP"), "stop", name));
                })
                .secured("POST", "/nodes/{name}/continue", request -> {
                    String name = known(supervisor, request.parameter("name"));
                    return acted(timeline, name, signal(timeline, () -> signals.signalTree(name, "CONT"), "continue", name));
                })
                .secured("POST", "/nodes/{name}/latency/{millis}", request -> {
                    String name = known(supervisor, request.parameter("name"));
                    String millis = request.parameter("millis");
                    if (!millis.matches("[0-9]{1,4}")) {
                        throw new IllegalArgumentException("pause: " + millis + " (expected: milliseconds, 0..900)");
                    }
                    return acted(timeline, name, stutter.set(name, Long.parseLong(millis)));
                })
                .secured("POST", "/scale/{role}/{count}", request -> {
                    String role = request.parameter("role");
                    Map<String, String> properties = new LinkedHashMap<>();
                    request.json().path("properties").properties()
                           .forEach(property -> properties.put(property.getKey(), property.getValue().asText()));
                    List<NodeState> nodes = supervisor.scale(role, count(request.parameter("count")), properties);
                    String names = nodes.stream().filter(node -> node.role().equals(role)).map(NodeState::name)
                                        .toList().toString();
                    timeline.action(role, "scaled to " + names);
                    return AdminResponse.ok(Map.of("detail", names));
                })
                .secured("POST", "/switchover", request -> acted(timeline, "database", supervisor.switchover()))
                .secured("POST", "/cdn/purge", request -> {
                    JsonNode body = request.json();
                    return acted(timeline, "cdn", supervisor.purge(body.path("kind").asText(null),
                                                                   body.path("value").asText(null),
                                                                   body.path("soft").asBoolean(false)));
                })
                .secured("POST", "/db/replicas", request -> acted(timeline, "database",
                                                                  supervisor.addReplica(!"async".equals(request.query()))))
                .secured("POST", "/db/replicas/{name}/remove",
                         request -> acted(timeline, request.parameter("name"),
                                          supervisor.removeReplica(request.parameter("name"))))
                // Read-only and on loopback, like every node's metrics: no token, so Prometheus can scrape it.
                .open("GET", "/metrics", request -> AdminResponse.metrics(supervisor.metrics()));
        moreRoutes.accept(routes);
        AdminServer server = routes.start();
        Path file = runFolder.controlFile();
        Tokens.writeOwnerOnly(file, JSON.writeValueAsString(Map.of("port", server.address().getPort(), "token", token)));
        supervisor.controlListening(server.address().getPort());
        return new SupervisorControl(server, file, stutter);
    }

    /**
     * Where a person opens the dashboard: the token rides in the fragment, which the browser never
     * sends, and the page sends it back as a bearer token.
     */
    public static String dashboardUrl(int port, String token) {
        return "http://127.0.0.1:" + port + "/dashboard#token=" + token;
    }

    /** A node the supervisor runs, or a 404 naming those it does. */
    private static String known(Supervisor supervisor, String name) {
        if (supervisor.nodes().stream().noneMatch(node -> node.name().equals(name))) {
            throw new AdminServer.NotFound("no node '" + name + "' runs here (nodes: " + String.join(", ",
                    supervisor.nodes().stream().map(NodeState::name).toList()) + ')');
        }
        return name;
    }

    private static int count(String text) {
        if (!text.matches("[0-9]{1,3}")) {
            throw new IllegalArgumentException("count: " + text + " (expected: 1..16)");
        }
        return Integer.parseInt(text);
    }

    /** A signal to a node; one that cannot be sent (the node is not running) is refused with a 400. */
    private static String signal(Timeline timeline, Supplier<String> send, String action, String name) {
        try {
            return send.get();
        } catch (IllegalStateException e) {
            timeline.action(name, action + " refused: " + e.getMessage());
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** An action done: on the timeline, and answered with what came of it. */
    private static AdminResponse acted(Timeline timeline, String node, String detail) {
        timeline.action(node, detail);
        return AdminResponse.ok(Map.of("detail", detail));
    }

    @Override
    public void close() {
        server.close();
        stutter.close();
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            logger.warn("cannot delete {}: {}", file, e.toString());
        }
    }
}
