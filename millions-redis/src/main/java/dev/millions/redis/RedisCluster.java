package dev.millions.redis;

import java.util.List;

/**
 * A Redis Cluster of masters and their replicas, each node a {@link RedisServer} with its own data
 * folder, formed by this process: config epochs, {@code MEET}, {@code ADDSLOTS}, then
 * {@code REPLICATE}. A cluster started again over its data folders is not formed again: each node
 * reads its {@code nodes.conf}.
 *
 * <pre>{@code
 * RedisCluster cache = RedisCluster.builder().masters(3).replicasPerMaster(1)
 *         .dataRoot(Path.of("run/data")).build();
 * cache.start();          // 6 nodes, 16384 slots, cluster_state:ok
 * cache.seeds();          // host:port of every node, for a cluster client
 * }</pre>
 */
public interface RedisCluster extends AutoCloseable {

    static RedisClusterBuilder builder() {
        return new RedisClusterBuilder();
    }

    /** Starts every node, forms the cluster when it is new, and waits until every node says it is ok. */
    void start();

    /** Stops every node; their data folders stay. */
    void stop();

    /** The nodes in the order they were configured: the masters first, then the replicas. */
    List<RedisServer> nodes();

    /** Every node as {@code host:port}. */
    List<String> seeds();

    /** Each node's own word on the cluster ({@code CLUSTER NODES} of the first node that answers). */
    String describe();

    @Override
    default void close() {
        stop();
    }
}
