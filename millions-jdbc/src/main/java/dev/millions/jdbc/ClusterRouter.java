package dev.millions.jdbc;

import java.util.List;

/**
 * Which database cluster holds a key's rows (a key being what the rows are partitioned by: the user
 * for a user's posts, follows and feed). {@link DatabaseClusters} turns the answer into a cluster's
 * {@link ReplicatedDataSource}. Today's topologies have one cluster, {@link #single}; a router that
 * spreads keys over several (consistent hashing) comes with sharding, behind this interface.
 */
public interface ClusterRouter {

    /** Every key on {@code cluster}: one primary with its replicas holds everything. */
    static ClusterRouter single(String cluster) {
        ReplicatedDataSourceBuilder.checkArgument(cluster != null && !cluster.isBlank(), "cluster: '%s' (expected: a name)",
                                       cluster);
        return new SingleClusterRouter(cluster);
    }

    /** The cluster that holds {@code key}'s rows: one of {@link #clusters()}. */
    String clusterFor(long key);

    /** Every cluster this router sends keys to, in a fixed order. */
    List<String> clusters();
}
