package dev.millions.jdbc;

import java.util.List;

/** The one-cluster case: every key on the same cluster. */
record SingleClusterRouter(String cluster) implements ClusterRouter {

    @Override
    public String clusterFor(long key) {
        return cluster;
    }

    @Override
    public List<String> clusters() {
        return List.of(cluster);
    }
}
