package dev.millions.jdbc;

import java.util.Map;

/**
 * The data tier as named clusters, each a {@link ReplicatedDataSource} (a primary with its replicas,
 * its own pools, its own read-your-writes positions), and the {@link ClusterRouter} that says which
 * cluster holds a key. Closing it closes every cluster.
 *
 * <pre>{@code
 * DatabaseClusters clusters = DatabaseClusters.of(ClusterRouter.single("db"), Map.of("db", replicated));
 * try (Connection primary = clusters.forKey(authorId).getConnection()) { ... }
 * }</pre>
 */
public interface DatabaseClusters extends AutoCloseable {

    /**
     * @throws IllegalArgumentException when a cluster the router names has no data source, or a data
     *                                  source no cluster the router names
     */
    static DatabaseClusters of(ClusterRouter router, Map<String, ReplicatedDataSource> clusters) {
        return new NamedClusters(router, clusters);
    }

    ClusterRouter router();

    /** The cluster that holds {@code key}'s rows, as the router says. */
    ReplicatedDataSource forKey(long key);

    /**
     * @throws IllegalArgumentException for a name the router does not know
     */
    ReplicatedDataSource named(String cluster);

    /** Every cluster by name, in the router's order. */
    Map<String, ReplicatedDataSource> all();

    /** Closes every cluster, each even when another failed to close. */
    @Override
    void close();
}
