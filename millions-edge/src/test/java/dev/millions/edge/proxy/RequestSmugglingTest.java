package dev.millions.edge.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.millions.edge.config.EdgeConfig;
import dev.millions.edge.testing.LeakCheck;
import dev.millions.edge.testing.Proxies;
import dev.millions.edge.testing.Raw;
import dev.millions.edge.testing.TestBackend;

/**
 * Raw bytes that two parsers could frame differently never reach a backend: each gets a clear error
 * and the connection closes. The variants follow PortSwigger's request smuggling catalogue (CL.TE,
 * TE.CL, TE.TE obfuscations) and RFC 9112's rules. The corpus runs against each role of the proxy
 * engine: the load balancer here, the CDN edge in {@link CdnRequestSmugglingTest}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RequestSmugglingTest {

    static {
        LeakCheck.install();
    }

    TestBackend backend;
    LoadBalancer balancer;

    /** The proxy under test, in front of {@code backend}, with the test proxy's limits but this body limit. */
    LoadBalancer start(TestBackend only, long maxBodyBytes) throws InterruptedException {
        return LoadBalancer.start(withBodyLimit(Proxies.config("round-robin", List.of(only)), maxBodyBytes), System::nanoTime);
    }

    @BeforeAll
    void start() throws Exception {
        backend = TestBackend.start("only", 0);
        balancer = start(backend, Proxies.config("round-robin", List.of(backend)).limits().maxBodyBytes());
    }

    @AfterAll
    void stop() throws InterruptedException {
        balancer.close();
        backend.close();
        assertThat(LeakCheck.leaks()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            CL.TE                       | POST /id HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: 6\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n0\\r\\n\\r\\nG                 | 400 | both Content-Length and Transfer-Encoding
            TE.CL                       | POST /id HTTP/1.1\\r\\nHost: x\\r\\nTransfer-Encoding: chunked\\r\\nContent-Length: 3\\r\\n\\r\\n8\\r\\nSMUGGLED\\r\\n0\\r\\n\\r\\n | 400 | both Content-Length and Transfer-Encoding
            TE.TE xchunked              | POST /id HTTP/1.1\\r\\nHost: x\\r\\nTransfer-Encoding: xchunked\\r\\n\\r\\n0\\r\\n\\r\\n                                      | 501 | unsupported transfer coding 'xchunked'
            TE.TE chunked twice         | POST /id HTTP/1.1\\r\\nHost: x\\r\\nTransfer-Encoding: chunked\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n0\\r\\n\\r\\n         | 400 | 'chunked' given more than once
            TE.TE identity then chunked | POST /id HTTP/1.1\\r\\nHost: x\\r\\nTransfer-Encoding: identity, chunked\\r\\n\\r\\n0\\r\\n\\r\\n                          | 400 | unsupported transfer coding 'identity'
            TE.TE space before colon    | POST /id HTTP/1.1\\r\\nHost: x\\r\\nTransfer-Encoding : chunked\\r\\n\\r\\n0\\r\\n\\r\\n                                     | 400 | whitespace in or before the colon
            TE.TE obs-fold              | POST /id HTTP/1.1\\r\\nHost: x\\r\\nTransfer-Encoding:\\r\\n chunked\\r\\n\\r\\n0\\r\\n\\r\\n                                | 400 | obs-fold
            duplicate Content-Length    | POST /id HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: 3\\r\\nContent-Length: 3\\r\\n\\r\\nabc                                       | 400 | Content-Length appears more than once
            listed Content-Length       | POST /id HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: 3, 3\\r\\n\\r\\nabc                                                          | 400 | invalid Content-Length '3, 3'
            signed Content-Length       | POST /id HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: +3\\r\\n\\r\\nabc                                                            | 400 | invalid Content-Length '+3'
            obs-fold                    | GET /id HTTP/1.1\\r\\nHost: x\\r\\nX-Long: a\\r\\n\\tb\\r\\n\\r\\n                                                             | 400 | obs-fold
            bare LF                     | GET /id HTTP/1.1\\nHost: x\\n\\n                                                                                      | 400 | bare LF
            bad chunk size              | POST /id HTTP/1.1\\r\\nHost: x\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\nzz\\r\\nabc\\r\\n0\\r\\n\\r\\n                          | 400 | invalid chunk size 'zz'
            body over the limit         | POST /id HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: 2000000000\\r\\n\\r\\n                                                  | 413 | over the limit
            """)
    void ambiguousOrOversizeRequest_isRefused_andNeverReachesTheBackend(String name, String request, int status,
                                                                        String detail) throws IOException {
        int before = backend.requests();

        String answer = Raw.exchange(balancer.address(), unescape(request));

        assertThat(answer).startsWith("HTTP/1.1 " + status).contains("application/problem+json").contains(detail)
                          .contains("connection: close");
        assertThat(backend.requests()).isEqualTo(before);
    }

    @Test
    void oversizeRequestLine_gets414() throws IOException {
        String answer = Raw.exchange(balancer.address(), "GET /" + "a".repeat(5000) + " HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 414").contains("request line longer than 4096 bytes");
    }

    @Test
    void oversizeHeaders_get431() throws IOException {
        String answer = Raw.exchange(balancer.address(), "GET /id HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(20_000)
                                                         + "\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 431").contains("header section larger than 8192 bytes");
    }

    @Test
    void chunkedBodyOverTheLimit_gets413_evenWithoutALengthUpFront() throws Exception {
        try (LoadBalancer small = start(backend, 10)) {
            String answer = Raw.exchange(small.address(), "POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                                                          + "\r\n8\r\n12345678\r\n8\r\n12345678\r\n0\r\n\r\n");

            assertThat(answer).contains("413").contains("chunked body over the limit of 10 bytes");
        }
    }

    @Test
    void slowloris_isCutOffAtTheHeaderTimeout() throws IOException {
        try (Socket socket = new Socket(balancer.address().getAddress(), balancer.address().getPort())) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write("GET /id HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();

            String answer = Raw.readAll(in);

            assertThat(answer).startsWith("HTTP/1.1 408").contains("request header timeout");
        }
    }

    @Test
    void headArrivingAFewBytesAtATime_isCheckedAsAWhole() throws Exception {
        assertThat(trickle("GET /id HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 200");
        assertThat(trickle("GET /id HTTP/1.1\r\nHost: x\r\nX-A: b\r\n c\r\n\r\n")).startsWith("HTTP/1.1 400")
                                                                                       .contains("obs-fold");
        assertThat(trickle("POST /id HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n"))
                .startsWith("HTTP/1.1 400").contains("both Content-Length and Transfer-Encoding");
    }

    private String trickle(String request) throws Exception {
        try (Socket socket = new Socket(balancer.address().getAddress(), balancer.address().getPort())) {
            socket.setSoTimeout(2_000);
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            byte[] bytes = request.getBytes(StandardCharsets.ISO_8859_1);
            for (int i = 0; i < bytes.length; i += 3) {
                out.write(bytes, i, Math.min(3, bytes.length - i));
                out.flush();
                Thread.sleep(2);
            }
            return Raw.readAll(socket.getInputStream());
        }
    }

    @Test
    void validRequestAfterTheChecks_stillPasses() throws IOException {
        String answer = Raw.exchange(balancer.address(), "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n"
                                                         + "Connection: close\r\n\r\nabc");

        assertThat(answer).startsWith("HTTP/1.1 200").endsWith("3");
    }

    static EdgeConfig withBodyLimit(EdgeConfig config, long bytes) {
        EdgeConfig.Limits limits = config.limits();
        return new EdgeConfig(config.name(), config.host(), 0, config.adminHost(), 0, config.adminTokenFile(),
                              config.backends(), config.balancing(), config.health(), config.outliers(),
                              config.slowStartMillis(), config.retries(), config.rateLimit(),
                              new EdgeConfig.Limits(limits.maxInitialLineBytes(), limits.maxHeaderBytes(), bytes,
                                                    limits.headerTimeoutMillis(), limits.idleTimeoutMillis(),
                                                    limits.backendTimeoutMillis(), limits.replayBufferBytes(),
                                                    limits.backendIdleMillis()),
                              config.accessLog(), config.cdn());
    }

    private static String unescape(String text) {
        return text.replace("\\r", "\r").replace("\\n", "\n").replace("\\t", "\t");
    }
}
