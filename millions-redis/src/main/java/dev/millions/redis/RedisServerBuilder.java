package dev.millions.redis;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/** Builds a {@link RedisServer}; checked once, at {@link #build()}. */
public final class RedisServerBuilder {

    /** Redis 6.2's eviction policies. */
    public static final Set<String> EVICTION_POLICIES = Set.of("noeviction", "allkeys-lru", "allkeys-lfu", "allkeys-random",
                                                        "volatile-lru", "volatile-lfu", "volatile-random",
                                                        "volatile-ttl");

    private Path dataDirectory;
    private Path logFile;
    private Path binary;
    private String host = "127.0.0.1";
    private int port;
    private Persistence persistence = Persistence.RDB_AOF;
    private long maxMemoryBytes;
    private String evictionPolicy = "allkeys-lru";
    private Duration clusterNodeTimeout;
    private Duration startTimeout = Duration.ofSeconds(60);

    RedisServerBuilder() {}

    /** Its own folder: data files, and {@code nodes.conf} in a cluster. Created when missing. */
    public RedisServerBuilder dataDirectory(Path dataDirectory) {
        this.dataDirectory = requireNonNull(dataDirectory, "dataDirectory").toAbsolutePath().normalize();
        return this;
    }

    /** By default {@code <dataDirectory>.log}. */
    public RedisServerBuilder logFile(Path logFile) {
        this.logFile = requireNonNull(logFile, "logFile").toAbsolutePath().normalize();
        return this;
    }

    /** The {@code redis-server} to run; by default the embedded one ({@link RedisBinary#embedded()}). */
    public RedisServerBuilder binary(Path binary) {
        this.binary = requireNonNull(binary, "binary");
        return this;
    }

    public RedisServerBuilder host(String host) {
        this.host = requireNonNull(host, "host");
        return this;
    }

    /**
     * The TCP port, or 0 for a free one, chosen on first start and remembered in the data folder.
     * Cluster nodes also use port + 10000.
     */
    public RedisServerBuilder port(int port) {
        checkArgument(port >= 0 && port <= 55535, "port: %s (expected: 0..55535, the cluster bus uses port + 10000)",
                      port);
        this.port = port;
        return this;
    }

    public RedisServerBuilder persistence(Persistence persistence) {
        this.persistence = requireNonNull(persistence, "persistence");
        return this;
    }

    /**
     * The memory for data, 0 for no limit, and what to evict at the limit ({@code allkeys-lru},
     * {@code allkeys-lfu}, {@code volatile-ttl}, ...).
     */
    public RedisServerBuilder maxMemory(long bytes, String evictionPolicy) {
        checkArgument(bytes == 0 || bytes >= 1024 * 1024, "maxMemory: %s (expected: 0 or >= 1 MiB)", bytes);
        checkArgument(EVICTION_POLICIES.contains(requireNonNull(evictionPolicy, "evictionPolicy")),
                      "evictionPolicy: %s (expected: one of %s)", evictionPolicy, EVICTION_POLICIES);
        this.maxMemoryBytes = bytes;
        this.evictionPolicy = evictionPolicy;
        return this;
    }

    /** Runs the node in cluster mode; the timeout decides how soon a dead master is replaced. */
    public RedisServerBuilder cluster(Duration nodeTimeout) {
        checkArgument(nodeTimeout.toMillis() >= 100, "nodeTimeout: %s (expected: >= 100 ms)", nodeTimeout);
        this.clusterNodeTimeout = nodeTimeout;
        return this;
    }

    public RedisServerBuilder startTimeout(Duration startTimeout) {
        checkArgument(startTimeout.toMillis() > 0, "startTimeout: %s (expected: > 0)", startTimeout);
        this.startTimeout = startTimeout;
        return this;
    }

    public RedisServer build() {
        if (dataDirectory == null) {
            throw new IllegalStateException("dataDirectory is required");
        }
        Path log = logFile != null ? logFile : dataDirectory.resolveSibling(dataDirectory.getFileName() + ".log");
        return new LaunchedRedisServer(new Spec(dataDirectory, log, binary, host, port, persistence, maxMemoryBytes,
                                                evictionPolicy, clusterNodeTimeout, startTimeout));
    }

    static void checkArgument(boolean expression, String template, Object... args) {
        if (!expression) {
            throw new IllegalArgumentException(String.format(template, args));
        }
    }

    /** What the builder checked, handed to the server as one value. */
    record Spec(Path dataDirectory, Path logFile, Path binary, String host, int port, Persistence persistence,
                long maxMemoryBytes, String evictionPolicy, Duration clusterNodeTimeout, Duration startTimeout) {}
}
