package dev.millions.edge.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import dev.millions.edge.config.EdgeConfig;
import dev.millions.edge.testing.Awaits;
import dev.millions.edge.testing.BackendProcess;
import dev.millions.edge.testing.LeakCheck;
import dev.millions.edge.testing.Load;
import dev.millions.edge.testing.Proxies;
import dev.millions.edge.testing.TestBackend;

/** Backends die, join and slow down under load; clients see none of it fail. */
class BackendFailureTest {

    static {
        LeakCheck.install();
    }

    @Test
    void killMinus9OfOneOfTwoBackends_failsNoGet_andTakesItOutOfRotation() throws Exception {
        try (BackendProcess one = BackendProcess.start("one");
             BackendProcess two = BackendProcess.start("two");
             LoadBalancer balancer = LoadBalancer.start(config("round-robin", one, two), System::nanoTime);
             Load load = new Load(uri(balancer, "/id"), 8)) {
            awaitTraffic(load, "one", "two");

            one.kill();
            long killed = System.nanoTime();
            long outAfterMillis = -1;
            // Health checks every 100 ms with fall 2 take it out in about 300 ms; the deadline is for a busy machine.
            while (System.nanoTime() - killed < 30_000_000_000L) {
                if (!state(balancer, "one").equals("healthy")) {
                    outAfterMillis = (System.nanoTime() - killed) / 1_000_000;
                    break;
                }
                Thread.onSpinWait();
            }
            long twoBefore = load.count("two");
            Awaits.until(() -> load.count("two") >= twoBefore + 100, "100 more requests on two");
            load.close();

            assertThat(load.failures()).as("failed GETs; last: %s", load.lastFailure()).isZero();
            assertThat(outAfterMillis).as("taken out of rotation").isNotNegative();
            System.out.printf("killed backend out of rotation after %d ms%n", outAfterMillis);
            assertThat(load.count("two")).isGreaterThan(twoBefore);
        }
    }

    @Test
    void thirdBackendAddedUnderLoad_getsTraffic_andNothingFails() throws Exception {
        try (TestBackend one = TestBackend.start("one", 0);
             TestBackend two = TestBackend.start("two", 0);
             TestBackend three = TestBackend.start("three", 0);
             LoadBalancer balancer = LoadBalancer.start(Proxies.config("round-robin", List.of(one, two)), System::nanoTime);
             Load load = new Load(uri(balancer, "/id"), 8)) {
            awaitTraffic(load, "one", "two");

            balancer.add("three", three.address(), 1);
            long added = System.nanoTime();
            while (load.count("three") == 0 && System.nanoTime() - added < 30_000_000_000L) {
                Thread.sleep(10);
            }
            long firstTrafficMillis = (System.nanoTime() - added) / 1_000_000;
            load.close();

            assertThat(load.count("three")).as("requests to the new backend").isPositive();
            System.out.printf("new backend's first request after %d ms%n", firstTrafficMillis);
            assertThat(load.failures()).as("last failure: %s", load.lastFailure()).isZero();
        }
    }

    @Test
    void backendMadeSlowBy200ms_getsASmallShare_underP2cEwma() throws Exception {
        try (TestBackend fast = TestBackend.start("fast", 0);
             TestBackend slow = TestBackend.start("slow", 0);
             LoadBalancer balancer = LoadBalancer.start(Proxies.config("p2c-ewma", List.of(fast, slow)), System::nanoTime)) {
            slow.delay(200);
            try (Load load = new Load(uri(balancer, "/id"), 8)) {
                // The EWMA learns from the first requests; the share is measured after them. Counts, not
                // times, so a slow or busy machine runs longer instead of measuring less.
                Awaits.until(() -> load.total() >= 200, "200 requests to learn from");
                long learnedTotal = load.total();
                long learnedSlow = load.count("slow");
                Awaits.until(() -> load.total() >= learnedTotal + 400, "400 more requests");
                load.close();

                long measured = load.total() - learnedTotal;
                double slowShare = (double) (load.count("slow") - learnedSlow) / measured;
                assertThat(load.failures()).isZero();
                assertThat(slowShare).as("slow share of %s requests after learning", measured).isLessThan(0.05);
            }
        }
    }

