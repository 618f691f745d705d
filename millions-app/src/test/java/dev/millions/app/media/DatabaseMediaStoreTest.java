package dev.millions.app.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import dev.millions.app.MillionsApplication;
import dev.millions.app.testing.ApiClient;
import dev.millions.app.testing.ApiClient.Response;
import dev.millions.app.testing.AppTestBase;
import dev.millions.app.testing.TestDatabase;
import dev.millions.postgres.PostgresServer;

/**
 * Photos in the database, the default store: what one web node stores, another node of the same
 * database serves, with the answers a CDN and a browser need from an origin.
 */
class DatabaseMediaStoreTest extends AppTestBase {

    @Test
    void photo_isStoredInTheDatabase_andServedByAnotherWebNode() throws Exception {
        byte[] png = ApiClient.png(90, 60);
        String imageUrl = client().signUpAndLogIn("alice", "correct-horse").postPhoto("here", png, "here.png")
                                  .json().path("imageUrl").asText();
        String name = imageUrl.substring("/media/".length());

        byte[] stored = jdbc.sql("SELECT content FROM media WHERE name = ?").param(name).query(byte[].class).single();
        PostgresServer database = TestDatabase.get();
        try (ConfigurableApplicationContext otherNode = new SpringApplicationBuilder(MillionsApplication.class).run(
                "--server.port=0", "--spring.datasource.url=" + database.jdbcUrl(),
                "--spring.datasource.username=" + database.username(),
                "--spring.datasource.password=" + database.password())) {
            int otherPort = ((WebServerApplicationContext) otherNode).getWebServer().getPort();

            assertThat(stored).isEqualTo(png);
            assertThat(new ApiClient("http://127.0.0.1:" + otherPort).getBytes(imageUrl)).isEqualTo(png);
        }
    }

    @Test
    void photo_answersRangesValidatorsAndHead_asAnOriginShould() throws Exception {
        byte[] png = ApiClient.png(40, 40);
        String imageUrl = client().signUpAndLogIn("alice", "correct-horse").postPhoto("", png, "a.png")
                                  .json().path("imageUrl").asText();
        String etag = client().get(imageUrl).headers().firstValue("ETag").orElseThrow();

        HttpResponse<byte[]> range = send("GET", imageUrl, "Range", "bytes=0-9");
        HttpResponse<byte[]> notModified = send("GET", imageUrl, "If-None-Match", etag);
        HttpResponse<byte[]> head = send("HEAD", imageUrl, "Accept", "*/*");

        assertThat(etag).isEqualTo('"' + imageUrl.substring("/media/".length(), imageUrl.lastIndexOf('.')) + '"');
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.headers().firstValue("Content-Range")).hasValue("bytes 0-9/" + png.length);
        assertThat(range.body()).isEqualTo(Arrays.copyOf(png, 10));
        assertThat(notModified.statusCode()).isEqualTo(304);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(png.length);
        assertThat(head.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    }

    @Test
    void samePhotoPostedTwice_isStoredOnce() {
        ApiClient alice = client().signUpAndLogIn("alice", "correct-horse");
        byte[] png = ApiClient.png(30, 30);

        alice.postPhoto("one", png, "one.png");
        alice.postPhoto("two", png, "two.png");

        assertThat(stored()).containsEntry("posts", 2L).containsEntry("photos", 1L);
    }

    @Test
    void photoAskedForByABrowserWhoseCdnFailed_isServed_andTheFallbackIsCounted() {
        String imageUrl = client().signUpAndLogIn("alice", "correct-horse").postPhoto("", ApiClient.png(20, 20), "b.png")
                                  .json().path("imageUrl").asText();
        double before = fallbacks();

        Response fallback = client().get(imageUrl + "?fallback=cdn");
        client().get(imageUrl);

        assertThat(fallback.status()).isEqualTo(200);
        assertThat(fallbacks()).isEqualTo(before + 1);
    }

    @Test
    void nameThatIsNoPhotosName_isNotFound_withAProblem() {
        Response answer = client().get("/media/not-a-photo.png");

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
    }

    private HttpResponse<byte[]> send(String method, String path, String header, String value) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                                          .header(header, value)
                                                          .method(method, HttpRequest.BodyPublishers.noBody()).build(),
                                               HttpResponse.BodyHandlers.ofByteArray());
    }

    private double fallbacks() {
        return client().get("/metrics").body().lines().filter(line -> line.startsWith("millions_media_cdn_fallbacks_total"))
                       .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                       .sum();
    }
}
