package dev.millions.edge.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.millions.edge.testing.LeakCheck;
import dev.millions.edge.testing.Proxies;
import dev.millions.edge.testing.Raw;
import dev.millions.edge.testing.TestBackend;

/** Requests through the proxy to two real backends: what arrives there, and what comes back. */
class ProxyForwardingTest {

    static {
        LeakCheck.install();
    }

    static TestBackend one;
    static TestBackend two;
    static LoadBalancer balancer;
    static HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws Exception {
        one = TestBackend.start("one", 0);
        two = TestBackend.start("two", 0);
        balancer = LoadBalancer.start(Proxies.config("round-robin", List.of(one, two)), System::nanoTime);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        balancer.close();
        one.close();
        two.close();
        assertThat(LeakCheck.leaks()).isEmpty();
    }

    @Test
    void roundRobin_alternatesBetweenTheBackends_overKeptAliveConnections() throws Exception {
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ids.add(get("/id").body());
        }

        assertThat(ids).containsOnly("one", "two");
        assertThat(ids.stream().filter("one"::equals).count()).isEqualTo(3);
    }

    @Test
    void forwardedRequest_carriesClientAddress_requestId_andTraceparent() throws Exception {
        HttpResponse<String> response = get("/headers");

        assertThat(response.body()).contains("x-forwarded-for: 127.0.0.1").contains("x-forwarded-proto: http")
                                   .containsPattern("x-request-id: [0-9a-f]{16}\n")
                                   .containsPattern("traceparent: 00-[0-9a-f]{32}-[0-9a-f]{16}-01\n");
        assertThat(response.headers().firstValue("X-Request-Id")).isPresent();
    }

    @Test
    void givenRequestIdAndTraceparent_arePassedOnUnchanged() throws Exception {
        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/headers"))
                                                             .header("X-Request-Id", "abc-123")
                                                             .header("traceparent", traceparent).build(),
                                                   HttpResponse.BodyHandlers.ofString());

        assertThat(response.body()).contains("x-request-id: abc-123\n").contains("traceparent: " + traceparent + '\n');
        assertThat(response.headers().firstValue("X-Request-Id")).contains("abc-123");
    }

    @Test
    void hopByHopHeaders_stayOnTheirHop() throws Exception {
        String answer = Raw.exchange(balancer.address(), "GET /headers HTTP/1.1\r\nHost: x\r\nConnection: close, X-Secret\r\n"
                                                         + "X-Secret: hop\r\nKeep-Alive: timeout=5\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 200").doesNotContain("x-secret").doesNotContain("keep-alive: timeout");
        assertThat(answer.toLowerCase()).contains("connection: close");
    }

    @Test
    void largeUpload_streamsThrough_withEveryByteArriving() throws IOException {
        long size = 100L << 20;
        try (Socket socket = new Socket(balancer.address().getAddress(), balancer.address().getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: " + size + "\r\nConnection: close\r\n\r\n")
                              .getBytes(StandardCharsets.ISO_8859_1));
            byte[] chunk = new byte[1 << 16];
            for (long sent = 0; sent < size; sent += chunk.length) {
                out.write(chunk);
            }
            out.flush();
            InputStream in = socket.getInputStream();
            String answer = Raw.readAll(in);
            assertThat(answer).startsWith("HTTP/1.1 200").endsWith(Long.toString(size));
        }
    }

    @Test
    void chunkedUpload_arrivesWhole() throws IOException {
        String answer = Raw.exchange(balancer.address(), "POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                                                         + "Connection: close\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 200").endsWith("11");
    }

    @Test
    void pipelinedRequests_areAnsweredInOrder() throws IOException {
        String answer = Raw.exchange(balancer.address(), "GET /id HTTP/1.1\r\nHost: x\r\n\r\n"
                                                         + "GET /id HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

        assertThat(answer.split("HTTP/1.1 200", -1)).hasSize(3);
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + balancer.address().getPort() + path);
    }
}
