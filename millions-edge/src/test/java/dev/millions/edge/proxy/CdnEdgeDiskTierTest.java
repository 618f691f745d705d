package dev.millions.edge.proxy;

import static dev.millions.edge.testing.TestOrigin.Answer.ok;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.millions.edge.config.CdnConfig;
import dev.millions.edge.config.EdgeConfig;
import dev.millions.edge.testing.Awaits;
import dev.millions.edge.testing.Edges;
import dev.millions.edge.testing.LeakCheck;
import dev.millions.edge.testing.TestOrigin;

/** The disk tier: what an edge stored is served after the edge restarts, without asking the origin again. */
class CdnEdgeDiskTierTest {

    static {
        LeakCheck.install();
    }

    @TempDir
    static Path folder;

    static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static TestOrigin origin;
    static int port;

    @BeforeAll
    static void startOrigin() throws Exception {
        origin = TestOrigin.start();
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
    }

    @AfterAll
    static void stop() throws InterruptedException {
        origin.close();
        assertThat(LeakCheck.leaks()).isEmpty();
    }

    @Test
    void restartedEdge_servesWhatItStoredBefore_fromDisk() throws Exception {
        origin.serve("/kept.jpg", ok("jpeg bytes v{n}", "Cache-Control", "max-age=600", "Surrogate-Key", "post-9"));
        origin.serve("/other.jpg", ok("other v{n}", "Cache-Control", "max-age=600", "Surrogate-Key", "post-10"));
        try (CdnEdge first = startEdge("restart")) {
            assertThat(get(first, "/kept.jpg").body()).isEqualTo("jpeg bytes v1");
            get(first, "/other.jpg");
            Awaits.until(() -> first.cache().objects() >= 2 && diskFiles() == 2, "both answers written to disk");
        }

        try (CdnEdge second = startEdge("restart")) {
            HttpResponse<String> again = get(second, "/kept.jpg");
            assertThat(again.body()).isEqualTo("jpeg bytes v1");
            assertThat(again.headers().firstValue("Cache-Status").orElseThrow()).contains("hit");
            assertThat(origin.hits("/kept.jpg")).isEqualTo(1);

            assertThat(second.purge(new CdnEdge.Purge("tag", "post-10", false))).isEqualTo(1);
            assertThat(get(second, "/other.jpg").body()).isEqualTo("other v2");
        }
    }

    @Test
    void purge_rightAfterAFill_isNotUndoneByTheFillsPendingDiskWrite() throws Exception {
        origin.serve("/racy.css", ok("css v{n}", "Cache-Control", "max-age=600", "Surrogate-Key", "ui"));
        try (CdnEdge edge = startEdge("racy")) {
            for (int round = 1; round <= 20; round++) {
                get(edge, "/racy.css");
                edge.purge(new CdnEdge.Purge("tag", "ui", false));

                assertThat(get(edge, "/racy.css").headers().firstValue("Cache-Status").orElseThrow())
                        .as("round %d", round).contains("fwd=");
                edge.purge(new CdnEdge.Purge("tag", "ui", false));
            }
        }
    }

    private static long diskFiles() {
        try (var files = Files.list(folder.resolve("restart"))) {
            return files.filter(file -> file.toString().endsWith(".answer")).count();
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    private static CdnEdge startEdge(String diskFolder) throws InterruptedException {
        Map<String, List<EdgeConfig.BackendConfig>> origins = Map.of("media", List.of(Edges.origin("media-1", origin.address())));
        CdnConfig.Cache cache = new CdnConfig.Cache(16L << 20, 1L << 20, false, 5_000, 0, 0, folder.resolve(diskFolder), 64L << 20);
        return CdnEdge.start(Edges.onPort(Edges.cdn(origins, List.of(Edges.cached("/", "media")), cache), port),
                             System::nanoTime, System::currentTimeMillis);
    }

    private static HttpResponse<String> get(CdnEdge edge, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + edge.address().getPort() + path)).build(),
                         HttpResponse.BodyHandlers.ofString());
    }
}
