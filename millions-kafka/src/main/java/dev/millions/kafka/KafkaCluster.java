package dev.millions.kafka;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A Kafka cluster in KRaft mode: every node is a broker and a controller, each its own JVM run from
 * the Kafka jars of Maven Central ({@code millions-kafka-server}), with a static controller quorum. A
 * new cluster is formatted once (its id and ports are kept in its data folder), so a cluster started
 * again over its folders keeps its topics and offsets.
 *
 * <pre>{@code
 * KafkaCluster queue = KafkaCluster.builder().nodes(3).folders(Path.of("run/data/queue"), Path.of("run/logs"))
 *         .classpath(Path.of("millions-kafka-server/target/lib")).build();
 * queue.start();                   // 3 brokers registered
 * queue.createTopic("posts", 6);   // replication factor 3, min.insync.replicas 2
 * queue.bootstrapServers();        // 127.0.0.1:port,...
 * }</pre>
 */
public interface KafkaCluster extends AutoCloseable {

    /**
     * Where the node {@code name} of the cluster whose data lies in {@code dataRoot} serves its Prometheus
     * metrics; empty before its first start. Another process (the supervisor) asks.
     */
    static Optional<URI> metricsUrl(Path dataRoot, String name) {
        return LaunchedKafkaCluster.metricsUrl(dataRoot, name);
    }

    static KafkaClusterBuilder builder() {
        return new KafkaClusterBuilder();
    }

    /** Formats a new cluster's storage, starts every node, and waits until every broker is registered. */
    void start();

    /** Stops every node (a controlled shutdown each); their data folders stay. */
    void stop();

    /** The nodes, by node id from 1. */
    List<KafkaNode> nodes();

    /** Every broker as {@code host:port}, comma-separated: what a client starts from. */
    String bootstrapServers();

    /**
     * Creates a topic unless it exists, replicated on every node up to three, and with
     * {@code min.insync.replicas} one less, so that an acknowledged write survives the loss of a node.
     */
    void createTopic(String name, int partitions);

    /** The brokers that the cluster has registered now, by node id; empty when no node answers. */
    List<Integer> registeredBrokers();

    @Override
    default void close() {
        stop();
    }
}
