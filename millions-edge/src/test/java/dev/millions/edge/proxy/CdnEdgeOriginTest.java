package dev.millions.edge.proxy;

import static dev.millions.edge.testing.TestOrigin.Answer.ok;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.millions.edge.config.CdnConfig;
import dev.millions.edge.config.EdgeConfig;
import dev.millions.edge.testing.Awaits;
import dev.millions.edge.testing.Edges;
import dev.millions.edge.testing.LeakCheck;
import dev.millions.edge.testing.TestOrigin;

/**
 * The CDN edge and its origins: misses of one key collapsed into one fetch, stale copies served while a
 * refresh runs or when the origin fails (RFC 5861), and origin groups that fail over to a backup. The
 * primary group of {@code /failover} is a port nobody listens on.
 */
class CdnEdgeOriginTest {

    static {
        LeakCheck.install();
    }

    static final AtomicLong clock = new AtomicLong(System.currentTimeMillis());
    static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static TestOrigin origin;
    static TestOrigin backup;
    static CdnEdge edge;

    @BeforeAll
    static void start() throws Exception {
        origin = TestOrigin.start();
        backup = TestOrigin.start();
        int deadPort;
        try (var socket = new java.net.ServerSocket(0)) {
            deadPort = socket.getLocalPort();
        }
        Map<String, List<EdgeConfig.BackendConfig>> origins = Map.of(
                "media", List.of(Edges.origin("media-1", origin.address())),
                "dead", List.of(Edges.origin("dead-1", "127.0.0.1:" + deadPort)),
                "backup", List.of(Edges.origin("backup-1", backup.address())));
        List<CdnConfig.Route> routes = List.of(
                Edges.cached("/", "media"),
                new CdnConfig.Route("/failover", "dead", "backup", true, List.of(), null, null),
                new CdnConfig.Route("/status-failover", "media", "backup", true, List.of(500), null, null),
                new CdnConfig.Route("/api", "media", null, false, List.of(), null, null));
        edge = CdnEdge.start(Edges.cdn(origins, routes, new CdnConfig.Cache(64L << 20, 1L << 20, false, 10_000, 0, 0, null, 0)),
                             System::nanoTime, clock::get);
    }

    @BeforeEach
    void resetClock() {
        clock.set(System.currentTimeMillis());
    }

    @AfterAll
    static void stop() throws InterruptedException {
        edge.close();
        origin.close();
        backup.close();
        assertThat(LeakCheck.leaks()).isEmpty();
    }

    @Test
    void concurrentMisses_forOneKey_makeOneOriginFetch() throws Exception {
        origin.serve("/hot.jpg", ok("hot", "Cache-Control", "max-age=60").delayed(300));

        List<HttpResponse<String>> answers = all(50, "/hot.jpg");

        assertThat(answers).allSatisfy(answer -> assertThat(answer.body()).isEqualTo("hot"));
        assertThat(origin.hits("/hot.jpg")).isEqualTo(1);
        assertThat(answers.stream().filter(a -> a.headers().firstValue("Cache-Status").orElseThrow().contains("collapsed")))
                .isNotEmpty();
    }

    @Test
    void uncacheableAnswer_releasesTheWaiters_toFetchOnTheirOwn() throws Exception {
        origin.serve("/personal", ok("mine{n}", "Cache-Control", "private").delayed(200));

        List<HttpResponse<String>> answers = all(5, "/personal");

        assertThat(answers).allSatisfy(answer -> assertThat(answer.statusCode()).isEqualTo(200));
        assertThat(origin.hits("/personal")).isEqualTo(answers.size());
    }

