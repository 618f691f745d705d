package dev.millions.edge.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import dev.millions.edge.config.EdgeConfig;
import dev.millions.edge.testing.BackendProcess;
import dev.millions.edge.testing.ChurnClients;
import dev.millions.edge.testing.LbProcess;

/**
 * The load balancer as a process of its own with a 64 MB heap, in front of two backend processes, under
 * clients that open a connection per request, upload, keep connections alive and hang up half-way.
 * Pooled backend connections idle out every 50 ms, so the pool's sweep runs all through the load.
 * Every answer must be the request's own (its token in the body and the {@code Set-Cookie}), the heap
 * after a full collection stays small, the leak detector at PARANOID reports nothing, and no backend
 * connection is ever given back twice.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LoadBalancerUnderConnectionChurnTest {

    private static final long HEAP_BOUND_BYTES = 24L << 20;

    @TempDir
    static Path folder;
    static BackendProcess one;
    static BackendProcess two;
    static LbProcess lb;

    @BeforeAll
    static void start() throws Exception {
        one = BackendProcess.start("one");
        two = BackendProcess.start("two");
        EdgeConfig defaults = EdgeConfig.defaults("churn-lb", "127.0.0.1", 0, 0, null,
                List.of(new EdgeConfig.BackendConfig("one", one.address(), 1),
                        new EdgeConfig.BackendConfig("two", two.address(), 1)), null);
        EdgeConfig.Limits limits = defaults.limits();
        EdgeConfig config = new EdgeConfig(defaults.name(), defaults.host(), 0, defaults.adminHost(), 0, null,
                defaults.backends(), new EdgeConfig.Balancing("round-robin", null),
                new EdgeConfig.Health("/health/readiness", 100, 1_000, 1, 2), defaults.outliers(), 0,
                defaults.retries(), defaults.rateLimit(),
                new EdgeConfig.Limits(limits.maxInitialLineBytes(), limits.maxHeaderBytes(), limits.maxBodyBytes(),
                                      limits.headerTimeoutMillis(), limits.idleTimeoutMillis(), 5_000,
                                      limits.replayBufferBytes(), 50), null);
        lb = LbProcess.start(config, "64m", folder);
    }

    @AfterAll
    static void stop() throws Exception {
        if (lb != null) {
            lb.close();
        }
        if (one != null) {
            one.close();
        }
        if (two != null) {
            two.close();
        }
    }

    @Test
    @Order(1)
    void connectionPerRequestUploadsAndHangUps_getTheirOwnAnswers_inABoundedHeap() throws Exception {
        ChurnClients clients = new ChurnClients(lb.address()).run(12, 400);

        assertHealthy(clients);
        assertThat(clients.failedStatus()).as("answers other than 200: %s", clients).isZero();
        assertThat(clients.ioErrors()).as("%s", clients).isZero();
    }

    @Test
    @Order(2)
    void backendKilledRestartedAndPaused_underChurn_neverMixesAnswers() throws Exception {
        Thread faults = Thread.ofPlatform().start(() -> {
            try {
                one.restart();
                two.pause();
                Thread.sleep(500);
                two.resume();
                one.kill();
                one.restart();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        ChurnClients clients = new ChurnClients(lb.address()).run(12, 300);
        faults.join();

        // Requests in flight on a killed or paused backend may fail (502, 504, or a closed connection
        // mid-answer); none may get another request's answer, leak or grow the heap.
        assertHealthy(clients);
        assertThat(clients.answered()).as("%s", clients).isPositive();
    }

    private static void assertHealthy(ChurnClients clients) throws Exception {
        assertThat(lb.alive()).as("the lb is alive; its log:\n%s", lb.log()).isTrue();
        assertThat(clients.mismatches()).as("answers that belong to another request").isEmpty();
        assertThat(lb.metric("millions_lb_stray_releases_total")).as("connections given back twice").isZero();
        assertThat(lb.heapAfterFullGc()).as("heap after a full GC, bytes").isLessThan(HEAP_BOUND_BYTES);
        assertThat(lb.leaks()).as("leak reports").isEmpty();
    }
}
