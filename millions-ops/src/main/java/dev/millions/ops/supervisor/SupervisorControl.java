package dev.millions.ops.supervisor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
 * when it exits), {@code POST /scale/ROLE/N}, {@code POST /switchover}, {@code POST /db/replicas[/NAME/remove]}.
 * It listens on loopback only and wants the token from {@code control.json}, which only the run
 * folder's owner can read; {@code GET /metrics} (Prometheus text: failovers, roles, replication lag)
 * needs none.
 */
public final class SupervisorControl implements AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(SupervisorControl.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AdminServer server;
    private final Path file;

    private SupervisorControl(AdminServer server, Path file) {
        this.server = server;
        this.file = file;
    }

    public static SupervisorControl start(Supervisor supervisor, RunFolder runFolder) throws IOException {
        String token = Tokens.random();
        AdminServer server = AdminServer.builder().bind("127.0.0.1", 0)
                .token(token, " (see control.json in the run folder)")
                .secured("POST", "/nodes/{name}/restart", request -> {
                    NodeState state = supervisor.restart(known(supervisor, request.parameter("name")));
                    return AdminResponse.ok(Map.of("node", state.name(), "detail", String.valueOf(state.detail())));
                })
                .secured("POST", "/nodes/{name}/hold", request -> AdminResponse.ok(Map.of(
                        "node", request.parameter("name"),
                        "detail", supervisor.hold(known(supervisor, request.parameter("name"))))))
                .secured("POST", "/scale/{role}/{count}", request -> {
                    String role = request.parameter("role");
                    Map<String, String> properties = new LinkedHashMap<>();
                    request.json().path("properties").properties()
                           .forEach(property -> properties.put(property.getKey(), property.getValue().asText()));
                    List<NodeState> nodes = supervisor.scale(role, count(request.parameter("count")), properties);
                    return detail(nodes.stream().filter(node -> node.role().equals(role)).map(NodeState::name)
                                       .toList().toString());
                })
                .secured("POST", "/switchover", request -> detail(supervisor.switchover()))
                .secured("POST", "/cdn/purge", request -> {
                    JsonNode body = request.json();
                    return detail(supervisor.purge(body.path("kind").asText(null), body.path("value").asText(null),
                                                   body.path("soft").asBoolean(false)));
                })
                .secured("POST", "/db/replicas", request -> detail(supervisor.addReplica(!"async".equals(request.query()))))
                .secured("POST", "/db/replicas/{name}/remove",
                         request -> detail(supervisor.removeReplica(request.parameter("name"))))
                // Read-only and on loopback, like every node's metrics: no token, so Prometheus can scrape it.
                .open("GET", "/metrics", request -> AdminResponse.metrics(supervisor.metrics()))
                .start();
        Path file = runFolder.controlFile();
        Tokens.writeOwnerOnly(file, JSON.writeValueAsString(Map.of("port", server.address().getPort(), "token", token)));
        supervisor.controlListening(server.address().getPort());
        return new SupervisorControl(server, file);
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

    private static AdminResponse detail(String detail) {
        return AdminResponse.ok(Map.of("detail", detail));
    }

    @Override
    public void close() {
        server.close();
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            logger.warn("cannot delete {}: {}", file, e.toString());
        }
    }
}
