package dev.millions.edge.proxy;

import static dev.millions.edge.testing.TestOrigin.Answer.ok;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.millions.edge.config.CdnConfig;
import dev.millions.edge.testing.Edges;
import dev.millions.edge.testing.LeakCheck;
import dev.millions.edge.testing.TestOrigin;

/**
 * RFC 9111 freshness and storing at the CDN edge, against a real origin over real sockets. Time is the
 * test's: the edge's wall clock is advanced instead of waited for.
 */
class CdnEdgeFreshnessTest {

    static {
        LeakCheck.install();
    }

    static final AtomicLong clock = new AtomicLong(System.currentTimeMillis());
    static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static TestOrigin origin;
    static CdnEdge edge;

    @BeforeAll
    static void start() throws Exception {
        origin = TestOrigin.start();
        edge = CdnEdge.start(Edges.cdn(Map.of("static", List.of(Edges.origin("static-1", origin.address()))),
                                       List.of(Edges.cached("/", "static")), CdnConfig.Cache.defaults()),
                             System::nanoTime, clock::get);
    }

    /** The origin dates its answers by the real clock: each test starts from it, so no skew adds age. */
    @BeforeEach
    void resetClock() {
        clock.set(System.currentTimeMillis());
    }

    @AfterAll
    static void stop() throws InterruptedException {
        edge.close();
        origin.close();
        assertThat(LeakCheck.leaks()).isEmpty();
    }

    @Test
    void freshAnswer_isServedFromTheStore_andSaysHit() throws Exception {
        origin.serve("/fresh", ok("v{n}", "Cache-Control", "max-age=60"));

        HttpResponse<String> first = get("/fresh");
        HttpResponse<String> second = get("/fresh");

        assertThat(first.body()).isEqualTo("v1");
        assertThat(first.headers().firstValue("Cache-Status").orElseThrow())
                .isEqualTo("cdn-test; fwd=uri-miss; fwd-status=200; stored; ttl=60");
        assertThat(second.body()).isEqualTo("v1");
        assertThat(second.headers().firstValue("Cache-Status").orElseThrow()).isEqualTo("cdn-test; hit; ttl=60");
        assertThat(origin.hits("/fresh")).isEqualTo(1);
    }

    @Test
    void storedAnswer_goesStaleWhenItsLifetimeEnds_andIsFetchedAgain() throws Exception {
        origin.serve("/expiring", ok("v{n}", "Cache-Control", "max-age=10"));
        get("/expiring");

        clock.addAndGet(11_000);

        HttpResponse<String> after = get("/expiring");
        assertThat(after.body()).isEqualTo("v2");
        assertThat(after.headers().firstValue("Cache-Status").orElseThrow()).contains("fwd=stale");
    }

    @Test
    void sMaxage_winsOverMaxAge_atASharedCache() throws Exception {
        origin.serve("/shared", ok("v{n}", "Cache-Control", "max-age=600, s-maxage=5"));
        get("/shared");

        clock.addAndGet(6_000);

        assertThat(get("/shared").body()).isEqualTo("v2");
    }

    @Test
    void ageFromUpstream_shortensWhatIsLeft() throws Exception {
        origin.serve("/aged", ok("v", "Cache-Control", "max-age=60", "Age", "50"));
        get("/aged");

        HttpResponse<String> hit = get("/aged");

        assertThat(hit.headers().firstValue("Cache-Status").orElseThrow()).isEqualTo("cdn-test; hit; ttl=10");
        assertThat(hit.headers().firstValue("Age")).contains("50");
    }

