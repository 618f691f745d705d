package dev.millions.redis;

import static dev.millions.redis.RedisServerBuilder.checkArgument;
import static java.util.Objects.requireNonNull;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Builds a {@link RedisCluster}; checked once, at {@link #build()}. */
public final class RedisClusterBuilder {

    private int masters = 3;
    private int replicasPerMaster = 1;
    private String namePrefix = "redis-";
    private Path dataRoot;
    private Path logRoot;
    private Path binary;
    private String host = "127.0.0.1";
    private Duration nodeTimeout = Duration.ofMillis(1_000);
    private Persistence persistence = Persistence.RDB_AOF;
    private long maxMemoryBytes;
    private String evictionPolicy = "allkeys-lru";

    RedisClusterBuilder() {}

    public RedisClusterBuilder masters(int masters) {
        checkArgument(masters >= 3 && masters <= 16, "masters: %s (expected: 3..16, a cluster needs 3 to vote)",
                      masters);
        this.masters = masters;
        return this;
    }

    public RedisClusterBuilder replicasPerMaster(int replicasPerMaster) {
        checkArgument(replicasPerMaster >= 0 && replicasPerMaster <= 3, "replicasPerMaster: %s (expected: 0..3)",
                      replicasPerMaster);
        this.replicasPerMaster = replicasPerMaster;
        return this;
    }

    /** Node names are the prefix and a number from 1: {@code redis-1} .. {@code redis-6}. */
    public RedisClusterBuilder namePrefix(String namePrefix) {
        this.namePrefix = requireNonNull(namePrefix, "namePrefix");
        return this;
    }

    /** Each node's data folder is {@code <dataRoot>/<name>}; its log {@code <logRoot>/<name>.log}. */
    public RedisClusterBuilder folders(Path dataRoot, Path logRoot) {
        this.dataRoot = requireNonNull(dataRoot, "dataRoot");
        this.logRoot = requireNonNull(logRoot, "logRoot");
        return this;
    }

    public RedisClusterBuilder binary(Path binary) {
        this.binary = requireNonNull(binary, "binary");
        return this;
    }

    public RedisClusterBuilder host(String host) {
        this.host = requireNonNull(host, "host");
        return this;
    }

    /**
     * How long a master may be silent before its replica takes over. Redis's default, 15 s, failed over
     * in 17.8 s on this kind of machine; 1 s did in 2.7 s.
     */
    public RedisClusterBuilder nodeTimeout(Duration nodeTimeout) {
        checkArgument(nodeTimeout.toMillis() >= 100, "nodeTimeout: %s (expected: >= 100 ms)", nodeTimeout);
        this.nodeTimeout = nodeTimeout;
        return this;
    }

    public RedisClusterBuilder persistence(Persistence persistence) {
        this.persistence = requireNonNull(persistence, "persistence");
        return this;
    }

    /**
     * The memory for data per node, and the eviction policy. Checked against the machine: every node
     * may fork for a snapshot or an AOF rewrite, and a fork can need as much again (copy on write), so
     * all nodes together get at most half of the physical memory.
     */
    public RedisClusterBuilder maxMemory(long bytesPerNode, String evictionPolicy) {
        checkArgument(RedisServerBuilder.EVICTION_POLICIES.contains(requireNonNull(evictionPolicy, "evictionPolicy")),
                      "evictionPolicy: %s (expected: one of %s)", evictionPolicy,
                      RedisServerBuilder.EVICTION_POLICIES);
        this.maxMemoryBytes = bytesPerNode;
        this.evictionPolicy = evictionPolicy;
        return this;
    }

    public RedisCluster build() {
        if (dataRoot == null) {
            throw new IllegalStateException("folders(dataRoot, logRoot) is required");
        }
        int nodes = masters * (1 + replicasPerMaster);
        long physical = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
        checkArgument(maxMemoryBytes == 0 || maxMemoryBytes * nodes * 2 <= physical,
                      "maxMemory: %s bytes x %s nodes (expected: at most half of the %s bytes of memory, leaving "
                      + "room for the fork of a snapshot or AOF rewrite)", maxMemoryBytes, nodes, physical);
        List<RedisServer> servers = new ArrayList<>();
        for (int i = 1; i <= nodes; i++) {
            String name = namePrefix + i;
            RedisServerBuilder server = RedisServer.builder().dataDirectory(dataRoot.resolve(name))
                                                   .logFile(logRoot.resolve(name + ".log")).host(host)
                                                   .persistence(persistence).cluster(nodeTimeout);
            if (maxMemoryBytes > 0) {
                server.maxMemory(maxMemoryBytes, evictionPolicy);
            }
            if (binary != null) {
                server.binary(binary);
            }
            servers.add(server.build());
        }
        return new LaunchedRedisCluster(servers, masters, replicasPerMaster);
    }
}