    @Test
    void drainedBackend_finishesWhatItHas_andGetsNothingNew() throws Exception {
        try (TestBackend one = TestBackend.start("one", 0);
             TestBackend two = TestBackend.start("two", 0);
             LoadBalancer balancer = LoadBalancer.start(Proxies.config("round-robin", List.of(one, two)), System::nanoTime);
             Load slowLoad = new Load(uri(balancer, "/slow"), 4)) {
            // Every client is then inside a one-second /slow request: none is on its way to a backend.
            Awaits.until(() -> one.requests() + two.requests() >= 4, "the four clients' first requests");

            balancer.drain("one");
            int atDrain = one.requests();
            int twoAtDrain = two.requests();
            // Not a sleep: enough requests after the drain that any still sent to one would have shown.
            Awaits.until(() -> two.requests() >= twoAtDrain + 20, "20 more requests on two");
            slowLoad.close();

            assertThat(slowLoad.failures()).as("last failure: %s", slowLoad.lastFailure()).isZero();
            assertThat(one.requests()).isEqualTo(atDrain);
            assertThat(balancer.backends()).extracting(LoadBalancer.BackendView::id).containsExactly("two");
        }
    }

    @Test
    void answerStreamingLongerThanTheBackendTimeout_toASlowClient_arrivesWhole() throws Exception {
        long timeoutMillis = 1_000;
        long bytes = 8L << 20;
        try (TestBackend origin = TestBackend.start("origin", 0);
             LoadBalancer balancer = LoadBalancer.start(withBackendTimeout(Proxies.config("round-robin", List.of(origin)),
                                                                           timeoutMillis), System::nanoTime)) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            long startNanos = System.nanoTime();
            HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(uri(balancer, "/big?bytes=" + bytes))
                                                                      .build(), HttpResponse.BodyHandlers.ofInputStream());
            long received = 0;
            try (InputStream body = response.body()) {
                byte[] buffer = new byte[16 << 10];
                for (int n; (n = body.read(buffer)) != -1; received += n) {
                    // The slow client itself, not a wait: the backend's answer outlasts the timeout.
                    Thread.sleep(5);
                }
            }

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(received).isEqualTo(bytes);
            assertThat(System.nanoTime() - startNanos).as("the answer streamed for longer than the backend timeout")
                                                      .isGreaterThan(timeoutMillis * 1_000_000);
        }
    }

    @AfterAll
    static void noLeaks() throws InterruptedException {
        assertThat(LeakCheck.leaks()).isEmpty();
    }

    private static EdgeConfig config(String algorithm, BackendProcess... backends) {
        EdgeConfig config = Proxies.config(algorithm, List.of());
        return new EdgeConfig(config.name(), config.host(), 0, config.adminHost(), 0, config.adminTokenFile(),
                              java.util.Arrays.stream(backends).map(b -> new EdgeConfig.BackendConfig(b.id(), b.address(), 1))
                                              .toList(),
                              config.balancing(), config.health(), config.outliers(), config.slowStartMillis(),
                              config.retries(), config.rateLimit(), config.limits(), config.accessLog());
    }

    private static EdgeConfig withBackendTimeout(EdgeConfig config, long millis) {
        EdgeConfig.Limits limits = config.limits();
        return new EdgeConfig(config.name(), config.host(), 0, config.adminHost(), 0, config.adminTokenFile(),
                              config.backends(), config.balancing(), config.health(), config.outliers(),
                              config.slowStartMillis(), config.retries(), config.rateLimit(),
                              new EdgeConfig.Limits(limits.maxInitialLineBytes(), limits.maxHeaderBytes(),
                                                    limits.maxBodyBytes(), limits.headerTimeoutMillis(),
                                                    limits.idleTimeoutMillis(), millis, limits.replayBufferBytes(),
                                                    limits.backendIdleMillis()),
                              config.accessLog());
    }

    private static void awaitTraffic(Load load, String... backends) throws InterruptedException {
        long start = System.nanoTime();
        while (System.nanoTime() - start < 10_000_000_000L) {
            if (java.util.Arrays.stream(backends).allMatch(b -> load.count(b) > 20)) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no traffic reached every backend; last failure: " + load.lastFailure());
    }

    private static String state(LoadBalancer balancer, String id) {
        return balancer.backends().stream().filter(b -> b.id().equals(id)).findFirst().orElseThrow().state();
    }

    private static URI uri(LoadBalancer balancer, String path) {
        return URI.create("http://127.0.0.1:" + balancer.address().getPort() + path);
    }
}
