package dev.millions.ops.supervisor;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.millions.ops.node.Balancer;
import dev.millions.ops.node.ClusterManaged;
import dev.millions.ops.node.EdgeCache;
import dev.millions.ops.node.Installation;
import dev.millions.ops.node.ManagedNode;
import dev.millions.ops.node.MetricFamilies;
import dev.millions.ops.node.MetricsSource;
import dev.millions.ops.node.NodeStartException;
import dev.millions.ops.node.OsProcess;
import dev.millions.ops.node.Replicas;
import dev.millions.ops.node.Roles;
import dev.millions.ops.node.RunFolder;
import dev.millions.ops.node.Scalable;
import dev.millions.ops.topology.NodeSpec;
import dev.millions.ops.topology.Topology;

/**
 * Starts every node of a topology as its own OS process, in dependency order, one at a time (on two
 * cores, JVMs started side by side were no sooner ready all together), watches them, restarts those
 * that exit (each restart on a thread of its own, so that one slow start holds up no other), and stops
 * them in reverse order. It holds a lock on the run folder for its whole life, so that two systems
 * never share one folder, and records what runs in {@code state.json} for {@code status} and
 * {@code down}. It knows no role: each node is made by its role's driver, and what a node can do beyond
 * starting and stopping (replicas, a balancer, scaling) is looked up in its capabilities by name.
 */
