package dev.millions.ops.supervisor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.millions.ops.node.Balancer;
import dev.millions.ops.node.ManagedNode;
import dev.millions.ops.node.Replicas;
import dev.millions.ops.node.Roles;
import dev.millions.ops.node.Scalable;
import dev.millions.ops.topology.NodeSpec;

/**
 * The changes an operator makes to a running system, beside faults: nodes of a role added or taken
 * away ({@code scale}), replicas added to or taken from the replicated database, and a switchover of
 * its primary. Each is called by the {@link Supervisor} with its lock held, so none runs beside a start,
 * a restart or a check of the nodes.
 */
final class LiveChanges {

    private static final Logger logger = LoggerFactory.getLogger(LiveChanges.class);

    private final String topology;
    private final StartedNodes started;
    private final NodeBook book;
    private final AutoRestarts restarts;

    LiveChanges(String topology, StartedNodes started, NodeBook book, AutoRestarts restarts) {
        this.topology = topology;
        this.started = started;
        this.book = book;
        this.restarts = restarts;
    }

    /** See {@link Supervisor#addReplica}. */
    String addReplica(boolean synchronous) {
        Replicas database = onlyDatabase();
        String name = nextName(prefix(database.name()));
        long startNanos = System.nanoTime();
        ManagedNode node = database.addReplica(name, synchronous);
        started.put(node);
        update(node, NodeStatus.READY, "added at run time, streaming in "
                                       + (System.nanoTime() - startNanos) / 1_000_000 + " ms");
        return name + " added as a" + (synchronous ? " synchronous" : "n asynchronous") + " replica of "
               + database.primary() + " in " + (System.nanoTime() - startNanos) / 1_000_000 + " ms";
    }

    /** See {@link Supervisor#removeReplica}. */
    String removeReplica(String name) {
        Replicas database = onlyDatabase();
        database.removeReplica(name);
        started.remove(name);
        book.remove(name);
        restarts.forget(name);
        return name + " removed and stopped; the database now runs on " + database.members();
    }

    private Replicas onlyDatabase() {
        List<Replicas> databases = started.capabilities(Replicas.class);
        if (databases.isEmpty()) {
            throw new IllegalArgumentException("topology " + topology + " has no replicated database "
                                               + "(try the replicated preset)");
        }
        return databases.getFirst();
    }

    /** See {@link Supervisor#switchover}. */
    String switchover() {
        Replicas database = onlyDatabase();
        String before = database.primary();
        long startNanos = System.nanoTime();
        String after = database.switchover();
        String line = "primary " + before + " -> " + after + " in " + (System.nanoTime() - startNanos) / 1_000_000
                      + " ms; " + before + " is being re-cloned as a replica";
        logger.info("switchover of {}: {}", database.name(), line);
        return line;
    }

    /** See {@link Supervisor#scale}. */
    void scale(String role, int count, Map<String, String> properties) {
        if (count < 1 || count > 16) {
            throw new IllegalArgumentException(role + "=" + count + " (expected: 1..16)");
        }
        List<ManagedNode> copies = new ArrayList<>(started.all().stream()
                .filter(node -> node.spec().role().equals(role)
                                && StartedNodes.capability(node, Scalable.class).isPresent()
                                && book.get(node.spec().name()).status() == NodeStatus.READY)
                .toList());
        if (copies.isEmpty()) {
            throw new IllegalArgumentException("no " + role + " node of topology " + topology
                                               + " runs that can be scaled");
        }
        String first = copies.getFirst().spec().name();
        // Web nodes join and leave their balancer; nodes that no balancer fronts (workers) just start and stop.
        Optional<Map.Entry<String, Balancer>> balancer = started.all().stream()
                .flatMap(node -> StartedNodes.capability(node, Balancer.class).filter(b -> b.balances(first))
                                                                  .map(b -> Map.entry(node.spec().name(), b)).stream())
                .findFirst();
        if (balancer.isEmpty() && role.equals("web")) {
            throw new IllegalArgumentException("scaling needs a load balancer in the topology; " + topology
                                               + " has none (try the lb preset)");
        }
        while (copies.size() < count) {
            NodeSpec spec = StartedNodes.capability(copies.getFirst(), Scalable.class).orElseThrow()
                    .copy(nextName(prefix(first)), properties);
            ManagedNode node = Roles.driver(spec.role()).create(spec, started);
            started.put(node);
            update(node, NodeStatus.STARTING, "scale up");
            long startNanos = System.nanoTime();
            try {
                node.start();
            } catch (RuntimeException e) {
                update(node, NodeStatus.FAILED, "scale up failed: " + e.getMessage());
                started.remove(spec.name());
                throw e;
            }
            balancer.ifPresent(entry -> entry.getValue().addBackend(node));
            update(node, NodeStatus.READY, balancer.map(entry -> "added to " + entry.getKey() + ", ").orElse("")
                                           + "ready in " + (System.nanoTime() - startNanos) / 1_000_000 + " ms");
            copies.add(node);
        }
        while (copies.size() > count) {
            ManagedNode node = copies.remove(copies.size() - 1);
            String name = node.spec().name();
            update(node, NodeStatus.STOPPING, balancer.map(entry -> "draining on " + entry.getKey()).orElse("stopping"));
            balancer.ifPresent(entry -> entry.getValue().drainBackend(name));
            node.stop();
            started.remove(name);
            book.remove(name);
            restarts.forget(name);
            logger.info("node {} {}stopped (scale down)", name, balancer.isPresent() ? "drained and " : "");
        }
    }

    /** What the names of a kind of node start with: {@code web-} for {@code web-1}, {@code db-} for {@code db}. */
    private static String prefix(String name) {
        return name.replaceFirst("-?[0-9]+$", "") + '-';
    }

    /** The next free name of a kind of node added at run time: {@code web-3} after {@code web-2}. */
    private String nextName(String prefix) {
        int highest = 0;
        for (String name : book.names()) {
            if (name.startsWith(prefix) && name.substring(prefix.length()).matches("[0-9]+")) {
                highest = Math.max(highest, Integer.parseInt(name.substring(prefix.length())));
            }
        }
        return prefix + (highest + 1);
    }

    private void update(ManagedNode node, NodeStatus status, String detail) {
        book.update(node, status, detail);
    }
}
