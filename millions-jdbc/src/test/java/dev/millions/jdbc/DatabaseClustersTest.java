package dev.millions.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The data tier's named clusters and their router, over data sources whose nodes are not running:
 * nothing here needs a connection.
 */
class DatabaseClustersTest {

    private final ReplicatedDataSource db = unreachable();
    private final ReplicatedDataSource other = unreachable();

    @AfterEach
    void closeBoth() {
        db.close();
        other.close();
    }

    @Test
    void singleRouter_sendsEveryKeyToItsCluster() {
        DatabaseClusters clusters = DatabaseClusters.of(ClusterRouter.single("db"), Map.of("db", db));

        assertThat(clusters.forKey(1)).isSameAs(db);
        assertThat(clusters.forKey(Long.MIN_VALUE)).isSameAs(db);
        assertThat(clusters.named("db")).isSameAs(db);
        assertThat(clusters.all()).containsExactly(Map.entry("db", db));
        assertThat(clusters.router().clusters()).containsExactly("db");
    }

    @Test
    void unknownClusterName_isAClearError() {
        DatabaseClusters clusters = DatabaseClusters.of(ClusterRouter.single("db"), Map.of("db", db));

        assertThatThrownBy(() -> clusters.named("shard-2")).isInstanceOf(IllegalArgumentException.class)
                                                           .hasMessage("cluster: 'shard-2' (expected: one of [db])");
    }

    @Test
    void routedClusterWithoutADataSource_orADataSourceNeverRouted_failsAtOnce() {
        assertThatThrownBy(() -> DatabaseClusters.of(byParity("even", "odd"), Map.of("even", db)))
                .hasMessage("clusters: no data source for [odd] (expected: one for each of [even, odd])");
        assertThatThrownBy(() -> DatabaseClusters.of(ClusterRouter.single("db"), Map.of("db", db, "other", other)))
                .hasMessage("clusters: [other] never chosen by the router, which knows [db]");
        assertThatThrownBy(() -> ClusterRouter.single(" ")).hasMessage("cluster: ' ' (expected: a name)");
    }

    @Test
    void keysSpreadOverClusters_reachTheirOwnDataSource_inTheRoutersOrder() {
        DatabaseClusters clusters = DatabaseClusters.of(byParity("odd", "even"), Map.of("even", db, "odd", other));

        assertThat(clusters.forKey(4)).isSameAs(db);
        assertThat(clusters.forKey(7)).isSameAs(other);
        assertThat(clusters.all().keySet()).containsExactly("odd", "even");
    }

    /** Even keys on "even", odd keys on "odd"; {@code order} is how the router lists them. */
    private static ClusterRouter byParity(String... order) {
        return new ClusterRouter() {
            @Override
            public String clusterFor(long key) {
                return key % 2 == 0 ? "even" : "odd";
            }

            @Override
            public List<String> clusters() {
                return List.of(order);
            }
        };
    }

    private static ReplicatedDataSource unreachable() {
        return ReplicatedDataSource.builder().nodes(List.of("127.0.0.1:1")).database("millions")
                                   .credentials("millions", "secret").build();
    }
}
