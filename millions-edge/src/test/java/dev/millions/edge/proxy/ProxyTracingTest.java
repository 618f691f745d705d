package dev.millions.edge.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.millions.edge.config.EdgeConfig;
import dev.millions.edge.testing.LeakCheck;
import dev.millions.edge.testing.Proxies;
import dev.millions.edge.testing.TestBackend;
import dev.millions.trace.TraceStoreServer;

/** The proxy's spans, sent over OTLP to a real trace store, and the traceparent it passes on. */
class ProxyTracingTest {

    static {
        LeakCheck.install();
    }

    private static final Pattern FORWARDED = Pattern.compile("traceparent: 00-([0-9a-f]{32})-([0-9a-f]{16})-(0[01])\n");

    static TestBackend backend;
    static TraceStoreServer store;
    static LoadBalancer balancer;
    static String storeUrl;
    static HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws Exception {
        backend = TestBackend.start("one", 0);
        store = TraceStoreServer.start("127.0.0.1", 0, 10_000, 64 << 20);
        storeUrl = "http://127.0.0.1:" + store.address().getPort();
        EdgeConfig config = Proxies.config("round-robin", List.of(backend))
                                   .withTracing(new EdgeConfig.Tracing(storeUrl + "/v1/traces", 1.0));
        balancer = LoadBalancer.start(config, System::nanoTime);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        balancer.close();
        backend.close();
        store.close();
        assertThat(LeakCheck.leaks()).isEmpty();
    }

    @Test
    void aClientsTrace_isContinued_withTheProxysSpanAsTheBackendsParent() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(proxy("/headers?x=1"))
                .header("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01").build(),
                HttpResponse.BodyHandlers.ofString());

        Matcher forwarded = FORWARDED.matcher(response.body());
        assertThat(forwarded.find()).as(response.body()).isTrue();
        assertThat(forwarded.group(1)).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(forwarded.group(2)).as("the proxy's own span").isNotEqualTo("00f067aa0ba902b7");
        assertThat(response.headers().firstValue("X-Trace-Id")).contains("4bf92f3577b34da6a3ce929d0e0e4736");
        String trace = awaitTrace("4bf92f3577b34da6a3ce929d0e0e4736", body -> body.contains(forwarded.group(2)));
        assertThat(trace).contains("\"spanId\":\"" + forwarded.group(2) + '"', "\"parentSpanId\":\"00f067aa0ba902b7\"",
                                   "\"service\":\"test-lb\"", "\"kind\":\"SERVER\"", "\"url.path\":\"/headers\"",
                                   "\"http.response.status_code\":\"200\"", "\"millions.backend\":\"one\"");
    }

    @Test
    void aRequestWithoutTrace_startsOne_andTheClientLearnsItsId() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(proxy("/headers")).build(),
                                                  HttpResponse.BodyHandlers.ofString());

        String traceId = response.headers().firstValue("X-Trace-Id").orElseThrow();
        Matcher forwarded = FORWARDED.matcher(response.body());
        assertThat(forwarded.find()).isTrue();
        assertThat(forwarded.group(1)).isEqualTo(traceId);
        assertThat(forwarded.group(3)).as("sampled").isEqualTo("01");
        assertThat(awaitTrace(traceId, body -> body.contains("\"spanId\""))).doesNotContain("parentSpanId\":\"");
    }

    @Test
    void aTraceTheClientDidNotSample_staysUnsampled() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(proxy("/headers"))
                .header("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00").build(),
                HttpResponse.BodyHandlers.ofString());

        Matcher forwarded = FORWARDED.matcher(response.body());
        assertThat(forwarded.find()).isTrue();
        assertThat(forwarded.group(1)).isEqualTo("0af7651916cd43dd8448eb211c80319c");
        assertThat(forwarded.group(3)).as("the root's decision holds").isEqualTo("00");
    }

    private static URI proxy(String path) {
        return URI.create("http://127.0.0.1:" + balancer.address().getPort() + path);
    }

    /** Spans reach the store within the exporter's batch delay; this waits for the condition, not a time. */
    private static String awaitTrace(String traceId, Predicate<String> done) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        String body = "";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(storeUrl + "/api/traces/" + traceId))
                                                               .build(), HttpResponse.BodyHandlers.ofString());
            body = answer.body();
            if (answer.statusCode() == 200 && done.test(body)) {
                return body;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("trace " + traceId + " not in the store after 60 s: " + body);
    }
}