    @Test
    void staleWhileRevalidate_answersAtOnce_andRefreshesOnceInTheBackground() throws Exception {
        origin.serve("/feed.css", ok("v{n}", "Cache-Control", "max-age=10, stale-while-revalidate=60").delayed(200));
        get("/feed.css");
        clock.addAndGet(15_000);

        List<HttpResponse<String>> stale = all(5, "/feed.css");

        assertThat(stale).allSatisfy(answer -> {
            assertThat(answer.body()).isEqualTo("v1");
            assertThat(answer.headers().firstValue("Cache-Status").orElseThrow()).contains("detail=stale-while-revalidate");
        });
        Awaits.until(() -> origin.hits("/feed.css") == 2, "one background refresh");
        assertThat(origin.hits("/feed.css")).as("five stale answers, one refresh").isEqualTo(2);
        // The test's clock runs ahead of the origin's Date, so the refreshed copy is itself already stale.
        Awaits.until(() -> body("/feed.css").equals("v2"), "the refreshed copy served");
    }

    @Test
    void staleIfError_servesTheStaleCopy_whenTheOriginAnswers5xx() throws Exception {
        origin.serve("/resilient", ok("good", "Cache-Control", "max-age=10, stale-if-error=600"));
        get("/resilient");
        origin.serve("/resilient", ok("broken", "Cache-Control", "no-store").status(503));
        clock.addAndGet(15_000);

        HttpResponse<String> answer = get("/resilient");

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("good");
        assertThat(answer.headers().firstValue("Cache-Status").orElseThrow())
                .contains("fwd=stale; fwd-status=503").contains("detail=stale-if-error");
    }

    @Test
    void mustRevalidate_forbidsServingStale_evenWhenTheOriginFails() throws Exception {
        origin.serve("/strict", ok("good", "Cache-Control", "max-age=10, must-revalidate, stale-if-error=600"));
        get("/strict");
        origin.serve("/strict", ok("broken", "Cache-Control", "no-store").status(503));
        clock.addAndGet(15_000);

        assertThat(get("/strict").statusCode()).isEqualTo(503);
    }

    @Test
    void softPurge_keepsServingTheStaleCopy_whileOneRequestRefreshes() throws Exception {
        origin.serve("/soft.png", ok("v{n}", "Cache-Control", "max-age=600, stale-while-revalidate=60",
                                     "Surrogate-Key", "soft"));
        get("/soft.png");

        assertThat(edge.purge(new CdnEdge.Purge("tag", "soft", true))).isEqualTo(1);

        assertThat(body("/soft.png")).isEqualTo("v1");
        Awaits.until(() -> body("/soft.png").equals("v2"), "the refreshed copy served after a soft purge");
    }

    @Test
    void deadPrimaryOrigin_failsOverToTheBackupGroup_forCachedAndUncachedAnswers() throws Exception {
        backup.serve("/failover/a.jpg", ok("from backup", "Cache-Control", "max-age=60"));

        HttpResponse<String> answer = get("/failover/a.jpg");

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("from backup");
        assertThat(get("/failover/a.jpg").headers().firstValue("Cache-Status").orElseThrow()).contains("hit");
    }

    @Test
    void failoverStatus_fromThePrimary_movesTheRequestToTheBackup() throws Exception {
        origin.serve("/status-failover/x", ok("primary down", "Cache-Control", "no-store").status(500));
        backup.serve("/status-failover/x", ok("from backup", "Cache-Control", "max-age=60"));

        HttpResponse<String> answer = get("/status-failover/x");

        assertThat(answer.body()).isEqualTo("from backup");
        assertThat(origin.hits("/status-failover/x")).isEqualTo(1);
    }

    @Test
    void uncachedRoute_passesEverythingThrough() throws Exception {
        origin.serve("/api/posts", ok("posts{n}", "Cache-Control", "max-age=60"));

        get("/api/posts");

        assertThat(get("/api/posts").body()).isEqualTo("posts2");
        assertThat(get("/api/posts").headers().map()).doesNotContainKey("cache-status");
    }

    private static List<HttpResponse<String>> all(int count, String path) {
        List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            sent.add(http.sendAsync(request(path).build(), HttpResponse.BodyHandlers.ofString()));
        }
        return sent.stream().map(CompletableFuture::join).toList();
    }

    private static String body(String path) {
        try {
            return get(path).body();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return http.send(request(path).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + edge.address().getPort() + path));
    }
}
