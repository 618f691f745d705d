package dev.millions.edge.proxy;

import static dev.millions.edge.testing.TestOrigin.Answer.ok;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.millions.edge.config.CdnConfig;
import dev.millions.edge.testing.Awaits;
import dev.millions.edge.testing.Edges;
import dev.millions.edge.testing.LeakCheck;
import dev.millions.edge.testing.TestBackend;
import dev.millions.edge.testing.TestOrigin;

/**
 * Clients as they come to a CDN edge: one that hangs up while it waits on another's fetch, one that hangs
 * up in the middle of a large answer, a new connection per request, and an upload passed through. The
 * edge goes on serving everyone else, and leaks nothing (PARANOID).
 */
class CdnEdgeClientHangUpTest {

    static {
        LeakCheck.install();
    }

    static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static TestOrigin origin;
    static TestBackend uploads;
    static CdnEdge edge;

    @BeforeAll
    static void start() throws Exception {
        origin = TestOrigin.start();
        uploads = TestBackend.start("uploads", 0);
        edge = CdnEdge.start(Edges.cdn(Map.of("media", List.of(Edges.origin("media-1", origin.address())),
                                              "api", List.of(Edges.origin("api-1", uploads.address()))),
                                       List.of(Edges.cached("/", "media"), Edges.cached("/upload", "api"),
                                               Edges.cached("/big", "api")),
                                       new CdnConfig.Cache(16L << 20, 1L << 20, false, 5_000, 0, 0, null, 0)),
                             System::nanoTime, System::currentTimeMillis);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        edge.close();
        origin.close();
        uploads.close();
        assertThat(LeakCheck.leaks()).isEmpty();
    }

    @Test
    void clientsHangingUpWhileWaitingOnAFetch_doNotStopItServingTheOthers() throws Exception {
        origin.serve("/slow.jpg", ok("slow", "Cache-Control", "max-age=60").delayed(300));
        for (int i = 0; i < 5; i++) {
            try (Socket gone = rawGet("/slow.jpg", true)) {
                gone.getOutputStream().flush();
            }
        }

        HttpResponse<String> stayed = get("/slow.jpg");

        assertThat(stayed.body()).isEqualTo("slow");
        assertThat(origin.hits("/slow.jpg")).isEqualTo(1);
    }

    @Test
    void clientHangingUpInTheMiddleOfALargeAnswer_endsItsFetch_andTheEdgeServesOn() throws Exception {
        try (Socket gone = rawGet("/big?bytes=" + (32 << 20), true)) {
            InputStream in = gone.getInputStream();
            in.readNBytes(256 * 1024);
        }

        assertThat(get("/big?bytes=1000").body()).hasSize(1000);
        Awaits.until(() -> edge.metrics().contains("millions_lb_connections 0.0")
                           || edge.metrics().contains("millions_lb_connections 1.0"), "the hung-up connection closed");
    }

    @Test
    void newConnectionPerRequest_getsHits() throws Exception {
        origin.serve("/each.css", ok("css", "Cache-Control", "max-age=60"));

        for (int i = 0; i < 20; i++) {
            try (Socket socket = rawGet("/each.css", false)) {
                String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                assertThat(answer).startsWith("HTTP/1.1 200").endsWith("css");
            }
        }

        assertThat(origin.hits("/each.css")).isEqualTo(1);
    }

    @Test
    void upload_passesThroughWhole_andIsNeverStored() throws Exception {
        byte[] photo = new byte[3 << 20];

        HttpResponse<String> answer = http.send(request("/upload").POST(HttpRequest.BodyPublishers.ofByteArray(photo)).build(),
                                                HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo(Integer.toString(photo.length));
        assertThat(answer.headers().firstValue("Cache-Status").orElseThrow()).contains("fwd=method");
    }

    /** A GET on a connection of its own, closed by the edge after the answer; the caller hangs up when it likes. */
    private static Socket rawGet(String path, boolean keepAlive) throws Exception {
        Socket socket = new Socket(edge.address().getAddress(), edge.address().getPort());
        socket.setSoTimeout(10_000);
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + edge.address().getPort() + "\r\n"
                   + (keepAlive ? "" : "Connection: close\r\n") + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return socket;
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return http.send(request(path).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + edge.address().getPort() + path));
    }
}
