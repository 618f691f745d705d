package dev.millions.bench.workload;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

class PhotoAppClientFreshConnectionsTest {

    private final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
    private HttpServer server;
    private URI base;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            clientPorts.add(exchange.getRemoteAddress().getPort());
            byte[] request = exchange.getRequestBody().readAllBytes();
            byte[] body = ("{\"method\":\"" + exchange.getRequestMethod() + "\",\"bytes\":" + request.length
                           + ",\"cookie\":\"" + exchange.getRequestHeaders().getFirst("Cookie") + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Set-Cookie", "SESSION=s-" + request.length + "; Path=/; HttpOnly");
            // Length 0 makes the JDK's server answer chunked: both framings are read.
            exchange.sendResponseHeaders(201, exchange.getRequestMethod().equals("POST") ? 0 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    @Test
    void everyRequestOnANewConnection_readsStatusBodyAndSessionCookie_chunkedOrNot() throws Exception {
        PhotoAppClient client = new PhotoAppClient(base, Duration.ofSeconds(5), 100);

        Reply upload = client.createPost("a caption", new byte[] { 1, 2, 3 }, "abc");
        Reply read = client.get("/api/posts/1?x=y", "abc");
        Reply follow = client.follow("bob", "abc");

        assertThat(upload.status()).isEqualTo(201);
        assertThat(PhotoAppClient.parse(upload).path("method").asText()).isEqualTo("POST");
        assertThat(PhotoAppClient.parse(upload).path("bytes").asInt()).isGreaterThan(3);
        assertThat(PhotoAppClient.parse(upload).path("cookie").asText()).isEqualTo("SESSION=abc");
        assertThat(upload.sessionCookie()).startsWith("s-");
        assertThat(PhotoAppClient.parse(read).path("method").asText()).isEqualTo("GET");
        assertThat(PhotoAppClient.parse(follow).path("method").asText()).isEqualTo("PUT");
        assertThat(clientPorts).hasSize(3);
        assertThat(client.requests()).isEqualTo(3);
    }

    @Test
    void halfOnNewConnections_keepsTheOtherHalfOnAPooledOne() throws Exception {
        PhotoAppClient client = new PhotoAppClient(base, Duration.ofSeconds(5), 50);

        for (int i = 0; i < 10; i++) {
            assertThat(client.get("/api/users/x", null).status()).isEqualTo(201);
        }

        assertThat(clientPorts).hasSize(6);
    }
}
