package dev.millions.postgres;

import java.nio.file.Path;
import java.util.List;

/**
 * A primary and its replicas launched from the embedded binaries, with a failover manager that
 * watches every node and heals the cluster: it promotes the most advanced synchronous replica when the
 * primary dies, fences and re-clones the old primary, and replaces dead replicas. See
 * {@code millions-postgres/FAILOVER.md} for its states, timeouts and guarantees.
 *
 * <pre>{@code
 * PostgresCluster cluster = PostgresCluster.builder()
 *         .node("db-1", Path.of("run/data/db-1"), null, 0, true)
 *         .node("db-2", Path.of("run/data/db-2"), null, 0, true)
 *         .node("db-3", Path.of("run/data/db-3"), null, 0, true)
 *         .build();
 * cluster.start();            // initdb db-1, clone the others, quorum commit, start the manager
 * cluster.topology();         // who is primary now
 * }</pre>
 */
public interface PostgresCluster extends AutoCloseable {

    static PostgresClusterBuilder builder() {
        return new PostgresClusterBuilder();
    }

    /** Starts every node, sets up replication, and starts the failover manager. */
    void start();

    /** Stops the manager first (so that stopping is not taken for failures), then the nodes. */
    void stop();

    ClusterTopology topology();

    /** The node of that name. */
    PostgresServer node(String name);

    List<String> nodeNames();

    /**
     * A planned change of primary: the primary shuts down cleanly, which sends all its WAL to the
     * replicas, the most advanced synchronous replica is promoted, and the old primary is re-cloned
     * as a replica.
     *
     * @return the topology after the switch
     */
    ClusterTopology switchover();

    /**
     * Adds a replica while the cluster runs: cloned from the primary, streaming, then (when
     * synchronous) counted in the quorum. It is remembered in the cluster's state, so a restart brings
     * it back.
     *
     * @param port its TCP port, 0 for a free one
     */
    ClusterTopology addReplica(String name, Path dataDirectory, Path logFile, int port, boolean synchronous);

    /**
     * Takes a replica out of the quorum, then stops it; its data folder is kept. The primary and the
     * last replica cannot be removed.
     */
    ClusterTopology removeReplica(String name);

    /** Re-clones a replica from the primary and starts it again. The primary cannot be rebuilt. */
    void rebuild(String name);

    @Override
    default void close() {
        stop();
    }
}
