package dev.millions.ops.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.millions.ops.node.ManagedNode;
import dev.millions.ops.node.NodeStartException;
import dev.millions.ops.node.OsProcess;
import dev.millions.ops.node.RunFolder;
import dev.millions.ops.topology.NodeSpec;
import dev.millions.ops.topology.RoleSettings;

/** Restarts run on threads of their own; their outcomes are taken back when the supervisor collects. */
class AutoRestartsTest {

    @TempDir
    Path folder;

    private final AtomicLong now = new AtomicLong();

    @Test
    void aSlowRestart_holdsUpNeitherTheWatchNorAnotherNodesRestart() throws InterruptedException {
        NodeBook book = new NodeBook("t", new RunFolder(folder), node -> {});
        AutoRestarts restarts = new AutoRestarts(book, now::get);
        FakeNode broker = new FakeNode("queue-2");
        FakeNode worker = new FakeNode("worker-1");
        broker.release = new CountDownLatch(1);
        exitBoth(book, restarts, broker, worker);

        restarts.startDue(Map.of("queue-2", broker, "worker-1", worker));
        worker.started.await();
        awaitCollected(restarts, book, "worker-1");

        assertThat(book.get("worker-1").status()).isEqualTo(NodeStatus.READY);
        assertThat(book.get("worker-1").detail()).startsWith("restarted after: killed by SIGKILL, ready in ");
        assertThat(book.get("queue-2").status()).isEqualTo(NodeStatus.STARTING);

        broker.release.countDown();
        restarts.await("queue-2");
        assertThat(book.get("queue-2").status()).isEqualTo(NodeStatus.READY);
        assertThat(book.get("queue-2").restarts()).isEqualTo(1);
    }

    @Test
    void aRestartThatFails_stopsItsNode_andIsDueAgainAfterItsBackOff() {
        NodeBook book = new NodeBook("t", new RunFolder(folder), node -> {});
        AutoRestarts restarts = new AutoRestarts(book, now::get);
        FakeNode broken = new FakeNode("web-1");
        broken.fails = true;
        book.update(broken, NodeStatus.READY, null);
        restarts.exited(broken, "killed by SIGKILL");
        now.addAndGet(60_000_000_000L);

        restarts.startDue(Map.of("web-1", broken));
        restarts.await("web-1");

        assertThat(broken.stops).hasValue(1);
        assertThat(book.get("web-1").status()).isEqualTo(NodeStatus.EXITED);
        assertThat(book.get("web-1").detail()).startsWith("did not start again: web-1 would not start; restarting in");
    }

    @Test
    void cancelAll_interruptsTheRestartsUnderWay_andReturnsOnceTheirNodesAreStopped() {
        NodeBook book = new NodeBook("t", new RunFolder(folder), node -> {});
        AutoRestarts restarts = new AutoRestarts(book, now::get);
        FakeNode broker = new FakeNode("queue-2");
        FakeNode worker = new FakeNode("worker-1");
        broker.release = new CountDownLatch(1);
        worker.release = new CountDownLatch(1);
        exitBoth(book, restarts, broker, worker);
        restarts.startDue(Map.of("queue-2", broker, "worker-1", worker));

        restarts.cancelAll();

        assertThat(broker.stops).hasValue(1);
        assertThat(worker.stops).hasValue(1);
    }

    private void exitBoth(NodeBook book, AutoRestarts restarts, FakeNode... nodes) {
        for (FakeNode node : nodes) {
            book.update(node, NodeStatus.READY, null);
            restarts.exited(node, "killed by SIGKILL");
        }
        now.addAndGet(60_000_000_000L);
    }

    private static void awaitCollected(AutoRestarts restarts, NodeBook book, String name) throws InterruptedException {
        while (book.get(name).status() != NodeStatus.READY) {
            restarts.collect();
            Thread.sleep(10);
        }
    }

    /** A node whose start can be held until released, or fail. */
    private static final class FakeNode implements ManagedNode {

        private final NodeSpec spec;
        final CountDownLatch started = new CountDownLatch(1);
        final AtomicInteger stops = new AtomicInteger();
        volatile CountDownLatch release = new CountDownLatch(0);
        volatile boolean fails;

        FakeNode(String name) {
            spec = new NodeSpec(name, "trace", NodeSpec.DEFAULT_DC, "127.0.0.1", 0, List.of(), RoleSettings.none());
        }

        @Override
        public NodeSpec spec() {
            return spec;
        }

        @Override
        public void start() {
            started.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new NodeStartException(spec.name() + " interrupted while it started", log(), e);
            }
            if (fails) {
                throw new IllegalStateException(spec.name() + " would not start");
            }
        }

        @Override
        public void stop() {
            stops.incrementAndGet();
        }

        @Override
        public OsProcess process() {
            return null;
        }

        @Override
        public String address() {
            return "127.0.0.1:0";
        }

        @Override
        public String url() {
            return null;
        }

        @Override
        public Path log() {
            return Path.of("fake.log");
        }
    }
}