    @Test
    void expires_givesFreshness_andAnInvalidExpiresIsAlreadyStale() throws Exception {
        String date = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
                java.time.ZonedDateTime.ofInstant(java.time.Instant.ofEpochMilli(clock.get()), java.time.ZoneOffset.UTC));
        String inAMinute = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
                java.time.ZonedDateTime.ofInstant(java.time.Instant.ofEpochMilli(clock.get() + 60_000), java.time.ZoneOffset.UTC));
        origin.serve("/expires", ok("v{n}", "Date", date, "Expires", inAMinute));
        origin.serve("/expires-zero", ok("v{n}", "Expires", "0", "ETag", "\"z\""));
        get("/expires");
        get("/expires-zero");

        assertThat(get("/expires").headers().firstValue("Cache-Status").orElseThrow()).contains("hit");
        assertThat(get("/expires-zero").headers().firstValue("Cache-Status").orElseThrow()).contains("fwd=stale");
    }

    @Test
    void noStore_private_andSetCookie_areNeverStored() throws Exception {
        origin.serve("/no-store", ok("v{n}", "Cache-Control", "no-store"));
        origin.serve("/private", ok("v{n}", "Cache-Control", "private, max-age=60"));
        origin.serve("/cookie", ok("v{n}", "Cache-Control", "max-age=60", "Set-Cookie", "session=1"));

        for (String path : List.of("/no-store", "/private", "/cookie")) {
            get(path);
            HttpResponse<String> again = get(path);
            assertThat(again.body()).as(path).isEqualTo("v2");
            assertThat(again.headers().firstValue("Cache-Status").orElseThrow()).as(path).contains("hit-for-miss");
        }
    }

    @Test
    void noCache_isStoredButValidatedBeforeEachUse() throws Exception {
        origin.serve("/validated", ok("v{n}", "Cache-Control", "no-cache", "ETag", "\"a\""));
        get("/validated");

        HttpResponse<String> second = get("/validated");

        assertThat(second.body()).isEqualTo("v1");
        assertThat(second.headers().firstValue("Cache-Status").orElseThrow()).contains("fwd=stale; fwd-status=304");
        assertThat(origin.conditionalHits("/validated")).isEqualTo(1);
    }

    @Test
    void authorization_isNotShared_unlessTheAnswerSaysPublic() throws Exception {
        origin.serve("/mine", ok("v{n}", "Cache-Control", "max-age=60"));
        origin.serve("/ours", ok("v{n}", "Cache-Control", "public, max-age=60"));

        get("/mine", "Authorization", "Bearer x");
        get("/ours", "Authorization", "Bearer x");

        assertThat(get("/mine", "Authorization", "Bearer x").body()).isEqualTo("v2");
        assertThat(get("/ours", "Authorization", "Bearer y").body()).isEqualTo("v1");
    }

    @Test
    void cdnCacheControl_takesPrecedence_andNeverReachesTheClient() throws Exception {
        origin.serve("/targeted", ok("v{n}", "Cache-Control", "no-store", "CDN-Cache-Control", "max-age=60",
                                     "Surrogate-Key", "a b"));
        origin.serve("/surrogate", ok("v{n}", "Cache-Control", "max-age=0", "Surrogate-Control", "max-age=60"));

        HttpResponse<String> first = get("/targeted");
        get("/surrogate");

        assertThat(get("/targeted").body()).isEqualTo("v1");
        assertThat(get("/surrogate").body()).isEqualTo("v1");
        assertThat(first.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(first.headers().map()).doesNotContainKeys("cdn-cache-control", "surrogate-key");
        assertThat(get("/surrogate").headers().map()).doesNotContainKey("surrogate-control");
    }

    @Test
    void heuristicFreshness_isOffByDefault_soLastModifiedAloneIsRevalidated() throws Exception {
        origin.serve("/dated", ok("v{n}", "Last-Modified", "Mon, 02 Jan 2006 15:04:05 GMT"));
        get("/dated");

        HttpResponse<String> second = get("/dated");

        assertThat(second.headers().firstValue("Cache-Status").orElseThrow()).contains("fwd=stale");
        assertThat(origin.conditionalHits("/dated")).isEqualTo(1);
    }

    @Test
    void varyAcceptEncoding_isNormalized_soEquivalentSpellingsShareOneVariant() throws Exception {
        origin.serve("/styles.css", ok("v{n}", "Cache-Control", "max-age=60", "Vary", "Accept-Encoding"));

        get("/styles.css", "Accept-Encoding", "gzip, deflate");
        HttpResponse<String> sameVariant = get("/styles.css", "Accept-Encoding", "deflate, gzip;q=1.0");
        HttpResponse<String> otherVariant = get("/styles.css", "Accept-Encoding", "br, gzip");

        assertThat(sameVariant.body()).isEqualTo("v1");
        assertThat(otherVariant.body()).isEqualTo("v2");
        assertThat(otherVariant.headers().firstValue("Cache-Status").orElseThrow()).contains("fwd=vary-miss");
    }

    @Test
    void varyStar_isNeverStored() throws Exception {
        origin.serve("/star", ok("v{n}", "Cache-Control", "max-age=60", "Vary", "*"));
        get("/star");

        assertThat(get("/star").body()).isEqualTo("v2");
    }

    @Test
    void onlyIfCached_getsTheStoredCopy_orA504_neverTheOrigin() throws Exception {
        origin.serve("/offline", ok("v{n}", "Cache-Control", "max-age=10"));
        get("/offline");

        assertThat(get("/offline", "Cache-Control", "only-if-cached").body()).isEqualTo("v1");
        clock.addAndGet(11_000);
        assertThat(get("/offline", "Cache-Control", "only-if-cached").statusCode()).isEqualTo(504);
        assertThat(get("/never", "Cache-Control", "only-if-cached").statusCode()).isEqualTo(504);
        assertThat(origin.hits("/offline")).isEqualTo(1);
    }

    @Test
    void revalidation_renewsFreshness_evenWhenTheStoredAnswerCameWithAnAge() throws Exception {
        origin.serve("/aged-then-304", ok("v{n}", "Cache-Control", "max-age=60", "Age", "55", "ETag", "\"e\""));
        get("/aged-then-304");
        clock.addAndGet(6_000);

        HttpResponse<String> revalidated = get("/aged-then-304");

        assertThat(revalidated.headers().firstValue("Cache-Status").orElseThrow()).contains("fwd-status=304");
        assertThat(get("/aged-then-304").headers().firstValue("Cache-Status").orElseThrow()).contains("; hit");
    }

    HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + edge.address().getPort() + path));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
