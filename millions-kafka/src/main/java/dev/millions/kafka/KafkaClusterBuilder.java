package dev.millions.kafka;

import static java.util.Objects.requireNonNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/** Builds a {@link KafkaCluster}; checked once, at {@link #build()}. */
public final class KafkaClusterBuilder {

    private int nodes = 3;
    private String namePrefix = "kafka-";
    private String host = "127.0.0.1";
    private @Nullable Path dataRoot;
    private @Nullable Path logRoot;
    private @Nullable Path classpath;
    private Path java = Path.of(ProcessHandle.current().info().command().orElse("java"));
    private int heapMegabytes = 512;
    private List<String> jvmOptions = List.of();
    private Duration sessionTimeout = Duration.ofMillis(3_000);
    private @Nullable Path metricsAgent;

    KafkaClusterBuilder() {}

    /** How many broker-and-controller nodes: an odd number, so that a majority of controllers can vote. */
    public KafkaClusterBuilder nodes(int nodes) {
        checkArgument(nodes >= 1 && nodes <= 9 && nodes % 2 == 1, "nodes: %s (expected: 1, 3, 5, 7 or 9)", nodes);
        this.nodes = nodes;
        return this;
    }

    /** Node names are the prefix and the node id: {@code kafka-1} .. {@code kafka-3}. */
    public KafkaClusterBuilder namePrefix(String namePrefix) {
        this.namePrefix = requireNonNull(namePrefix, "namePrefix");
        return this;
    }

    public KafkaClusterBuilder host(String host) {
        this.host = requireNonNull(host, "host");
        return this;
    }

    /** Each node's data folder is {@code <dataRoot>/<name>}; its log {@code <logRoot>/<name>.log}. */
    public KafkaClusterBuilder folders(Path dataRoot, Path logRoot) {
        this.dataRoot = requireNonNull(dataRoot, "dataRoot");
        this.logRoot = requireNonNull(logRoot, "logRoot");
        return this;
    }

    /** The folder of the broker's jars ({@code millions-kafka-server/target/lib}). */
    public KafkaClusterBuilder classpath(Path folder) {
        this.classpath = requireNonNull(folder, "folder");
        return this;
    }

    /**
     * Prometheus' JMX exporter agent ({@code millions-kafka-server/target/agent/jmx_prometheus_javaagent.jar}):
     * each node then serves its MBeans as Prometheus text on a port of its own ({@link KafkaNode#metricsPort()}).
     * Without it the nodes have no metrics endpoint.
     */
    public KafkaClusterBuilder metricsAgent(Path jar) {
        checkArgument(Files.isRegularFile(jar), "metricsAgent: %s is not a file (expected: the JMX exporter's agent jar)",
                      jar.toAbsolutePath());
        this.metricsAgent = jar;
        return this;
    }

    /** The {@code java} that runs the nodes; by default this JVM's own. */
    public KafkaClusterBuilder java(Path java) {
        this.java = requireNonNull(java, "java");
        return this;
    }

    /** JVM options every node gets after the launcher's own (a later option wins): none by default. */
    public KafkaClusterBuilder jvmOptions(List<String> jvmOptions) {
        this.jvmOptions = List.copyOf(jvmOptions);
        return this;
    }

    public KafkaClusterBuilder heapMegabytes(int heapMegabytes) {
        checkArgument(heapMegabytes >= 128, "heapMegabytes: %s (expected: >= 128)", heapMegabytes);
        this.heapMegabytes = heapMegabytes;
        return this;
    }

    /**
     * How long a broker may miss its heartbeats to the controller before its partitions move to other
     * leaders: {@code broker.session.timeout.ms}. Kafka's default, 9 s, stalls acknowledgements for about
     * 8.5 s when a leader dies; 3 s (the default here, with heartbeats every 500 ms) for about 3 s.
     */
    public KafkaClusterBuilder sessionTimeout(Duration sessionTimeout) {
        checkArgument(sessionTimeout.toMillis() >= 1_000, "sessionTimeout: %s (expected: >= 1 s)", sessionTimeout);
        this.sessionTimeout = sessionTimeout;
        return this;
    }

    public KafkaCluster build() {
        Path data = required(dataRoot, "folders: not set (expected: a data root and a log root)");
        Path logs = required(logRoot, "folders: not set (expected: a data root and a log root)");
        Path jars = required(classpath, "classpath: not set (expected: the folder of the broker's jars)");
        checkArgument(Files.isDirectory(jars), "classpath: %s is not a folder (expected: the broker's jars, which "
                                               + "the build copies to millions-kafka-server/target/lib)",
                      jars.toAbsolutePath());
        List<String> names = new ArrayList<>();
        for (int id = 1; id <= nodes; id++) {
            names.add(namePrefix + id);
        }
        return new LaunchedKafkaCluster(names, host, data, logs, jars, java, jvmOptions,
                                        heapMegabytes, sessionTimeout, metricsAgent);
    }

    private static <T> T required(@Nullable T value, String message) {
        if (value == null) {
            throw new IllegalArgumentException(message);
        }
        return value;
    }

    static void checkArgument(boolean condition, String message, Object... arguments) {
        if (!condition) {
            throw new IllegalArgumentException(String.format(message, arguments));
        }
    }
}
