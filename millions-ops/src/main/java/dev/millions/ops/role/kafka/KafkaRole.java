package dev.millions.ops.role.kafka;

import java.net.URI;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

import dev.millions.kafka.KafkaCluster;
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
        return Set.of("settings", "external");
    }

    @Override
    public KafkaSettings parse(NodeFields fields) {
        if (fields.port() != 0) {
            throw new TopologyException(fields.path() + ".port: " + fields.port() + " (a kafka node is a cluster "
                                        + "whose members take free ports: leave it auto)");
        }
        Optional<String> external = fields.mapping("external", Set.of("bootstrap"), "a mapping with bootstrap (host:port,...)")
                                          .map(mapping -> {
                                              String bootstrap = mapping.text("bootstrap").strip();
                                              if (!bootstrap.matches("[^,:\\s]+:[0-9]{1,5}(,[^,:\\s]+:[0-9]{1,5})*")) {
                                                  throw new TopologyException(mapping.path() + ".bootstrap: " + bootstrap
                                                                              + " (expected: host:port,host:port,...)");
                                              }
                                              return bootstrap;
                                          });
        if (external.isPresent() && !fields.map("settings").isEmpty()) {
            throw new TopologyException(fields.path() + ".settings: an external kafka is not launched, so it takes no "
                                        + "settings (found: " + String.join(", ", fields.map("settings").keySet()) + ')');
        }
        return KafkaSettings.parse(fields.map("settings"), fields.path() + ".settings", external);
    }

    @Override
    public ManagedNode create(NodeSpec spec, NodeContext context) {
        KafkaSettings settings = (KafkaSettings) spec.settings();
        return settings.external().<ManagedNode>map(bootstrap -> new ExternalKafkaNode(spec, bootstrap, context.runFolder()))
                       .orElseGet(() -> new KafkaClusterNode(spec, settings, context.runFolder(), context.installation()));
    }

    /**
     * A member's own metrics, served by the JMX exporter agent on the port its cluster chose for it; the
     * cluster node has none (its members do).
     */
    @Override
    public Optional<URI> metrics(String name, String url, RunFolder runFolder) {
        int dash = name.lastIndexOf('-');
        return dash <= 0 ? Optional.empty()
                         : KafkaCluster.metricsUrl(runFolder.dataDirectory(name.substring(0, dash)), name);
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
