package dev.millions.jdbc;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

final class NamedClusters implements DatabaseClusters {

    private final ClusterRouter router;
    private final Map<String, ReplicatedDataSource> clusters;

    NamedClusters(ClusterRouter router, Map<String, ReplicatedDataSource> clusters) {
        ReplicatedDataSourceBuilder.checkArgument(router != null, "router: null (expected: a router)");
        Set<String> unrouted = new TreeSet<>(clusters.keySet());
        router.clusters().forEach(unrouted::remove);
        Set<String> missing = new TreeSet<>(router.clusters());
        missing.removeAll(clusters.keySet());
        ReplicatedDataSourceBuilder.checkArgument(missing.isEmpty(),
                                                  "clusters: no data source for %s (expected: one for each of %s)",
                                                  missing, router.clusters());
        ReplicatedDataSourceBuilder.checkArgument(unrouted.isEmpty(),
                                                  "clusters: %s never chosen by the router, which knows %s", unrouted,
                                                  router.clusters());
        Map<String, ReplicatedDataSource> ordered = new LinkedHashMap<>();
        router.clusters().forEach(name -> ordered.put(name, clusters.get(name)));
        this.router = router;
        this.clusters = Collections.unmodifiableMap(ordered);
    }

    @Override
    public ClusterRouter router() {
        return router;
    }

    @Override
    public ReplicatedDataSource forKey(long key) {
        return named(router.clusterFor(key));
    }

    @Override
    public ReplicatedDataSource named(String cluster) {
        ReplicatedDataSource dataSource = clusters.get(cluster);
        if (dataSource == null) {
            throw new IllegalArgumentException(String.format("cluster: '%s' (expected: one of %s)", cluster,
                                                             router.clusters()));
        }
        return dataSource;
    }

    @Override
    public Map<String, ReplicatedDataSource> all() {
        return clusters;
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        for (ReplicatedDataSource cluster : clusters.values()) {
            try {
                cluster.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return "DatabaseClusters" + router.clusters();
    }
}
