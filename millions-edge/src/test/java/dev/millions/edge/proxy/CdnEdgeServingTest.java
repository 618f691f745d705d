package dev.millions.edge.proxy;

import static dev.millions.edge.testing.TestOrigin.Answer.ok;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.millions.edge.admin.EdgeAdmin;
import dev.millions.edge.config.CdnConfig;
import dev.millions.edge.testing.Edges;
import dev.millions.edge.testing.LeakCheck;
import dev.millions.edge.testing.Raw;
import dev.millions.edge.testing.TestOrigin;

/**
 * What the CDN edge answers from a stored copy (clients' validators, HEAD, ranges), what invalidates a
 * copy (unsafe methods, purges through the admin API), and what it never stores (objects over the limit).
 */
class CdnEdgeServingTest {

    static {
        LeakCheck.install();
    }

    static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static final String TOKEN = "test-token-0123456789";
    static TestOrigin origin;
    static CdnEdge edge;
    static EdgeAdmin admin;

    @BeforeAll
    static void start() throws Exception {
        origin = TestOrigin.start();
        CdnConfig.Cache cache = new CdnConfig.Cache(64L << 20, 1L << 20, false, 5_000, 0, 0, null, 0);
        edge = CdnEdge.start(Edges.cdn(Map.of("static", List.of(Edges.origin("static-1", origin.address()))),
                                       List.of(Edges.cached("/", "static")), cache),
                             System::nanoTime, System::currentTimeMillis);
        admin = EdgeAdmin.start(edge, "127.0.0.1", 0, TOKEN);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        admin.close();
        edge.close();
        origin.close();
        assertThat(LeakCheck.leaks()).isEmpty();
    }

    @Test
    void clientsValidators_areAnsweredFromTheStore_with304() throws Exception {
        origin.serve("/logo.png", ok("png", "Cache-Control", "max-age=60", "ETag", "\"v1\"",
                                     "Last-Modified", "Mon, 02 Jan 2006 15:04:05 GMT"));
        get("/logo.png");

        HttpResponse<String> byEtag = get("/logo.png", "If-None-Match", "W/\"v0\", \"v1\"");
        HttpResponse<String> byDate = get("/logo.png", "If-Modified-Since", "Tue, 03 Jan 2006 00:00:00 GMT");
        HttpResponse<String> changed = get("/logo.png", "If-None-Match", "\"v0\"");

        assertThat(byEtag.statusCode()).isEqualTo(304);
        assertThat(byEtag.headers().firstValue("ETag")).contains("\"v1\"");
        assertThat(byDate.statusCode()).isEqualTo(304);
        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(changed.body()).isEqualTo("png");
        assertThat(origin.hits("/logo.png")).isEqualTo(1);
    }

    @Test
    void head_isAnsweredFromAStoredGet() throws Exception {
        origin.serve("/page", ok("hello", "Cache-Control", "max-age=60"));
        get("/page");

        String head = Raw.exchange(edge.address(), "HEAD /page HTTP/1.1\r\nHost: 127.0.0.1:" + edge.address().getPort()
                                                   + "\r\nConnection: close\r\n\r\n");

        assertThat(head).startsWith("HTTP/1.1 200").contains("content-length: 5").contains("; hit").doesNotContain("hello");
        assertThat(origin.hits("/page")).isEqualTo(1);
    }

    @Test
    void range_isServedFromTheStoredWholeObject() throws Exception {
        origin.serve("/video", ok("0123456789", "Cache-Control", "max-age=60", "ETag", "\"r\""));
        get("/video");

        HttpResponse<String> middle = get("/video", "Range", "bytes=2-5");
        HttpResponse<String> suffix = get("/video", "Range", "bytes=-3");
        HttpResponse<String> beyond = get("/video", "Range", "bytes=20-");
        HttpResponse<String> staleIfRange = get("/video", "Range", "bytes=0-1", "If-Range", "\"old\"");

        assertThat(middle.statusCode()).isEqualTo(206);
        assertThat(middle.body()).isEqualTo("2345");
        assertThat(middle.headers().firstValue("Content-Range")).contains("bytes 2-5/10");
        assertThat(suffix.body()).isEqualTo("789");
        assertThat(beyond.statusCode()).isEqualTo(416);
        assertThat(beyond.headers().firstValue("Content-Range")).contains("bytes */10");
        assertThat(staleIfRange.statusCode()).isEqualTo(200);
        assertThat(staleIfRange.body()).isEqualTo("0123456789");
        assertThat(origin.hits("/video")).isEqualTo(1);
    }

