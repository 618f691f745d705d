package dev.millions.ops.supervisor;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.millions.ops.node.RunFolder;

/**
 * The supervisor's control API, so that other {@code millions} commands can ask the process that owns
 * the nodes to act on them: {@code POST /nodes/NAME/restart}, {@code POST /nodes/NAME/hold} (leave it down
 * when it exits), {@code POST /scale/web/N},
 * {@code POST /switchover}, {@code POST /db/replicas[/NAME/remove]}. It listens on loopback only and
 * wants the token from {@code control.json}, which only the run folder's owner can read; {@code GET
 * /metrics} (Prometheus text: failovers, roles, replication lag) needs none.
 */
public final class SupervisorControl implements AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(SupervisorControl.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern RESTART = Pattern.compile("/nodes/([A-Za-z0-9_.-]+)/(restart|hold)");
    private static final Pattern SCALE = Pattern.compile("/scale/([a-z][a-z0-9-]{0,30})/([0-9]{1,3})");
    /** {@code /db/replicas} adds one ({@code ?async} for an asynchronous one); {@code /db/replicas/NAME/remove}. */
    private static final Pattern REPLICA = Pattern.compile("/db/replicas(?:/([A-Za-z0-9_-]+)/remove)?");

    private final HttpServer server;
    private final Path file;

    private SupervisorControl(HttpServer server, Path file) {
        this.server = server;
        this.file = file;
    }

    public static SupervisorControl start(Supervisor supervisor, RunFolder runFolder) throws IOException {
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        String token = HexFormat.of().formatHex(secret);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/nodes/", exchange -> handle(exchange, supervisor, token));
        server.createContext("/scale/", exchange -> handle(exchange, supervisor, token));
        server.createContext("/switchover", exchange -> handle(exchange, supervisor, token));
        server.createContext("/db/", exchange -> handle(exchange, supervisor, token));
        // Read-only and on loopback, like every node's metrics: no token, so Prometheus can scrape it.
        server.createContext("/metrics", exchange -> metrics(exchange, supervisor));
        server.start();
        Path file = runFolder.controlFile();
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, JSON.writeValueAsString(Map.of("port", server.getAddress().getPort(), "token", token)));
        return new SupervisorControl(server, file);
    }

    private static void handle(HttpExchange exchange, Supervisor supervisor, String token) throws IOException {
        try (exchange) {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (authorization == null || !MessageDigest.isEqual(authorization.getBytes(StandardCharsets.UTF_8),
                                                                ("Bearer " + token).getBytes(StandardCharsets.UTF_8))) {
                respond(exchange, 401, Map.of("detail", "missing or wrong token (see control.json in the run folder)"));
                return;
            }
            String path = exchange.getRequestURI().getPath();
            Matcher replica = REPLICA.matcher(path);
            boolean post = "POST".equals(exchange.getRequestMethod());
            if (post && ("/switchover".equals(path) || replica.matches())) {
                try {
                    String detail = "/switchover".equals(path) ? supervisor.switchover()
                                    : replica.group(1) != null ? supervisor.removeReplica(replica.group(1))
                                    : supervisor.addReplica(!"async".equals(exchange.getRequestURI().getQuery()));
                    respond(exchange, 200, Map.of("detail", detail));
                } catch (IllegalArgumentException e) {
                    respond(exchange, 400, Map.of("detail", e.getMessage()));
                } catch (RuntimeException e) {
                    respond(exchange, 500, Map.of("detail", String.valueOf(e.getMessage())));
                }
                return;
            }
            Matcher scale = SCALE.matcher(exchange.getRequestURI().getPath());
            if (scale.matches() && "POST".equals(exchange.getRequestMethod())) {
                try {
                    List<NodeState> nodes = supervisor.scale(scale.group(1), Integer.parseInt(scale.group(2)));
                    respond(exchange, 200, Map.of("detail", nodes.stream().filter(n -> n.role().equals(scale.group(1)))
                                                                 .map(NodeState::name).toList().toString()));
                } catch (IllegalArgumentException e) {
                    respond(exchange, 400, Map.of("detail", e.getMessage()));
                } catch (RuntimeException e) {
                    respond(exchange, 500, Map.of("detail", String.valueOf(e.getMessage())));
                }
                return;
            }
            Matcher restart = RESTART.matcher(exchange.getRequestURI().getPath());
            if (!restart.matches() || !"POST".equals(exchange.getRequestMethod())) {
                respond(exchange, 404, Map.of("detail", "unknown operation " + exchange.getRequestMethod() + ' '
                                                        + exchange.getRequestURI().getPath()));
                return;
            }
            try {
                if (restart.group(2).equals("hold")) {
                    respond(exchange, 200, Map.of("node", restart.group(1), "detail", supervisor.hold(restart.group(1))));
                    return;
                }
                NodeState state = supervisor.restart(restart.group(1));
                respond(exchange, 200, Map.of("node", state.name(), "detail", String.valueOf(state.detail())));
            } catch (IllegalArgumentException e) {
                respond(exchange, 404, Map.of("detail", e.getMessage()));
            } catch (RuntimeException e) {
                logger.error("restart of {} failed: {}", restart.group(1), e.getMessage());
                respond(exchange, 500, Map.of("detail", String.valueOf(e.getMessage())));
            }
        }
    }

    private static void metrics(HttpExchange exchange, Supervisor supervisor) throws IOException {
        try (exchange) {
            byte[] body = supervisor.metrics().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static void respond(HttpExchange exchange, int status, Map<String, String> body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            logger.warn("cannot delete {}: {}", file, e.toString());
        }
    }
}
