package dev.millions.app.post;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.sun.net.httpserver.HttpServer;

import dev.millions.app.testing.ApiClient;
import dev.millions.app.testing.ApiClient.Response;
import dev.millions.app.testing.AppTestBase;

/**
 * A post deleted by its author: gone from the API, its photo no longer served, and purged by the post's
 * tag on every CDN edge the edges file lists (here, a fake edge that records the purges it is sent).
 */
class PostDeletionTest extends AppTestBase {

    static final List<String> purges = new CopyOnWriteArrayList<>();
    static final HttpServer edge = fakeEdge();

    @DynamicPropertySource
    static void cdn(DynamicPropertyRegistry registry) throws IOException {
        Path file = Files.createTempFile("cdn-edges", ".json");
        Files.writeString(file, "{\"edges\":[{\"name\":\"cdn\",\"admin\":\"127.0.0.1:" + edge.getAddress().getPort()
                                + "\",\"token\":\"t0ken\"}]}");
        registry.add("millions.cdn.edges-file", file::toString);
    }

    @AfterAll
    static void stopEdge() {
        edge.stop(0);
    }

    @Test
    void authorDeletesAPost_itIsGone_andItsPhotoIsPurgedByTag() throws Exception {
        ApiClient alice = client().signUpAndLogIn("alice", "correct-horse");
        Response created = alice.postPhoto("sunset", ApiClient.png(40, 30), "sunset.png");
        long id = created.json().path("id").asLong();
        String imageUrl = created.json().path("imageUrl").asText();
        Response photo = client().get(imageUrl);
        assertThat(photo.headers().firstValue("Surrogate-Key").orElseThrow()).contains("media", "post-" + id, "user-1");
        assertThat(photo.headers().firstValue("ETag").orElseThrow()).isEqualTo('"' + imageUrl.substring(7, 71) + '"');

        Response deleted = alice.delete("/api/posts/" + id);

        assertThat(deleted.status()).isEqualTo(204);
        assertThat(client().get("/api/posts/" + id).status()).isEqualTo(404);
        assertThat(client().get(imageUrl).status()).isEqualTo(404);
        assertThat(alice.get("/api/users/alice").json().path("postCount").asLong()).isZero();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!purges.contains("Bearer t0ken {\"kind\":\"tag\",\"value\":\"post-" + id + "\"}")) {
            assertThat(System.nanoTime()).as("purge of post-%d received: %s", id, purges).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    @Test
    void anotherUsersPost_isRefused_andAMissingOneIsNotFound() {
        ApiClient alice = client().signUpAndLogIn("alice", "correct-horse");
        long id = alice.postPhoto("mine", ApiClient.png(20, 20), "a.png").json().path("id").asLong();
        ApiClient bob = client().signUpAndLogIn("bob", "battery-staple");

        Response refused = bob.delete("/api/posts/" + id);
        Response missing = alice.delete("/api/posts/999999");
        Response anonymous = client().delete("/api/posts/" + id);

        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.detail()).isEqualTo("post " + id + " is alice's, not yours");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(client().get("/api/posts/" + id).status()).isEqualTo(200);
    }

    private static HttpServer fakeEdge() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
            server.createContext("/admin/purge", exchange -> {
                try (exchange) {
                    purges.add(exchange.getRequestHeaders().getFirst("Authorization") + ' '
                               + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                    byte[] body = "{\"purged\":1}".getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(200, body.length);
                    exchange.getResponseBody().write(body);
                }
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