    @Test
    void unsafeMethod_invalidatesItsTarget_andItsLocation() throws Exception {
        origin.serve("/posts/1", ok("post v{n}", "Cache-Control", "max-age=60"));
        origin.serve("/posts/2", ok("post v{n}", "Cache-Control", "max-age=60"));
        origin.serve("/posts", ok("created", "Location", "/posts/2").status(201));
        get("/posts/1");
        get("/posts/2");

        HttpResponse<String> delete = http.send(request("/posts/1").DELETE().build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> post = http.send(request("/posts").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                                              HttpResponse.BodyHandlers.ofString());

        assertThat(delete.headers().firstValue("Cache-Status").orElseThrow()).contains("fwd=method");
        assertThat(post.statusCode()).isEqualTo(201);
        assertThat(get("/posts/1").body()).isEqualTo("post v3");
        assertThat(get("/posts/2").body()).isEqualTo("post v2");
    }

    @Test
    void purges_byUrl_prefix_andTag_reachTheStore() throws Exception {
        origin.serve("/media/a.jpg", ok("a{n}", "Cache-Control", "max-age=600", "Surrogate-Key", "post-1 user-7"));
        origin.serve("/media/b.jpg", ok("b{n}", "Cache-Control", "max-age=600", "Surrogate-Key", "post-2 user-7"));
        origin.serve("/assets/c.js", ok("c{n}", "Cache-Control", "max-age=600"));
        for (String path : List.of("/media/a.jpg", "/media/b.jpg", "/assets/c.js")) {
            get(path);
        }

        assertThat(purge("{\"kind\":\"tag\",\"value\":\"post-1\"}").body()).contains("\"purged\":1");
        assertThat(get("/media/a.jpg").body()).isEqualTo("a2");
        assertThat(get("/media/b.jpg").body()).isEqualTo("b1");

        assertThat(purge("{\"kind\":\"prefix\",\"value\":\"/media/\"}").body()).contains("\"purged\":2");
        assertThat(purge("{\"kind\":\"url\",\"value\":\"/assets/c.js\"}").body()).contains("\"purged\":1");
        assertThat(get("/media/b.jpg").body()).isEqualTo("b2");
        HttpResponse<String> purgedUrl = get("/assets/c.js");
        assertThat(purgedUrl.body()).isEqualTo("c2");
        assertThat(purgedUrl.headers().firstValue("Cache-Status").orElseThrow())
                .as("a purged URL is forgotten, not a vary-miss").contains("fwd=uri-miss");
    }

    @Test
    void purge_refusesBadInput_andUnauthenticatedCallers() throws Exception {
        assertThat(purge("{\"kind\":\"everything\",\"value\":\"/\"}").statusCode()).isEqualTo(400);
        assertThat(purge("{\"kind\":\"url\",\"value\":\"no-slash\"}").statusCode()).isEqualTo(400);
        HttpResponse<String> anonymous = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.address().getPort() + "/admin/purge"))
                           .POST(HttpRequest.BodyPublishers.ofString("{\"kind\":\"tag\",\"value\":\"x\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
    }

    @Test
    void objectOverTheLimit_streamsThroughUncached() throws Exception {
        String big = "x".repeat((1 << 20) + 10);
        origin.serve("/big.bin", ok(big, "Cache-Control", "max-age=60"));

        HttpResponse<String> first = get("/big.bin");
        HttpResponse<String> second = get("/big.bin");

        assertThat(first.body()).hasSize(big.length());
        assertThat(first.headers().firstValue("Cache-Status").orElseThrow()).contains("too-large");
        assertThat(second.body()).hasSize(big.length());
        assertThat(origin.hits("/big.bin")).isEqualTo(2);
        assertThat(edge.cache().bytes()).isLessThan(1 << 20);
    }

    @Test
    void metrics_countHitsAndMisses() throws Exception {
        origin.serve("/counted", ok("c", "Cache-Control", "max-age=60"));
        get("/counted");
        get("/counted");

        assertThat(edge.metrics()).contains("millions_cdn_hits_total").contains("millions_cdn_memory_bytes");
        assertThat(edge.cache().hits()).isPositive();
    }

    private static HttpResponse<String> purge(String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.address().getPort() + "/admin/purge"))
                                    .header("Authorization", "Bearer " + TOKEN)
                                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                         HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder builder = request(path);
        for (int i = 0; i + 1 < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + edge.address().getPort() + path));
    }
}
