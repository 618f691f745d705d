package dev.millions.app.database;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.millions.jdbc.ClusterRouter;
import dev.millions.jdbc.DatabaseClusters;
import dev.millions.jdbc.ReplicatedDataSource;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * When the database is a primary with replicas ({@code MILLIONS_DATABASE_NODES_FILE}: a file of
 * {@code host:port} lines that the failover manager keeps current), the data tier is a set of named
 * clusters ({@link DatabaseClusters}); today that is one cluster, named after the topology's database
 * node ({@code MILLIONS_DATABASE_CLUSTER}), and the app's one DataSource is its primary side, which
 * finds the primary itself, follows a failover without a restart and learns of replicas added or
 * removed. Otherwise Spring Boot's single HikariCP pool is used.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${millions.database.nodes-file:}' != ''")
class ReplicatedDatabaseConfig {

    /** As long as a writer waits for a new primary before it gets an error. */
    private static final Duration PRIMARY_GRACE = Duration.ofSeconds(5);

    @Bean(destroyMethod = "close")
    DatabaseClusters databaseClusters(@Value("${millions.database.nodes-file}") Path nodesFile,
                                      @Value("${millions.database.cluster:db}") String cluster,
                                      DataSourceProperties properties,
                                      @Value("${spring.datasource.hikari.maximum-pool-size:10}") int poolSize,
                                      @Value("${MILLIONS_NODE_NAME:web}") String nodeName) {
        String url = properties.determineUrl();
        String database = url.substring(url.lastIndexOf('/') + 1);
        ReplicatedDataSource replicated = ReplicatedDataSource.builder()
                                   .nodesFile(nodesFile)
                                   .database(database.contains("?") ? database.substring(0, database.indexOf('?'))
                                                                    : database)
                                   .credentials(properties.determineUsername(), properties.determinePassword())
                                   .poolSize(poolSize)
                                   .failoverWait(PRIMARY_GRACE)
                                   .applicationName(nodeName)
                                   .build();
        return DatabaseClusters.of(ClusterRouter.single(cluster), Map.of(cluster, replicated));
    }

    /** Closed with the clusters. */
    @Bean(destroyMethod = "")
    DataSource dataSource(DatabaseClusters clusters) {
        return clusters.named(theCluster(clusters));
    }

    /**
     * The cluster that every query goes to while there is one: the seam where queries will be routed
     * by key ({@link DatabaseClusters#forKey}) once there are several.
     */
    static String theCluster(DatabaseClusters clusters) {
        return clusters.router().clusters().getFirst();
    }

    /**
     * Readiness from what the data source's own probes see, not from a pooled connection: under load
     * every pooled connection is busy, and a check that waits for one times out on both web nodes at
     * once, leaving the load balancer with none. Down only once no primary has been seen for as long
     * as a writer would wait for one: during a failover (under a second) requests wait in the app and
     * succeed, while a load balancer told "not ready" would refuse them all.
     */
    @Bean
    HealthIndicator dbHealthIndicator(DatabaseClusters clusters) {
        Map<String, AtomicLong> primarySeenNanos = new LinkedHashMap<>();
        clusters.all().keySet().forEach(name -> primarySeenNanos.put(name, new AtomicLong(System.nanoTime())));
        return () -> {
            Map<String, Object> details = new LinkedHashMap<>();
            boolean ready = true;
            for (Map.Entry<String, ReplicatedDataSource> cluster : clusters.all().entrySet()) {
                List<ReplicatedDataSource.NodeStatus> nodes = cluster.getValue().nodes();
                nodes.forEach(node -> details.put(node.address(), node.role().name().toLowerCase(Locale.ROOT)
                                                                  + (node.lagBytes() >= 0 ? ", lag " + node.lagBytes()
                                                                                            + " B" : "")));
                AtomicLong seen = primarySeenNanos.get(cluster.getKey());
                if (nodes.stream().anyMatch(node -> node.role() == ReplicatedDataSource.Role.PRIMARY)) {
                    seen.set(System.nanoTime());
                }
                ready &= System.nanoTime() - seen.get() < PRIMARY_GRACE.toNanos();
            }
            return (ready ? Health.up() : Health.down()).withDetails(details).build();
        };
    }

    /**
     * What each cluster's data source sees of its database nodes: whether one is the primary, and a
     * replica's replay lag behind it (-1 when unknown or not a replica).
     */
    @Bean
    MeterBinder databaseNodeMetrics(DatabaseClusters clusters) {
        return registry -> clusters.all().forEach((name, replicated) -> {
            for (ReplicatedDataSource.NodeStatus node : replicated.nodes()) {
                Tags tags = Tags.of("db_cluster", name, "db_node", node.address());
                Gauge.builder("millions.db.node.primary", replicated, r -> status(r, node.address())
                                      .map(s -> s.role() == ReplicatedDataSource.Role.PRIMARY ? 1 : 0).orElse(0))
                     .description("1 when this database node is the primary the app writes to")
                     .tags(tags).register(registry);
                Gauge.builder("millions.db.node.lag", replicated, r -> status(r, node.address())
                                      .map(ReplicatedDataSource.NodeStatus::lagBytes).orElse(-1L))
                     .description("how far a replica's replay is behind the primary, -1 when not a replica")
                     .baseUnit("bytes").tags(tags).register(registry);
                FunctionCounter.builder("millions.db.node.reads", replicated, r -> status(r, node.address())
                                       .map(ReplicatedDataSource.NodeStatus::reads).orElse(0L))
                               .description("queries of GET requests sent to this database node")
                               .tags(tags).register(registry);
            }
        });
    }

    private static Optional<ReplicatedDataSource.NodeStatus> status(ReplicatedDataSource replicated, String address) {
        return replicated.nodes().stream().filter(node -> node.address().equals(address)).findFirst();
    }
}
