package dev.millions.ops.role.kafka;

import java.nio.file.Path;

import dev.millions.kafka.KafkaNode;
import dev.millions.ops.node.ManagedNode;
import dev.millions.ops.node.NodeStartException;
import dev.millions.ops.node.OsProcess;
import dev.millions.ops.topology.NodeSpec;

/**
 * One broker-and-controller process of a Kafka cluster. Restarted (after a kill, say), it keeps its
 * ports and data folder, so it rejoins the quorum and catches its replicas up from the leaders.
 */
final class KafkaMemberNode implements ManagedNode {

    private final NodeSpec spec;
    private final KafkaNode node;

    KafkaMemberNode(NodeSpec spec, KafkaNode node) {
        this.spec = spec;
        this.node = node;
    }

    @Override
    public NodeSpec spec() {
        return spec;
    }

    @Override
    public void start() {
        NodeStartException.during(log(), node::start);
    }

    @Override
    public void stop() {
        node.stop();
    }

    @Override
    public OsProcess process() {
        return OsProcess.ofPid(node.pid());
    }

    @Override
    public String address() {
        return node.host() + ':' + node.port();
    }

    @Override
    public String url() {
        return null;
    }

    @Override
    public Path log() {
        return node.logFile();
    }
}
