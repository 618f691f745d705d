package dev.millions.ops.role.kafka;

import java.util.Arrays;
import java.util.Set;

import dev.millions.ops.node.ManagedNode;
import dev.millions.ops.node.NodeContext;
import dev.millions.ops.node.Probes;
import dev.millions.ops.node.RoleDriver;
import dev.millions.ops.node.RunFolder;
import dev.millions.ops.topology.NodeFields;
import dev.millions.ops.topology.NodeSpec;
import dev.millions.ops.topology.TopologyException;

/**
 * A Kafka cluster in KRaft mode: one node of the topology, several broker-and-controller JVMs, each a
 * member node of its own ({@code queue-1}, {@code queue-2}, ...) once it runs.
 */
public final class KafkaRole implements RoleDriver {

    @Override
    public String id() {
        return "kafka";
    }

    @Override
    public Set<String> fields() {
        return Set.of("settings");
    }

    @Override
    public KafkaSettings parse(NodeFields fields) {
        if (fields.port() != 0) {
            throw new TopologyException(fields.path() + ".port: " + fields.port() + " (a kafka node is a cluster "
                                        + "whose members take free ports: leave it auto)");
        }
        return KafkaSettings.parse(fields.map("settings"), fields.path() + ".settings");
    }

    @Override
    public ManagedNode create(NodeSpec spec, NodeContext context) {
        return new KafkaClusterNode(spec, (KafkaSettings) spec.settings(), context.runFolder(), context.installation());
    }

    /** A member accepts connections; a whole cluster (its address lists every broker) says how many do. */
    @Override
    public String probe(String name, String address, String url, RunFolder runFolder) {
        String[] brokers = address.split(",");
        if (brokers.length == 1) {
            return Probes.tcp(brokers[0]);
        }
        long answering = Arrays.stream(brokers).filter(broker -> Probes.tcp(broker).equals("listening")).count();
        return answering + " of " + brokers.length + " brokers accept connections";
    }
}