public final class Supervisor implements AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(Supervisor.class);

    private final Topology topology;
    private final RunFolder runFolder;
    private final StartedNodes started;
    private final NodeBook book;
    private final RunFolderLock lock;
    private final AutoRestarts restarts;

    public Supervisor(Topology topology, RunFolder runFolder, Installation installation,
                      SupervisorListener listener) {
        this.topology = topology;
        this.runFolder = runFolder;
        this.book = new NodeBook(topology.name(), runFolder, listener);
        this.started = new StartedNodes(topology, runFolder, installation);
        this.lock = new RunFolderLock(runFolder);
        this.restarts = new AutoRestarts(book, System::nanoTime);
    }

    /**
     * Starts every node and returns once all are ready.
     *
     * @param fresh delete the data of earlier runs first
     * @throws NodeStartException when a node does not become ready; the nodes already started are
     *                            stopped again
     */
    public synchronized void start(boolean fresh) {
        lock.acquire();
        try {
            prepareRunFolder(fresh);
        } catch (RuntimeException e) {
            lock.release();
            throw e;
        }
        long startNanos = System.nanoTime();
        for (NodeSpec spec : topology.startOrder()) {
            ManagedNode node = create(spec);
            started.put(node);
            update(node, NodeStatus.STARTING, null);
            long nodeStart = System.nanoTime();
            try {
                node.start();
            } catch (RuntimeException e) {
                update(node, NodeStatus.FAILED, e.getMessage());
                logger.error("node {} failed to start: {}", spec.name(), e.getMessage());
                stop();
                throw e instanceof NodeStartException nse ? nse : new NodeStartException(e.getMessage(), node.log(), e);
            }
            update(node, NodeStatus.READY, "ready in " + (System.nanoTime() - nodeStart) / 1_000_000 + " ms");
            registerMembers(node);
        }
        logger.info("topology {} ready in {} ms", topology.name(), (System.nanoTime() - startNanos) / 1_000_000);
    }

    private void prepareRunFolder(boolean fresh) {
        try {
            Leftovers.stopAll(runFolder);
            if (fresh) {
                runFolder.wipe();
            }
            runFolder.create();
            SupervisorLog.attach(runFolder.supervisorLog());
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare run folder " + runFolder.root() + ": " + e, e);
        }
    }

    /**
     * Checks once that every ready node still runs, records those that exited and why, and starts again
     * those whose back-off has passed (see {@link RestartPolicy}). A replicated database's members are
     * left to its failover manager; a node held down by a fault drill stays down.
     */
    public synchronized void checkNodes() {
        restarts.collect();
        Map<String, String> details = new HashMap<>();
        for (ManagedNode node : started.all()) {
            if (book.get(node.spec().name()).status() == NodeStatus.READY) {
                details.putAll(node.details());
            }
        }
        for (ManagedNode node : started.all()) {
            String name = node.spec().name();
            NodeState state = book.get(name);
            if (state.status() != NodeStatus.READY) {
                continue;
            }
            OsProcess process = node.process();
            boolean clusterManaged = StartedNodes.capability(node, ClusterManaged.class).isPresent();
            // A node with no process of ours (an external database, a whole Redis Cluster) is not watched
            // here, and nor is one whose cluster's manager watches it.
            if (!clusterManaged && state.pid() > 0 && (process == null || !process.isAlive())) {
                restarts.exited(node, node.exitCause());
                continue;
            }
            String detail = details.get(name);
            long pid = process == null ? -1 : process.pid();
            // A member that its manager rebuilt runs as another process.
            if (detail != null && !detail.equals(state.detail()) || clusterManaged && pid != state.pid()) {
                update(node, NodeStatus.READY, detail != null ? detail : state.detail());
            }
        }
        restarts.startDue(started.byName());
    }

    /**
     * Leaves {@code name} down the next time it exits, until {@link #restart} brings it back: a fault
     * drill that needs a node to stay dead says so first.
     */
    public synchronized String hold(String name) {
        restarts.hold(started.get(name).spec().name());
        return name + " will stay down when it exits, until `millions chaos restart " + name + '`';
    }

    /**
     * The members a node brought along (a Redis Cluster's, those a replicated database was given at run
     * time and remembers) are nodes too, so that status, chaos and the drills see them.
     */
    private void registerMembers(ManagedNode node) {
        Map<String, String> details = node.details();
        for (ManagedNode member : node.members()) {
            String name = member.spec().name();
            if (!started.contains(name)) {
                started.put(member);
                update(member, NodeStatus.READY, details.containsKey(name) ? details.get(name)
                                                                          : member.details().get(name));
            }
        }
    }

    private ManagedNode create(NodeSpec spec) {
        return Roles.driver(spec.role()).create(spec, started);
    }

    /**
     * Adds a replica to the replicated database while it runs: cloned from the primary, then counted
     * in the quorum (unless asynchronous). Clients learn of it from the cluster's nodes file.
     *
     * @return a line saying what happened
     */
    public synchronized String addReplica(boolean synchronous) {
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

    /** Takes a replica out of the replicated database and stops it; its data folder is kept. */
    public synchronized String removeReplica(String name) {
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
            throw new IllegalArgumentException("topology " + topology.name() + " has no replicated database "
                                               + "(try the replicated preset)");
        }
        return databases.getFirst();
    }

    /**
     * Purges stored answers on every CDN edge of the topology.
     *
     * @return a line saying how many answers the edges purged, and how long it took
     */
    public String purge(String kind, String value, boolean soft) {
        List<EdgeCache> edges;
        synchronized (this) {
            edges = started.capabilities(EdgeCache.class);
        }
        return EdgePurge.run(topology.name(), edges, kind, value, soft);
    }

    /** Prometheus text that the supervisor exports for its nodes: replicated databases, Redis Clusters. */
    public String metrics() {
        List<MetricsSource> sources;
        synchronized (this) {
            sources = started.capabilities(MetricsSource.class);
        }
        MetricFamilies families = new MetricFamilies();
        sources.forEach(source -> source.collect(families));
        return families.text();
    }

    /**
     * A planned change of primary in the replicated database: the primary shuts down cleanly, the most
     * advanced synchronous replica takes over, the old primary is re-cloned as a replica.
     *
     * @return a line saying what happened
     */
    public synchronized String switchover() {
        Replicas database = onlyDatabase();
        String before = database.primary();
        long startNanos = System.nanoTime();
        String after = database.switchover();
        String line = "primary " + before + " -> " + after + " in " + (System.nanoTime() - startNanos) / 1_000_000
                      + " ms; " + before + " is being re-cloned as a replica";
        logger.info("switchover of {}: {}", database.name(), line);
        return line;
    }

    /**
     * Starts a node again: one that exited or was killed, or a running one, which is stopped first. It
     * keeps its address. Fault drills use it to bring back what they killed.
     *
     * @throws IllegalArgumentException when the topology has no such node
     * @throws NodeStartException when it does not become ready
     */
    public synchronized NodeState restart(String name) {
        ManagedNode node = started.get(name);
        Optional<ClusterManaged> managed = StartedNodes.capability(node, ClusterManaged.class);
        if (managed.isPresent()) {
            return book.get(name).with(NodeStatus.READY, managed.get().rebuild());
        }
        restarts.await(name);
        restarts.forget(name);
        OsProcess process = node.process();
        if (process != null && process.isAlive()) {
            update(node, NodeStatus.STOPPING, "restart");
            node.stop();
        }
        update(node, NodeStatus.STARTING, "restart");
        long startNanos = System.nanoTime();
        try {
            node.start();
        } catch (RuntimeException e) {
            update(node, NodeStatus.FAILED, "restart failed: " + e.getMessage());
            throw e instanceof NodeStartException nse ? nse : new NodeStartException(e.getMessage(), node.log(), e);
        }
        update(node, NodeStatus.READY, "restarted, ready in " + (System.nanoTime() - startNanos) / 1_000_000 + " ms");
        return book.get(name);
    }

    /** Stops every started node, the last started first, and releases the run folder. */
    public synchronized void stop() {
        try {
            restarts.cancelAll();
            stopNodes();
        } finally {
            lock.release();
        }
    }

    private void stopNodes() {
        List<ManagedNode> reverse = new ArrayList<>(started.all());
        Collections.reverse(reverse);
        for (ManagedNode node : reverse) {
            NodeStatus status = book.get(node.spec().name()).status();
            if (status == NodeStatus.STOPPED || status == NodeStatus.FAILED && node.process() == null) {
                continue;
            }
            update(node, NodeStatus.STOPPING, null);
            long stopStart = System.nanoTime();
            try {
                node.stop();
                update(node, NodeStatus.STOPPED, "stopped in " + (System.nanoTime() - stopStart) / 1_000_000 + " ms");
            } catch (RuntimeException e) {
                logger.error("node {} did not stop cleanly: {}", node.spec().name(), e.toString());
                update(node, NodeStatus.FAILED, "did not stop cleanly: " + e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        stop();
    }

    public synchronized List<NodeState> nodes() {
        return book.all();
    }

    /**
     * Runs {@code count} nodes of {@code role}: new ones are copies of the first, started and then added
     * to their balancer, if one fronts them; surplus ones (the newest first) are drained on the balancer,
     * so requests in flight finish, and only then stopped. Workers leave their consumer group as they stop.
     * {@code properties} are set on the nodes it adds (a web node that reads the feed another way, to
     * compare), over the first node's.
     */
    public synchronized List<NodeState> scale(String role, int count, Map<String, String> properties) {
        if (count < 1 || count > 16) {
            throw new IllegalArgumentException(role + "=" + count + " (expected: 1..16)");
        }
        List<ManagedNode> copies = new ArrayList<>(started.all().stream()
                .filter(node -> node.spec().role().equals(role)
                                && StartedNodes.capability(node, Scalable.class).isPresent()
                                && book.get(node.spec().name()).status() == NodeStatus.READY)
                .toList());
        if (copies.isEmpty()) {
            throw new IllegalArgumentException("no " + role + " node of topology " + topology.name()
                                               + " runs that can be scaled");
        }
        String first = copies.getFirst().spec().name();
        // Web nodes join and leave their balancer; nodes that no balancer fronts (workers) just start and stop.
        Optional<Map.Entry<String, Balancer>> balancer = started.all().stream()
                .flatMap(node -> StartedNodes.capability(node, Balancer.class).filter(b -> b.balances(first))
                                                                  .map(b -> Map.entry(node.spec().name(), b)).stream())
                .findFirst();
        if (balancer.isEmpty() && role.equals("web")) {
            throw new IllegalArgumentException("scaling needs a load balancer in the topology; " + topology.name()
                                               + " has none (try the lb preset)");
        }
        while (copies.size() < count) {
            NodeSpec spec = StartedNodes.capability(copies.getFirst(), Scalable.class).orElseThrow()
                    .copy(nextName(prefix(first)), properties);
            ManagedNode node = create(spec);
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
        return nodes();
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

    /** The control API listens on {@code port}: the supervisor's own metrics join the scrape targets. */
    public synchronized void controlListening(int port) {
        book.controlListening(port);
    }

    private void update(ManagedNode node, NodeStatus status, String detail) {
        book.update(node, status, detail);
    }
}
