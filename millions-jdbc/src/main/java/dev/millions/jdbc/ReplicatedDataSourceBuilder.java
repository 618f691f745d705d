package dev.millions.jdbc;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.millions.jdbc.ReplicatedDataSource.ReplicaChoice;
import org.jspecify.annotations.Nullable;

/** Builds a {@link ReplicatedDataSource}; validated once, at {@link #build()}. */
public final class ReplicatedDataSourceBuilder {

    private List<String> nodes = List.of();
    private @Nullable Path nodesFile;
    private String database = "millions";
    private @Nullable String username;
    private @Nullable String password;
    private int poolSize = 10;
    private long maxLagBytes = 16L * 1024 * 1024;
    private ReplicaChoice replicaChoice = ReplicaChoice.LEAST_LAG;
    private Duration probeInterval = Duration.ofMillis(100);
    private Duration failoverWait = Duration.ofSeconds(5);
    private String applicationName = "millions";

    ReplicatedDataSourceBuilder() {}

    /** Every node as {@code host:port}; which one is the primary is found by probing. */
    public ReplicatedDataSourceBuilder nodes(List<String> nodes) {
        this.nodes = List.copyOf(requireNonNull(nodes, "nodes"));
        return this;
    }

    /**
     * A file of {@code host:port} lines, one per node, read again whenever it changes: how a running
     * app learns of replicas added or removed. Takes the place of {@link #nodes(List)}.
     */
    public ReplicatedDataSourceBuilder nodesFile(Path nodesFile) {
        this.nodesFile = requireNonNull(nodesFile, "nodesFile");
        return this;
    }

    public ReplicatedDataSourceBuilder database(String database) {
        this.database = requireNonNull(database, "database");
        return this;
    }

    public ReplicatedDataSourceBuilder credentials(String username, String password) {
        this.username = requireNonNull(username, "username");
        this.password = requireNonNull(password, "password");
        return this;
    }

    /** Connections per node. */
    public ReplicatedDataSourceBuilder poolSize(int poolSize) {
        checkArgument(poolSize > 0, "poolSize: %s (expected: > 0)", poolSize);
        this.poolSize = poolSize;
        return this;
    }

    /** A replica further behind than this is left out of reads. */
    public ReplicatedDataSourceBuilder maxLagBytes(long maxLagBytes) {
        checkArgument(maxLagBytes >= 0, "maxLagBytes: %s (expected: >= 0)", maxLagBytes);
        this.maxLagBytes = maxLagBytes;
        return this;
    }

    public ReplicatedDataSourceBuilder replicaChoice(ReplicaChoice replicaChoice) {
        this.replicaChoice = requireNonNull(replicaChoice, "replicaChoice");
        return this;
    }

    public ReplicatedDataSourceBuilder probeInterval(Duration probeInterval) {
        checkArgument(probeInterval.toMillis() >= 10, "probeInterval: %s (expected: >= 10 ms)", probeInterval);
        this.probeInterval = probeInterval;
        return this;
    }

    /** How long a writer waits for a primary during a failover before it gets an error. */
    public ReplicatedDataSourceBuilder failoverWait(Duration failoverWait) {
        checkArgument(!failoverWait.isNegative(), "failoverWait: %s (expected: >= 0)", failoverWait);
        this.failoverWait = failoverWait;
        return this;
    }

    /** What the nodes show as the client's {@code application_name}. */
    public ReplicatedDataSourceBuilder applicationName(String applicationName) {
        this.applicationName = requireNonNull(applicationName, "applicationName");
        return this;
    }

    public ReplicatedDataSource build() {
        NodeAddresses addresses = nodesFile != null ? NodeAddresses.fromFile(nodesFile) : NodeAddresses.fixed(nodes);
        if (nodesFile == null) {
            checkArgument(!nodes.isEmpty(), "nodes: %s (expected: at least one host:port)", nodes);
            nodes.forEach(ReplicatedDataSourceBuilder::checkAddress);
        }
        if (username == null || password == null) {
            throw new IllegalStateException("credentials are required (credentials(username, password))");
        }
        return new RoutingDataSource(addresses, database, username, password, poolSize, maxLagBytes, replicaChoice,
                                     probeInterval, failoverWait, applicationName);
    }

    static void checkAddress(String node) {
        int colon = node.lastIndexOf(':');
        checkArgument(colon > 0 && node.substring(colon + 1).matches("[0-9]{1,5}"), "node: %s (expected: host:port)",
                      node);
    }

    static void checkArgument(boolean expression, String template, Object... args) {
        if (!expression) {
            throw new IllegalArgumentException(String.format(template, args));
        }
    }
}
