package dev.millions.edge.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.millions.edge.config.EdgeConfig;
import dev.millions.edge.proxy.LoadBalancer;
import dev.millions.edge.testing.LeakCheck;
import dev.millions.edge.testing.Proxies;
import dev.millions.edge.testing.TestBackend;

/** The admin API wants its token; metrics and health are open; a client over its rate (5 a second, burst 5) gets 429. */
class AdminAndRateLimitTest {

    static {
        LeakCheck.install();
    }

    static TestBackend backend;
    static LoadBalancer balancer;
    static EdgeAdmin admin;
    /** Stands still, so the limiter's bucket refills by nothing however slowly the machine sends the requests. */
    static final AtomicLong ticker = new AtomicLong(System.nanoTime());
    static HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws Exception {
        backend = TestBackend.start("only", 0);
        EdgeConfig config = Proxies.config("round-robin", List.of(backend));
        balancer = LoadBalancer.start(new EdgeConfig(config.name(), config.host(), 0, config.adminHost(), 0,
                                                     config.adminTokenFile(), config.backends(), config.balancing(),
                                                     config.health(), config.outliers(), config.slowStartMillis(),
                                                     config.retries(), new EdgeConfig.RateLimit(5, 5), config.limits(),
                                                     config.accessLog()),
                                      ticker::get);
        admin = EdgeAdmin.start(balancer, "127.0.0.1", 0, "secret-token");
    }

    @AfterAll
    static void stop() throws InterruptedException {
        admin.close();
        balancer.close();
        backend.close();
        assertThat(LeakCheck.leaks()).isEmpty();
    }

    @Test
    void adminApi_withoutTheToken_is401() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(admin("/admin/backends")).build());

        assertThat(response.statusCode()).isEqualTo(401);
    }

    @Test
    void adminApi_listsAndAddsBackends_andRefusesABadAddress() throws Exception {
        HttpResponse<String> list = send(authorized("/admin/backends").build());
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).contains("\"id\":\"only\"").contains("\"state\":\"healthy\"");

        HttpResponse<String> bad = send(authorized("/admin/backends")
                .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"x\",\"address\":\"nowhere\"}")).build());
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("address: nowhere (expected: HOST:PORT)");
    }

    @Test
    void metricsAndHealth_needNoToken() throws Exception {
        HttpResponse<String> metrics = send(HttpRequest.newBuilder(admin("/metrics")).build());
        HttpResponse<String> ready = send(HttpRequest.newBuilder(admin("/health/readiness")).build());

        assertThat(metrics.body()).contains("millions_lb_backend_requests_total{backend=\"only\"}")
                                  .contains("millions_lb_backend_latency_seconds_bucket{backend=\"only\",le=\"+Inf\"}")
                                  .contains("millions_lb_backend_up{backend=\"only\"} 1")
                                  .contains("jvm_jit_compilation_seconds_total ")
                                  .contains("jvm_gc_collection_seconds_total{gc=");
        assertThat(ready.statusCode()).isEqualTo(200);
    }

    @Test
    void clientOverItsRate_gets429WithRetryAfter() throws Exception {
        int limited = 0;
        String retryAfter = null;
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> response = send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + balancer.address().getPort() + "/id")).build());
            if (response.statusCode() == 429) {
                limited++;
                retryAfter = response.headers().firstValue("Retry-After").orElse(null);
                assertThat(response.body()).contains("too many requests from 127.0.0.1");
            }
        }

        assertThat(limited).isEqualTo(15);
        assertThat(retryAfter).isEqualTo("1");
    }

    private static HttpRequest.Builder authorized(String path) {
        return HttpRequest.newBuilder(admin(path)).header("Authorization", "Bearer secret-token");
    }

    private static URI admin(String path) {
        return URI.create("http://127.0.0.1:" + admin.address().getPort() + path);
    }

    private static HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
