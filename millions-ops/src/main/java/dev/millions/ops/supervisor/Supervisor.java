package dev.millions.ops.supervisor;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.millions.ops.topology.NodeSpec;
import dev.millions.ops.topology.Topology;

/**
 * Starts every node of a topology as its own OS process, in dependency order, watches them, and stops
 * them in reverse order. It holds a lock on the run folder for its whole life, so that two systems
 * never share one folder, and records what runs in {@code state.json} for {@code status} and
 * {@code down}.
 */
public final class Supervisor implements AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(Supervisor.class);

    private final Topology topology;
    private final RunFolder runFolder;
    private final Installation installation;
    private final Map<String, ManagedNode> started = new LinkedHashMap<>();
    private final NodeBook book;
    private final Set<String> scaledIn = new HashSet<>();
    private final Map<String, DatabaseCluster> clusters = new LinkedHashMap<>();
    private final NodeFactory nodes;
    private final RunFolderLock lock;
    private final AutoRestarts restarts;

    public Supervisor(Topology topology, RunFolder runFolder, Installation installation,
                      SupervisorListener listener) {
        this.topology = topology;
        this.runFolder = runFolder;
        this.installation = installation;
        this.book = new NodeBook(topology.name(), runFolder, listener);
        this.nodes = new NodeFactory(topology, runFolder, installation, started, clusters, scaledIn);
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
            ManagedNode node = nodes.create(spec);
            started.put(spec.name(), node);
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
            if (node instanceof PostgresClusterNode member) {
                registerAddedMembers(member);
            }
            if (node instanceof RedisClusterNode redis) {
                Map<String, String> roles = redis.roles();
                redis.members().forEach(member -> {
                    started.put(member.spec().name(), member);
                    update(member, NodeStatus.READY, roles.get(member.spec().name()));
                });
            }
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
        Map<String, String> redisRoles = new HashMap<>();
        for (ManagedNode node : started.values()) {
            NodeState state = book.get(node.spec().name());
            if (node instanceof PostgresClusterNode member) {
                refreshMember(member, state);
                continue;
            }
            if (node instanceof RedisClusterNode redis && state.status() == NodeStatus.READY) {
                redisRoles.putAll(redis.roles());
            }
            OsProcess process = node.process();
            // A node with no process of ours (an external database, a whole Redis Cluster) is not watched here.
            if (state.status() == NodeStatus.READY && state.pid() > 0 && (process == null || !process.isAlive())) {
                restarts.exited(node, node.exitCause());
            }
            String role = redisRoles.get(node.spec().name());
            if (node instanceof RedisMemberNode && book.get(node.spec().name()).status() == NodeStatus.READY
                && role != null && !role.equals(state.detail())) {
                update(node, NodeStatus.READY, role);
            }
        }
        restarts.startDue(started);
    }

    /**
     * Leaves {@code name} down the next time it exits, until {@link #restart} brings it back: a fault
     * drill that needs a node to stay dead says so first.
     */
    public synchronized String hold(String name) {
        if (!started.containsKey(name)) {
            throw new IllegalArgumentException("no node '" + name + "' runs here (nodes: "
                                               + String.join(", ", started.keySet()) + ')');
        }
        restarts.hold(name);
        return name + " will stay down when it exits, until `millions chaos restart " + name + '`';
    }

    /**
     * A replicated database's member is watched by its failover manager, not here: this only records
     * its role and its process, which changes when the manager rebuilds it.
     */
    private void refreshMember(PostgresClusterNode member, NodeState state) {
        if (state.status() != NodeStatus.READY) {
            return;
        }
        OsProcess process = member.process();
        String detail = member.roleDetail();
        long pid = process == null ? -1 : process.pid();
        if (pid != state.pid() || !detail.equals(state.detail())) {
            update(member, NodeStatus.READY, detail);
        }
    }

    /**
     * Members a replicated database was given at run time (remembered in its state) are nodes too, so
     * that status, chaos and the drill see them; they run once their cluster does.
     */
    private void registerAddedMembers(PostgresClusterNode member) {
        for (String name : member.cluster().cluster().nodeNames()) {
            if (!started.containsKey(name)) {
                PostgresClusterNode added = new PostgresClusterNode(nodes.replicaSpec(member.cluster(), name, true),
                                                                    member.cluster(), runFolder);
                started.put(name, added);
                update(added, NodeStatus.READY, "added at run time");
            }
        }
    }

    /**
     * Adds a replica to the replicated database while it runs: cloned from the primary, then counted
     * in the quorum (unless asynchronous). Clients learn of it from the cluster's nodes file.
     *
     * @return a line saying what happened
     */
    public synchronized String addReplica(boolean synchronous) {
        DatabaseCluster database = onlyDatabase();
        String name = nextName("db-");
        PostgresClusterNode node = new PostgresClusterNode(nodes.replicaSpec(database, name, synchronous), database,
                                                           runFolder);
        long startNanos = System.nanoTime();
        database.cluster().addReplica(name, runFolder.dataDirectory(name), runFolder.logFile(name), 0, synchronous);
        started.put(name, node);
        update(node, NodeStatus.READY, "added at run time, streaming in "
                                       + (System.nanoTime() - startNanos) / 1_000_000 + " ms");
        return name + " added as a" + (synchronous ? " synchronous" : "n asynchronous") + " replica of "
               + database.cluster().topology().primary() + " in " + (System.nanoTime() - startNanos) / 1_000_000
               + " ms";
    }

    /** Takes a replica out of the replicated database and stops it; its data folder is kept. */
    public synchronized String removeReplica(String name) {
        DatabaseCluster database = onlyDatabase();
        if (!(started.get(name) instanceof PostgresClusterNode)) {
            throw new IllegalArgumentException("'" + name + "' is not a member of the replicated database "
                                               + database.cluster().nodeNames());
        }
        database.cluster().removeReplica(name);
        started.remove(name);
        book.remove(name);
        restarts.forget(name);
        return name + " removed and stopped; the database now runs on " + database.cluster().nodeNames();
    }

    private DatabaseCluster onlyDatabase() {
        if (clusters.isEmpty()) {
            throw new IllegalArgumentException("topology " + topology.name() + " has no replicated database "
                                               + "(try the replicated preset)");
        }
        return clusters.values().iterator().next();
    }

    /** Prometheus text: each replicated database's failovers, epoch, and each member's role and lag. */
    public String metrics() {
        List<DatabaseCluster> databases;
        List<RedisClusterNode> caches;
        synchronized (this) {
            databases = List.copyOf(clusters.values());
            caches = started.values().stream().filter(RedisClusterNode.class::isInstance)
                            .map(RedisClusterNode.class::cast).toList();
        }
        return SupervisorMetrics.render(databases, caches);
    }

    /**
     * A planned change of primary in the replicated database: the primary shuts down cleanly, the most
     * advanced synchronous replica takes over, the old primary is re-cloned as a replica.
     *
     * @return a line saying what happened
     */
    public synchronized String switchover() {
        DatabaseCluster database = onlyDatabase();
        String before = database.cluster().topology().primary();
        long startNanos = System.nanoTime();
        String after = database.cluster().switchover().primary();
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
        if (node == null) {
            throw new IllegalArgumentException("no node '" + name + "' runs here (nodes: "
                                               + String.join(", ", started.keySet()) + ')');
        }
        if (node instanceof PostgresClusterNode member) {
            member.rebuild();
            return book.get(name).with(NodeStatus.READY, "being re-cloned from the primary");
        }
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
            stopNodes();
        } finally {
            lock.release();
        }
    }

    private void stopNodes() {
        List<ManagedNode> reverse = new ArrayList<>(started.values());
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
     * Runs {@code count} web nodes behind the load balancer: new ones are copies of the first web node,
     * started and then added to the balancer; surplus ones (the newest first) are drained on the
     * balancer, so requests in flight finish, and only then stopped.
     */
    public synchronized List<NodeState> scaleWeb(int count) {
        if (count < 1 || count > 16) {
            throw new IllegalArgumentException("web=" + count + " (expected: 1..16)");
        }
        LbNode balancer = started.values().stream().filter(LbNode.class::isInstance).map(LbNode.class::cast)
                                 .findFirst().orElseThrow(() -> new IllegalArgumentException(
                                         "scaling needs a load balancer in the topology; " + topology.name()
                                         + " has none (try the lb preset)"));
        List<WebNode> webs = webNodes();
        while (webs.size() < count) {
            WebNode template = webs.get(0);
            NodeSpec spec = template.spec().copy(nextName("web-"), 0);
            WebNode node = (WebNode) nodes.create(spec);
            started.put(spec.name(), node);
            update(node, NodeStatus.STARTING, "scale up");
            long startNanos = System.nanoTime();
            try {
                node.start();
            } catch (RuntimeException e) {
                update(node, NodeStatus.FAILED, "scale up failed: " + e.getMessage());
                started.remove(spec.name());
                throw e;
            }
            scaledIn.add(spec.name());
            balancer.addBackend(node);
            update(node, NodeStatus.READY, "added to " + balancer.spec().name() + ", ready in "
                                           + (System.nanoTime() - startNanos) / 1_000_000 + " ms");
            webs.add(node);
        }
        while (webs.size() > count) {
            WebNode node = webs.remove(webs.size() - 1);
            update(node, NodeStatus.STOPPING, "draining on " + balancer.spec().name());
            balancer.drainBackend(node.spec().name());
            node.stop();
            started.remove(node.spec().name());
            book.remove(node.spec().name());
            restarts.forget(node.spec().name());
            scaledIn.remove(node.spec().name());
            logger.info("node {} drained and stopped (scale down)", node.spec().name());
        }
        return nodes();
    }

    private List<WebNode> webNodes() {
        return new ArrayList<>(started.values().stream().filter(WebNode.class::isInstance).map(WebNode.class::cast)
                                      .filter(web -> book.get(web.spec().name()).status() == NodeStatus.READY)
                                      .toList());
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
