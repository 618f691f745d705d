package dev.millions.ops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;

import dev.millions.app.testing.ApiClient;
import dev.millions.ops.supervisor.NodeStatus;
import dev.millions.ops.supervisor.RunState;

/**
 * The chapter's CDN in front of the load balancer, through the commands a person types: the edge is
 * where clients come in, it stores what the app lets it and passes {@code /api} through, {@code status}
 * shows its hit ratio, {@code cdn purge} reaches it, and with the load balancer down its GETs fail over
 * to the web nodes; and when the edge cannot serve a photo, the page in a real browser asks the origin
 * for it. The topology is the {@code cdn} preset without its Redis Cluster, which this test does not
 * need, and with web-2 as the edge's media origin.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CdnStageEndToEndTest {

    private static final String TOPOLOGY = """
            name: cdn-test
            nodes:
              db:
                role: postgres
                port: auto
              web-1:
                role: web
                port: auto
                database: db
                jvm-options: [-Xmx256m]
              web-2:
                role: web
                port: auto
                database: db
                jvm-options: [-Xmx256m]
              lb:
                role: lb
                port: auto
                backends: [web-1, web-2]
                jvm-options: [-Xmx128m]
              cdn:
                role: cdn
                port: auto
                origin: lb
                backup: [web-1, web-2]
                media: [web-2]
                settings:
                  memory: 64mb
                  max-object: 4mb
                jvm-options: [-Xmx128m]
            """;

    @TempDir
    static Path folder;

    static Path runFolder;
    static Path topologyFile;
    static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                                             .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void writeTopology() throws IOException {
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
        runFolder = folder.resolve("run");
        topologyFile = Files.writeString(folder.resolve("cdn-test.yaml"), TOPOLOGY);
    }

    @AfterAll
    static void stopEverything() {
        millions("down");
    }

    @Test
    @Order(1)
    void up_putsTheEdgeInFront_andItStoresWhatTheAppLetsIt() throws Exception {
        MillionsCommand.Result up = millions("up", topologyFile.toString(), "-d");

        assertThat(up.exitCode()).as(up.output()).isZero();
        assertThat(up.output()).contains("Open " + cdnUrl());
        HttpResponse<String> page = get("");
        HttpResponse<String> pageAgain = get("");
        String script = versioned(page.body(), "js");
        get(script);
        HttpResponse<String> scriptAgain = get(script);

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(pageAgain.headers().firstValue("Cache-Status").orElseThrow())
                .as("the page is kept, and revalidated on each use").startsWith("cdn; fwd=stale; fwd-status=304");
        assertThat(scriptAgain.statusCode()).isEqualTo(200);
        assertThat(scriptAgain.headers().firstValue("Cache-Status").orElseThrow()).startsWith("cdn; hit; ttl=");
    }

    @Test
    @Order(2)
    void api_passesThroughUncached_withTheSessionKeptPerUser() {
        ApiClient alice = new ApiClient(cdnUrl()).signUpAndLogIn("alice", "correct horse battery");

        ApiClient.Response me = alice.get("/api/me");
        ApiClient.Response anonymous = new ApiClient(cdnUrl()).get("/api/me");

        assertThat(me.status()).isEqualTo(200);
        assertThat(me.body()).contains("alice");
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(me.headers().firstValue("Cache-Status")).isEmpty();
    }

    @Test
    @Order(3)
    void status_showsTheEdgesHitRatio_andPurgeReachesIt() throws Exception {
        String styles = versioned(get("").body(), "css");
        get(styles);
        get(styles);

        MillionsCommand.Result status = millions("status");
        MillionsCommand.Result purge = millions("cdn", "purge", "--prefix", "/app");
        MillionsCommand.Result badPurge = millions("cdn", "purge", "--url", "no-slash");

        assertThat(status.output()).containsPattern("cdn +cdn +ready .*ready; hit ratio [1-9]\\d*% of requests, \\d+% of bytes; \\d+ objects");
        assertThat(purge.exitCode()).as(purge.output()).isZero();
        assertThat(purge.output()).containsPattern("purged \\d+ stored answers on 1 edge in \\d+ ms");
        assertThat(badPurge.exitCode()).isNotZero();
        assertThat(badPurge.output()).contains("expected: a path starting with /");
        assertThat(get(styles).headers().firstValue("Cache-Status").orElseThrow()).contains("fwd=uri-miss; fwd-status=200; stored");
    }

    @Test
    @Order(4)
    void loadBalancerDown_getsFailOverToTheWebNodes() throws Exception {
        MillionsCommand.Result kill = millions("chaos", "kill", "--no-restart", "lb");
        assertThat(kill.exitCode()).as(kill.output()).isZero();
        Eventually.await("lb seen exited", () -> state().node("lb").orElseThrow().status(),
                         status -> status == NodeStatus.EXITED);

        HttpResponse<String> page = get("api/users/alice");

        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        MillionsCommand.Result restart = millions("chaos", "restart", "lb");
        assertThat(restart.exitCode()).as(restart.output()).isZero();
    }

    /**
     * The edge's media origin (web-2) is down and it has no backup for {@code /media}: a person signs up
     * and posts a photo in a real browser, and the photo, which the edge cannot serve, comes from the
     * load balancer instead, asked for once by the page and counted by the web node that served it.
     */
    @Test
    @Order(5)
    void photoTheEdgeFailsToServe_theBrowserFetchesFromTheOrigin_andTheFallbackIsCounted() throws Exception {
        Path photo = Files.write(folder.resolve("harbour.png"), ApiClient.png(160, 120));
        MillionsCommand.Result kill = millions("chaos", "kill", "--no-restart", "web-2");
        assertThat(kill.exitCode()).as(kill.output()).isZero();
        Eventually.await("web-2 seen exited", () -> state().node("web-2").orElseThrow().status(),
                         status -> status == NodeStatus.EXITED);

        try (HeadlessChromium browser = HeadlessChromium.start()) {
            Page page = browser.page();
            page.navigate(cdnUrl());
            Locator signUp = page.locator("form").first();
            signUp.locator("[name=username]").fill("carol");
            signUp.locator("[name=displayName]").fill("Carol");
            signUp.locator("[name=password]").fill("correct horse battery");
            signUp.locator("button[type=submit]").click();
            page.locator("[name=image]").setInputFiles(photo);
            page.locator("[name=caption]").fill("the harbour at dawn");
            page.locator("button", new Page.LocatorOptions().setHasText("Post")).first().click();
            Eventually.await("the post confirmed", () -> page.locator("#message").textContent(), "Posted."::equals);
            page.navigate(cdnUrl() + "#/u/carol");

            String loaded = Eventually.await("the photo shown", () -> (String) page.evaluate("""
                    () => {
                      const img = document.querySelector("article.post img");
                      return img && img.complete && img.naturalWidth > 0 ? img.currentSrc : null;
                    }"""), src -> src != null);

            assertThat(loaded).startsWith(url("lb") + "media/").endsWith(".png?fallback=cdn");
        }
        assertThat(get(url("web-1") + "metrics", HttpResponse.BodyHandlers.ofString()).body())
                .containsPattern("millions_media_cdn_fallbacks_total\\{[^}]*\\} [1-9]");
        MillionsCommand.Result restart = millions("chaos", "restart", "web-2");
        assertThat(restart.exitCode()).as(restart.output()).isZero();
    }

    /** The content-hashed name of the page's script or styles, without its leading slash. */
    private static String versioned(String page, String extension) {
        Matcher name = Pattern.compile("/(app-[0-9a-f]{32}\\." + extension + ")").matcher(page);
        assertThat(name.find()).as("the page names a versioned " + extension).isTrue();
        return name.group(1);
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(cdnUrl() + path)).timeout(Duration.ofSeconds(20)).build(),
                         HttpResponse.BodyHandlers.ofString());
    }

    private static <T> HttpResponse<T> get(String url, HttpResponse.BodyHandler<T> body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build(), body);
    }

    private static String cdnUrl() {
        return url("cdn");
    }

    private static String url(String node) {
        return state().node(node).orElseThrow().url();
    }

    private static RunState state() {
        return RunState.read(runFolder.resolve("state.json")).orElseThrow();
    }

    private static MillionsCommand.Result millions(String... args) {
        return new MillionsCommand(runFolder).run(args);
    }
}
