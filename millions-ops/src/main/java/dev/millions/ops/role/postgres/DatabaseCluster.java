package dev.millions.ops.role.postgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.millions.ops.node.ManagedNode;
import dev.millions.ops.node.MetricFamilies;
import dev.millions.ops.node.MetricsSource;
import dev.millions.ops.node.Replicas;
import dev.millions.ops.node.RunFolder;
import dev.millions.ops.topology.NodeSpec;
import dev.millions.postgres.ClusterListener;
import dev.millions.postgres.ClusterTopology;
import dev.millions.postgres.PostgresCluster;
import dev.millions.postgres.PostgresClusterBuilder;

/**
 * A replicated database of the topology (a postgres node and those that are {@code replica-of} it),
 * run by one {@link PostgresCluster} whose failover manager lives in the supervisor. What the manager
 * decides is published to {@code <primary>-cluster.json} in the run folder and logged.
 */
final class DatabaseCluster implements ClusterListener, Replicas, MetricsSource {

    private static final Logger logger = LoggerFactory.getLogger(DatabaseCluster.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final List<NodeSpec> members;
    private final RunFolder runFolder;
    private final PostgresCluster cluster;
    private final Path topologyFile;
    private final Path nodesFile;
    private volatile boolean started;
    private final AtomicLong failovers = new AtomicLong();
    private volatile Failover lastFailover;

    DatabaseCluster(String name, List<NodeSpec> members, RunFolder runFolder) {
        this.name = name;
        this.members = List.copyOf(members);
        this.runFolder = runFolder;
        this.topologyFile = runFolder.clusterFile(name);
        this.nodesFile = runFolder.clusterNodesFile(name);
        PostgresClusterBuilder builder = PostgresCluster.builder()
                                                        .listenAddress(members.getFirst().host())
                                                        .stateFile(runFolder.dataDirectory(name + ".cluster.state"))
                                                        .listener(this);
        for (NodeSpec member : members) {
            boolean synchronous = ((PostgresSettings) member.settings()).replicaOf()
                                                                       .map(PostgresSettings.ReplicaOf::synchronous)
                                                                       .orElse(true);
            builder.node(member.name(), runFolder.dataDirectory(member.name()), runFolder.logFile(member.name()),
                         member.port(), synchronous);
        }
        ((PostgresSettings) members.getFirst().settings()).server().forEach(builder::setting);
        this.cluster = builder.build();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String primary() {
        return cluster.topology().primary();
    }

    @Override
    public List<String> members() {
        return cluster.nodeNames();
    }

    /** The nodes of members added at run time (remembered in the cluster's state), not in the topology. */
    List<ManagedNode> addedMembers() {
        List<String> inTopology = members.stream().map(NodeSpec::name).toList();
        return cluster.nodeNames().stream().filter(member -> !inTopology.contains(member))
                      .map(member -> (ManagedNode) new PostgresClusterNode(replicaSpec(member, true), this)).toList();
    }

    @Override
    public ManagedNode addReplica(String replica, boolean synchronous) {
        cluster.addReplica(replica, runFolder.dataDirectory(replica), runFolder.logFile(replica), 0, synchronous);
        return new PostgresClusterNode(replicaSpec(replica, synchronous), this);
    }

    @Override
    public void removeReplica(String replica) {
        if (!cluster.nodeNames().contains(replica)) {
            throw new IllegalArgumentException("'" + replica + "' is not a member of the replicated database "
                                               + cluster.nodeNames());
        }
        cluster.removeReplica(replica);
    }

    @Override
    public String switchover() {
        return cluster.switchover().primary();
    }

    /** The spec of a replica added at run time: the first member's, under its own name. */
    private NodeSpec replicaSpec(String replica, boolean synchronous) {
        NodeSpec first = members.getFirst();
        PostgresSettings settings = (PostgresSettings) first.settings();
        PostgresSettings.ReplicaOf replicaOf = new PostgresSettings.ReplicaOf(name, synchronous);
        return first.sibling(replica, new PostgresSettings(settings.server(), Optional.empty(), Optional.of(replicaOf)));
    }

    RunFolder runFolder() {
        return runFolder;
    }

    PostgresCluster cluster() {
        return cluster;
    }

    /** Starts every member the first time a member is started; later calls only check. */
    synchronized void start() {
        if (!started) {
            cluster.start();
            started = true;
        }
    }

    synchronized void stop() {
        if (started) {
            cluster.stop();
            started = false;
        }
    }

    @Override
    public void topologyChanged(ClusterTopology topology) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("epoch", topology.epoch());
        document.put("primary", topology.primary());
        document.put("members", topology.members().stream().map(member -> Map.of(
                "name", member.name(), "address", member.address(), "role", member.role().id(),
                "synchronous", member.synchronous())).toList());
        try {
            writeAtomically(topologyFile, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(document));
            writeAtomically(nodesFile, topology.members().stream().map(member -> member.address() + '\n')
                                               .collect(Collectors.joining()));
        } catch (IOException e) {
            logger.error("cannot publish the topology of {} to {}: {}", name, topologyFile, e.toString());
        }
        logger.info("database {} epoch {}: primary {}, {}", name, topology.epoch(), topology.primary(),
                    topology.members().stream().map(m -> m.name() + '=' + m.role().id()).toList());
    }

    /** Nodes file path for clients: {@code host:port} lines, rewritten when members come or go. */
    Path nodesFile() {
        return nodesFile;
    }

    private static void writeAtomically(Path file, String content) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(temporary, content);
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void failedOver(Failover failover) {
        failovers.incrementAndGet();
        lastFailover = failover;
        logger.warn("database {} failed over from {} to {} ({}): detected after {} ms, promoted in {} ms, epoch {}",
                    name, failover.from(), failover.to(), failover.reason(), failover.detectionMillis(),
                    failover.promotionMillis(), failover.epoch());
    }

    /** This database's failovers, epoch, and each member's role and lag. */
    @Override
    public void collect(MetricFamilies families) {
        ClusterTopology topology = cluster().topology();
        Failover last = lastFailover;
        families.counter("millions_db_failovers_total", "Failovers of a replicated database.", failovers.get(),
                         "cluster", name);
        families.gauge("millions_db_epoch", "The epoch of its topology, one more per change of primary.",
                       topology.epoch(), "cluster", name);
        if (last != null) {
            families.gauge("millions_db_last_failover_detection_ms", "From the last good probe to the decision.",
                           last.detectionMillis(), "cluster", name);
            families.gauge("millions_db_last_failover_promotion_ms", "From the decision to the new primary.",
                           last.promotionMillis(), "cluster", name);
        }
        for (ClusterTopology.Member member : topology.members()) {
            for (ClusterTopology.Role role : ClusterTopology.Role.values()) {
                families.gauge("millions_db_role", "1 for a member's role.", member.role() == role ? 1 : 0,
                               "cluster", name, "node", member.name(), "role", role.id());
            }
            if (member.role() == ClusterTopology.Role.REPLICA) {
                families.gauge("millions_db_replication_lag_bytes", "How far a replica's replay is behind.",
                               member.lagBytes(), "cluster", name, "node", member.name());
            }
        }
    }

    @Override
    public void nodeEvent(String node, String message) {
        logger.info("database {}: {}: {}", name, node, message);
    }
}
