package dev.millions.ops.supervisor;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import dev.millions.ops.node.ManagedNode;

/**
 * A node starting again on a thread of its own, so that a node that takes a minute to start again (a
 * broker recovering its logs) holds up neither the supervisor's watch nor the restart of another. The
 * start touches no bookkeeping: its outcome is taken back under the supervisor's lock.
 */
final class NodeStart {

    /** How a start ended: the node ready, or its failure, after which the node was stopped again. */
    record Outcome(ManagedNode node, Optional<RuntimeException> failure, long millis) {

        String name() {
            return node.spec().name();
        }
    }

    private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    private final Thread thread;

    private NodeStart(ManagedNode node) {
        thread = Thread.ofPlatform().daemon(true).name("node-start-" + node.spec().name()).start(() -> {
            Outcome ended;
            try {
                ended = start(node);
            } catch (RuntimeException | Error e) {
                ended = new Outcome(node, Optional.of(e instanceof RuntimeException r ? r : new IllegalStateException(e)), -1);
            }
            outcome.complete(ended);
        });
    }

    static NodeStart begin(ManagedNode node) {
        return new NodeStart(node);
    }

    private static Outcome start(ManagedNode node) {
        long startNanos = System.nanoTime();
        try {
            node.start();
            return new Outcome(node, Optional.empty(), (System.nanoTime() - startNanos) / 1_000_000);
        } catch (RuntimeException e) {
            // Half started is not left running: a process that came up late would run unwatched.
            try {
                node.stop();
            } catch (RuntimeException stopFailure) {
                e.addSuppressed(stopFailure);
            }
            return new Outcome(node, Optional.of(e), (System.nanoTime() - startNanos) / 1_000_000);
        }
    }

    /** Interrupts the start, which then fails and stops its node; {@link #await} still waits for that. */
    void cancel() {
        thread.interrupt();
    }

    boolean isDone() {
        return outcome.isDone();
    }

    /** Waits for the start to end, even when interrupted: the interrupt is kept for the caller. */
    Outcome await() {
        return outcome.join();
    }
}
