package dev.millions.edge.admin;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import dev.millions.common.admin.AdminResponse;
import dev.millions.common.admin.AdminServer;
import dev.millions.edge.proxy.CdnEdge;
import dev.millions.edge.proxy.LoadBalancer;

/**
 * The load balancer's own endpoints, on a loopback port apart from the traffic: {@code /health},
 * {@code /health/readiness} (a backend is available), {@code /metrics} (Prometheus: the proxy's and the
 * JVM's), and the token-protected admin API: {@code GET /admin/backends}, {@code POST /admin/backends}
 * ({@code {"id","address","weight"}}), {@code POST /admin/backends/ID/drain}; a CDN edge adds {@code GET
 * /admin/cache} (objects, bytes, hit ratios) and {@code POST /admin/purge} ({@code {"kind":"url|prefix|tag",
 * "value","soft"}}).
 */
public final class EdgeAdmin implements AutoCloseable {

    private final AdminServer server;

    private EdgeAdmin(AdminServer server) {
        this.server = server;
    }

    public static EdgeAdmin start(LoadBalancer balancer, String host, int port, String token) throws IOException {
        AdminServer.Builder routes = AdminServer.builder().bind(host, port).token(token, "")
                .open("GET", "/health", request -> AdminResponse.ok(Map.of("status", "UP")))
                .open("GET", "/health/liveness", request -> AdminResponse.ok(Map.of("status", "UP")))
                .open("GET", "/health/readiness", request -> readiness(balancer))
                .open("GET", "/metrics", request -> AdminResponse.metrics(balancer.metrics()))
                .secured("GET", "/admin/backends", request -> AdminResponse.ok(Map.of("backends", balancer.backends())))
                .secured("POST", "/admin/backends", request -> {
                    JsonNode body = request.json();
                    return AdminResponse.json(201, balancer.add(body.path("id").asText(null),
                                                                body.path("address").asText(""),
                                                                body.path("weight").asInt(1)));
                })
                .secured("POST", "/admin/backends/{id}/drain", request -> drain(balancer, request.parameter("id")));
        if (balancer instanceof CdnEdge edge) {
            routes.secured("GET", "/admin/cache", request -> AdminResponse.ok(edge.cache()))
                  .secured("POST", "/admin/purge", request -> {
                      JsonNode body = request.json();
                      CdnEdge.Purge purge = new CdnEdge.Purge(body.path("kind").asText(null),
                                                              body.path("value").asText(null),
                                                              body.path("soft").asBoolean(false));
                      return AdminResponse.ok(Map.of("purged", edge.purge(purge)));
                  });
        }
        return new EdgeAdmin(routes.start());
    }

    private static AdminResponse readiness(LoadBalancer balancer) {
        boolean ready = balancer.backends().stream().anyMatch(backend -> backend.state().equals("healthy"));
        return ready ? AdminResponse.ok(Map.of("status", "UP"))
                     : AdminResponse.json(503, Map.of("status", "OUT_OF_SERVICE", "detail", "no backend is healthy"));
    }

    private static AdminResponse drain(LoadBalancer balancer, String id) {
        try {
            return AdminResponse.ok(balancer.drain(id));
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("no backend")) {
                throw new AdminServer.NotFound(e.getMessage());
            }
            throw e;
        }
    }

    public InetSocketAddress address() {
        return server.address();
    }

    @Override
    public void close() {
        server.close();
    }
}
