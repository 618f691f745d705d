package dev.millions.edge.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.millions.edge.testing.LeakCheck;
import dev.millions.edge.testing.Proxies;
import dev.millions.edge.testing.TestBackend;

/** The proxy on each socket layer: the io_uring default, and the fallbacks where a kernel forbids it. */
class TransportTest {

    static {
        LeakCheck.install();
    }

    static TestBackend backend;
    static HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws Exception {
        backend = TestBackend.start("one", 0);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        backend.close();
        assertThat(LeakCheck.leaks()).isEmpty();
    }

    @AfterEach
    void forgetTheChoice() {
        System.clearProperty(Transport.PROPERTY);
    }

    @ParameterizedTest
    @ValueSource(strings = { "io_uring", "epoll", "nio" })
    void eachTransport_forwardsRequestsAndTheirBodies(String transport) throws Exception {
        System.setProperty(Transport.PROPERTY, transport);
        try (LoadBalancer balancer = LoadBalancer.start(Proxies.config("round-robin", List.of(backend)),
                                                        System::nanoTime)) {
            String base = "http://127.0.0.1:" + balancer.address().getPort();
            HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create(base + "/id")).build(),
                                                 HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(base + "/upload"))
                                                             .POST(HttpRequest.BodyPublishers.ofString("x".repeat(100_000)))
                                                             .build(), HttpResponse.BodyHandlers.ofString());

            assertThat(get.body()).isEqualTo("one");
            assertThat(post.statusCode()).isEqualTo(200);
            assertThat(post.body()).isEqualTo("100000");
        }
    }

    @Test
    void auto_prefersIoUring_whereTheKernelAllowsIt() {
        assertThat(Transport.choose()).isEqualTo(io.netty.channel.uring.IoUring.isAvailable() ? Transport.IO_URING
                                                                                             : Transport.EPOLL);
    }

    @Test
    void unknownTransport_isRefusedWithTheChoices() {
        System.setProperty(Transport.PROPERTY, "kqueue");

        assertThatThrownBy(Transport::choose).isInstanceOf(IllegalArgumentException.class)
                                             .hasMessage("millions.edge.transport: kqueue (expected: auto, io_uring, epoll or nio)");
    }
}
