package dev.millions.ops.role.kafka;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.millions.kafka.KafkaCluster;
import dev.millions.kafka.KafkaNode;
import dev.millions.ops.node.Capabilities;
import dev.millions.ops.node.ClusterMember;
import dev.millions.ops.node.Installation;
import dev.millions.ops.node.ManagedNode;
import dev.millions.ops.node.NodeStartException;
import dev.millions.ops.node.OsProcess;
import dev.millions.ops.node.QueueAccess;
import dev.millions.ops.node.RunFolder;
import dev.millions.ops.topology.NodeSpec;
import dev.millions.ops.topology.RoleSettings;

/**
 * A kafka node of the topology: a KRaft cluster of several broker-and-controller JVMs, run from the
 * broker's jars that the build copies to {@code millions-kafka-server/target/lib}. Its members are nodes
 * of their own ({@link ClusterMember}: {@code queue-1}, {@code queue-2}, ...), so that status shows
 * each one and chaos can kill one; the cluster moves a dead broker's leaderships without the supervisor.
 * A member started again keeps its ports and data folder, so it rejoins the quorum and catches its
 * replicas up from the leaders.
 */
final class KafkaClusterNode implements ManagedNode, QueueAccess {

    private final NodeSpec spec;
    private final KafkaCluster cluster;
    private final List<ManagedNode> members = new ArrayList<>();

    KafkaClusterNode(NodeSpec spec, KafkaSettings settings, RunFolder runFolder, Installation installation) {
        this.spec = spec;
        this.cluster = KafkaCluster.builder().nodes(settings.nodes()).namePrefix(spec.name() + '-').host(spec.host())
                                   .folders(runFolder.dataDirectory(spec.name()), runFolder.logFile(spec.name()).getParent())
                                   .classpath(installation.kafkaClasspath()).java(installation.java())
                                   .jvmOptions(installation.jvmOptions())
                                   .heapMegabytes(settings.heapMegabytes()).sessionTimeout(settings.sessionTimeout())
                                   .metricsAgent(installation.kafkaMetricsAgent()).build();
    }

    @Override
    public NodeSpec spec() {
        return spec;
    }

    @Override
    public synchronized void start() {
        NodeStartException.during(log(), cluster::start);
    }

    @Override
    public synchronized void stop() {
        cluster.stop();
    }

    @Override
    public Capabilities capabilities() {
        return Capabilities.builder().add(QueueAccess.class, this).build();
    }

    @Override
    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** One node per broker, named after the cluster: {@code queue-1} .. {@code queue-3}. */
    @Override
    public synchronized List<ManagedNode> members() {
        if (members.isEmpty()) {
            for (KafkaNode node : cluster.nodes()) {
                NodeSpec member = spec.sibling(spec.name() + '-' + node.id(), RoleSettings.none());
                members.add(new ClusterMember(member, node::start, node::stop, node::pid, node.host() + ':' + node.port(),
                                              node.logFile()));
            }
        }
        return List.copyOf(members);
    }

    /** Whether the cluster has each member's broker registered now, by member name; empty when none answers. */
    @Override
    public Map<String, String> details() {
        List<Integer> registered = cluster.registeredBrokers();
        if (registered.isEmpty()) {
            return Map.of();
        }
        Map<String, String> details = new LinkedHashMap<>();
        for (KafkaNode node : cluster.nodes()) {
            details.put(spec.name() + '-' + node.id(), registered.contains(node.id()) ? "broker " + node.id() + ", registered"
                                                                                      : "broker " + node.id() + ", not registered");
        }
        return details;
    }

    @Override
    public OsProcess process() {
        return null;
    }

    /** Every broker as {@code host:port}: what a client bootstraps from. */
    @Override
    public String address() {
        return bootstrapServers();
    }

    @Override
    public String url() {
        return null;
    }

    @Override
    public Path log() {
        return cluster.nodes().getFirst().logFile();
    }
}
