package dev.millions.ops.supervisor;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.millions.ops.node.ManagedNode;

/**
 * Starts again the nodes that exit on their own, with the back-off and limit of a {@link RestartPolicy},
 * and leaves down those a fault drill holds down. The starts run on threads of their own; the
 * bookkeeping is confined to the supervisor's lock.
 */
final class AutoRestarts {

    private static final Logger logger = LoggerFactory.getLogger(AutoRestarts.class);

    private final NodeBook book;
    private final LongSupplier ticker;
    private final RestartPolicy policy;
    /** Nodes that exited on their own, and when (ticker time) to start them again. */
    private final Map<String, Long> restartAt = new HashMap<>();
    /** Nodes to leave down when they exit, until a person restarts them ({@code chaos kill --no-restart}). */
    private final Set<String> held = new HashSet<>();
    private final Map<String, Restart> inFlight = new HashMap<>();

    AutoRestarts(NodeBook book, LongSupplier ticker) {
        this.book = book;
        this.ticker = ticker;
        this.policy = RestartPolicy.systemdLike(ticker);
    }

    /** {@code node}'s process is gone: records why, and schedules its restart unless it must stay down. */
    void exited(ManagedNode node, String cause) {
        String name = node.spec().name();
        book.exitedBecause(name, cause);
        if (held.contains(name)) {
            logger.warn("node {} exited ({}) and is held down; log: {}", name, cause, node.log());
            book.update(node, NodeStatus.EXITED, cause + "; held down until `millions chaos restart " + name + '`');
            return;
        }
        long at = policy.exited(name);
        if (at < 0) {
            String limit = "exited " + policy.recentExits(name) + " times within " + policy.interval().toSeconds() + " s";
            logger.error("node {} exited ({}), {}; not restarted again; log: {}", name, cause, limit, node.log());
            book.update(node, NodeStatus.FAILED, cause + "; " + limit + ", so it is not restarted again; see "
                                                 + node.log() + ", then `millions chaos restart " + name + '`');
            return;
        }
        restartAt.put(name, at);
        long inMillis = Math.max(0, (at - ticker.getAsLong()) / 1_000_000);
        logger.warn("node {} exited unexpectedly ({}); restarting it in {} ms; log: {}", name, cause, inMillis, node.log());
        book.update(node, NodeStatus.EXITED, cause + "; restarting in " + inMillis + " ms");
    }

    /**
     * Starts the nodes whose back-off has passed, each on a thread of its own; {@link #collect} takes
     * their outcomes.
     */
    void startDue(Map<String, ManagedNode> nodes) {
        for (String name : List.copyOf(restartAt.keySet())) {
            if (policy.due(restartAt.get(name))) {
                restartAt.remove(name);
                ManagedNode node = nodes.get(name);
                if (node != null && !inFlight.containsKey(name)) {
                    NodeState before = book.get(name);
                    book.update(node, NodeStatus.STARTING, "restart " + (before.restarts() + 1) + " after: "
                                                           + before.lastExit());
                    inFlight.put(name, new Restart(NodeStart.begin(node), before.lastExit()));
                }
            }
        }
    }

    /** Records the restarts that have ended: ready, or exited again (and then due again after a back-off). */
    void collect() {
        for (String name : List.copyOf(inFlight.keySet())) {
            if (inFlight.get(name).start().isDone()) {
                ended(inFlight.remove(name));
            }
        }
    }

    /** Waits for the restart of {@code name}, if one is under way, and records how it ended. */
    void await(String name) {
        Restart restart = inFlight.remove(name);
        if (restart != null) {
            ended(restart);
        }
    }

    /** Cancels every restart under way and waits until each has ended (and stopped its node). */
    void cancelAll() {
        inFlight.values().forEach(restart -> restart.start().cancel());
        inFlight.values().forEach(restart -> restart.start().await());
        inFlight.clear();
    }

    private void ended(Restart restart) {
        NodeStart.Outcome outcome = restart.start().await();
        if (outcome.failure().isPresent()) {
            logger.error("node {} did not start again: {}", outcome.name(), outcome.failure().get().getMessage());
            exited(outcome.node(), "did not start again: " + outcome.failure().get().getMessage());
            return;
        }
        book.restarted(outcome.name());
        book.update(outcome.node(), NodeStatus.READY, "restarted after: " + restart.lastExit() + ", ready in "
                                                      + outcome.millis() + " ms");
    }

    /** A restart under way, and why the node had exited. */
    private record Restart(NodeStart start, String lastExit) {}

    /** Leaves {@code name} down the next time it exits, until {@link #forget}. */
    void hold(String name) {
        held.add(name);
    }

    /** A person restarted or removed the node: its hold, pending restart and past exits no longer count. */
    void forget(String name) {
        held.remove(name);
        restartAt.remove(name);
        policy.forget(name);
    }
}
