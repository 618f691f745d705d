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
    private final LiveChanges changes;

    public Supervisor(Topology topology, RunFolder runFolder, Installation installation,
                      SupervisorListener listener) {
        this.topology = topology;
        this.runFolder = runFolder;
        this.book = new NodeBook(topology.name(), runFolder, listener);
        this.started = new StartedNodes(topology, runFolder, installation);
        this.lock = new RunFolderLock(runFolder);
        this.restarts = new AutoRestarts(book, System::nanoTime);
        this.changes = new LiveChanges(topology.name(), started, book, restarts);
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
     * Adds a replica to the replicated database while it runs: cloned from the primary, then counted
     * in the quorum (unless asynchronous). Clients learn of it from the cluster's nodes file.
     *
     * @return a line saying what happened
     */
    public synchronized String addReplica(boolean synchronous) {
        return changes.addReplica(synchronous);
    }

    /** Takes a replica out of the replicated database and stops it; its data folder is kept. */
    public synchronized String removeReplica(String name) {
        return changes.removeReplica(name);
    }

    /**
     * A planned change of primary in the replicated database: the primary shuts down cleanly, the most
     * advanced synchronous replica takes over, the old primary is re-cloned as a replica.
     *
     * @return a line saying what happened
     */
    public synchronized String switchover() {
        return changes.switchover();
    }

    /**
     * Runs {@code count} nodes of {@code role}: new ones are copies of the first, started and then added
     * to their balancer, if one fronts them; surplus ones (the newest first) are drained on the balancer,
     * so requests in flight finish, and only then stopped. Workers leave their consumer group as they stop.
     * {@code properties} are set on the nodes it adds (a web node that reads the feed another way, to
     * compare), over the first node's.
     */
    public synchronized List<NodeState> scale(String role, int count, Map<String, String> properties) {
        changes.scale(role, count, properties);
        return nodes();
    }

    /** The control API listens on {@code port}: the supervisor's own metrics join the scrape targets. */
    public synchronized void controlListening(int port) {
        book.controlListening(port);
    }

    private void update(ManagedNode node, NodeStatus status, String detail) {
        book.update(node, status, detail);
    }
}
