package dev.millions.ops.supervisor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;

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
final class DatabaseCluster implements ClusterListener {

    private static final Logger logger = LoggerFactory.getLogger(DatabaseCluster.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final PostgresCluster cluster;
    private final Path topologyFile;
    private volatile boolean started;

    DatabaseCluster(String name, List<NodeSpec> members, RunFolder runFolder) {
        this.name = name;
        this.topologyFile = runFolder.clusterFile(name);
        PostgresClusterBuilder builder = PostgresCluster.builder()
                                                        .listenAddress(members.getFirst().host())
                                                        .stateFile(runFolder.dataDirectory(name + ".cluster.state"))
                                                        .listener(this);
        for (NodeSpec member : members) {
            builder.node(member.name(), runFolder.dataDirectory(member.name()), runFolder.logFile(member.name()),
                         member.port(), member.replicaOf().map(NodeSpec.ReplicaOf::synchronous).orElse(true));
        }
        members.getFirst().settings().forEach(builder::setting);
        this.cluster = builder.build();
    }

    String name() {
        return name;
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

    /** Every member's host:port, for clients that find the primary themselves. */
    List<String> addresses() {
        return cluster.topology().members().stream().map(ClusterTopology.Member::address).toList();
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
            Path temporary = topologyFile.resolveSibling(topologyFile.getFileName() + ".tmp");
            JSON.writerWithDefaultPrettyPrinter().writeValue(temporary.toFile(), document);
            Files.move(temporary, topologyFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            logger.error("cannot publish the topology of {} to {}: {}", name, topologyFile, e.toString());
        }
        logger.info("database {} epoch {}: primary {}, {}", name, topology.epoch(), topology.primary(),
                    topology.members().stream().map(m -> m.name() + '=' + m.role().id()).toList());
    }

    @Override
    public void failedOver(Failover failover) {
        logger.warn("database {} failed over from {} to {} ({}): detected after {} ms, promoted in {} ms, epoch {}",
                    name, failover.from(), failover.to(), failover.reason(), failover.detectionMillis(),
                    failover.promotionMillis(), failover.epoch());
    }

    @Override
    public void nodeEvent(String node, String message) {
        logger.info("database {}: {}: {}", name, node, message);
    }
}
