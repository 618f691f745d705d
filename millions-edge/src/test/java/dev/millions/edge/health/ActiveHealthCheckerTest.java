package dev.millions.edge.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.millions.edge.balance.Backend;
import dev.millions.edge.balance.BackendSet;
import dev.millions.edge.testing.LeakCheck;
import dev.millions.edge.testing.TestBackend;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;

/** Active checks against real sockets: a healthy server, a failing one, a closed port and one that never answers. */
class ActiveHealthCheckerTest {

    static {
        LeakCheck.install();
    }

    static final Duration INTERVAL = Duration.ofMillis(50);
    static final Duration TIMEOUT = Duration.ofMillis(200);

    static EventLoopGroup group;
    static TestBackend server;

    @BeforeAll
    static void start() throws IOException {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        server = TestBackend.start("one", 0);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        server.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        assertThat(LeakCheck.leaks()).isEmpty();
    }

    @Test
    void unhealthyServerAnswering200_turnsHealthyAfterRiseChecks() throws Exception {
        Backend backend = backend(server.address(), false);
        try (ActiveHealthChecker checker = checker(backend, "/health/readiness")) {
            checker.start();
            await(backend::healthy, "healthy");
        }
    }

    @Test
    void serverAnswering503_turnsUnhealthy() throws Exception {
        Backend backend = backend(server.address(), true);
        try (ActiveHealthChecker checker = checker(backend, "/fail")) {
            checker.start();
            await(() -> !backend.healthy(), "unhealthy");
        }
    }

    @Test
    void closedPort_turnsUnhealthy() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Backend backend = backend("127.0.0.1:" + port, true);
        try (ActiveHealthChecker checker = checker(backend, "/health/readiness")) {
            checker.start();
            await(() -> !backend.healthy(), "unhealthy");
        }
    }

    @Test
    void serverThatNeverAnswers_turnsUnhealthyByTimeout_withOneCheckOpenAtATime() throws Exception {
        List<Socket> accepted = new CopyOnWriteArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept());
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            Backend backend = backend("127.0.0.1:" + silent.getLocalPort(), true);
            long started = System.nanoTime();
            try (ActiveHealthChecker checker = checker(backend, "/health/readiness")) {
                checker.start();
                await(() -> !backend.healthy(), "unhealthy");
            }
            long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
            // Two failed checks (fall = 2) at one timeout each; the 50 ms interval started no others meanwhile.
            assertThat(elapsedMillis).isGreaterThanOrEqualTo(2 * TIMEOUT.toMillis());
            assertThat(accepted).hasSizeLessThanOrEqualTo(3);
        } finally {
            for (Socket socket : accepted) {
                socket.close();
            }
        }
    }

    private static Backend backend(String address, boolean healthy) {
        int colon = address.lastIndexOf(':');
        return new Backend("b", new InetSocketAddress(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1))),
                           1, healthy, System.nanoTime());
    }

    private static ActiveHealthChecker checker(Backend backend, String path) {
        BackendSet set = new BackendSet();
        set.add(backend);
        return new ActiveHealthChecker(set, group.next(), NioSocketChannel.class, path, INTERVAL, TIMEOUT, 2, 2,
                                       System::nanoTime);
    }

    private static void await(BooleanSupplier condition, String state) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("backend %s within 30 s", state).isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
