package dev.millions.edge.admin;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.millions.edge.proxy.LoadBalancer;

/**
 * The load balancer's own endpoints, on a loopback port apart from the traffic: {@code /health},
 * {@code /health/readiness} (a backend is available), {@code /metrics} (Prometheus: the proxy's and the JVM's), and the
 * token-protected admin API: {@code GET /admin/backends}, {@code POST /admin/backends}
 * ({@code {"id","address","weight"}}), {@code POST /admin/backends/ID/drain}.
 */
public final class AdminServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DRAIN = Pattern.compile("/admin/backends/([A-Za-z0-9_.-]+)/drain");

    private final HttpServer server;

    private AdminServer(HttpServer server) {
        this.server = server;
    }

    public static AdminServer start(LoadBalancer balancer, String host, int port, String token) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 64);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/health", exchange -> {
            boolean readiness = exchange.getRequestURI().getPath().equals("/health/readiness");
            boolean ready = balancer.backends().stream().anyMatch(b -> b.state().equals("healthy"));
            if (readiness && !ready) {
                send(exchange, 503, Map.of("status", "OUT_OF_SERVICE", "detail", "no backend is healthy"));
            } else {
                send(exchange, 200, Map.of("status", "UP"));
            }
        });
        server.createContext("/metrics", exchange -> {
            byte[] body = (balancer.metrics() + JvmMetrics.text()).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.createContext("/admin/", exchange -> admin(exchange, balancer, token));
        server.start();
        return new AdminServer(server);
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    private static void admin(HttpExchange exchange, LoadBalancer balancer, String token) throws IOException {
        try (exchange) {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (authorization == null || !MessageDigest.isEqual(authorization.getBytes(StandardCharsets.UTF_8),
                                                                ("Bearer " + token).getBytes(StandardCharsets.UTF_8))) {
                send(exchange, 401, Map.of("detail", "missing or wrong bearer token"));
                return;
            }
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            Matcher drain = DRAIN.matcher(path);
            try {
                if (path.equals("/admin/backends") && method.equals("GET")) {
                    send(exchange, 200, balancer.backends());
                } else if (path.equals("/admin/backends") && method.equals("POST")) {
                    JsonNode body = JSON.readTree(exchange.getRequestBody());
                    send(exchange, 201, balancer.add(body.path("id").asText(null), body.path("address").asText(""),
                                                     body.path("weight").asInt(1)));
                } else if (drain.matches() && method.equals("POST")) {
                    send(exchange, 200, balancer.drain(drain.group(1)));
                } else {
                    send(exchange, 404, Map.of("detail", "unknown operation " + method + ' ' + path));
                }
            } catch (IllegalArgumentException e) {
                send(exchange, e.getMessage() != null && e.getMessage().startsWith("no backend") ? 404 : 400,
                     Map.of("detail", String.valueOf(e.getMessage())));
            }
        }
    }

    private static void send(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body instanceof List<?> list ? Map.of("backends", list) : body);
        exchange.getResponseHeaders().set("Content-Type", status >= 400 ? "application/problem+json" : "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
