package dev.millions.edge.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.millions.edge.config.CdnConfig;
import dev.millions.edge.testing.Edges;
import dev.millions.edge.testing.LbProcess;
import dev.millions.edge.testing.TestBackend;

/**
 * An object far larger than the CDN edge's heap streams through it, uncached, as it arrives: the edge
 * runs in a JVM of its own with a 48 MiB heap that ends the process if it runs out, and its leak detector
 * at PARANOID.
 */
class CdnLargeObjectTest {

    private static final long OBJECT_BYTES = 256L << 20;

    @TempDir
    Path folder;

    @Test
    void objectOfManyHeaps_streamsThroughUncached_withoutEndingTheEdge() throws Exception {
        try (TestBackend origin = TestBackend.start("origin", 0);
             LbProcess edge = LbProcess.start(Edges.cdn(Map.of("media", List.of(Edges.origin("media-1", origin.address()))),
                                                        List.of(Edges.cached("/", "media")),
                                                        new CdnConfig.Cache(16L << 20, 1L << 20, false, 5_000, 0, 0, null, 0)),
                                              "48m", folder)) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            URI big = URI.create("http://127.0.0.1:" + edge.address().getPort() + "/big?bytes=" + OBJECT_BYTES);

            HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(big).build(),
                                                           HttpResponse.BodyHandlers.ofInputStream());
            long received;
            try (InputStream body = response.body()) {
                received = body.transferTo(java.io.OutputStream.nullOutputStream());
            }

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(received).isEqualTo(OBJECT_BYTES);
            assertThat(response.headers().firstValue("Cache-Status").orElseThrow()).contains("too-large");
            assertThat(edge.alive()).isTrue();
            assertThat(edge.leaks()).isEmpty();
        }
    }
}
