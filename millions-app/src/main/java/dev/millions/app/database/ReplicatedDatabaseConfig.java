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

import dev.millions.jdbc.ReplicatedDataSource;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * When the database is a primary with replicas ({@code MILLIONS_DATABASE_NODES_FILE}: a file of
 * {@code host:port} lines that the failover manager keeps current), the app's one DataSource finds
 * the primary itself, follows a failover without a restart and learns of replicas added or removed;
 * otherwise Spring Boot's single HikariCP pool is used.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${millions.database.nodes-file:}' != ''")
class ReplicatedDatabaseConfig {

    /** As long as a writer waits for a new primary before it gets an error. */
    private static final Duration PRIMARY_GRACE = Duration.ofSeconds(5);

    @Bean(destroyMethod = "close")
    DataSource dataSource(@Value("${millions.database.nodes-file}") Path nodesFile, DataSourceProperties properties,
                          @Value("${spring.datasource.hikari.maximum-pool-size:10}") int poolSize,
                          @Value("${MILLIONS_NODE_NAME:web}") String nodeName) {
        String url = properties.determineUrl();
        String database = url.substring(url.lastIndexOf('/') + 1);
        return ReplicatedDataSource.builder()
                                   .nodesFile(nodesFile)
                                   .database(database.contains("?") ? database.substring(0, database.indexOf('?'))
                                                                    : database)
                                   .credentials(properties.determineUsername(), properties.determinePassword())
                                   .poolSize(poolSize)
                                   .failoverWait(PRIMARY_GRACE)
                                   .applicationName(nodeName)
                                   .build();
    }

    /**
     * Readiness from what the data source's own probes see, not from a pooled connection: under load
     * every pooled connection is busy, and a check that waits for one times out on both web nodes at
     * once, leaving the load balancer with none. Down only once no primary has been seen for as long
     * as a writer would wait for one: during a failover (under a second) requests wait in the app and
     * succeed, while a load balancer told "not ready" would refuse them all.
     */
    @Bean
    HealthIndicator dbHealthIndicator(DataSource dataSource) {
        ReplicatedDataSource replicated = ReplicatedDataSource.of(dataSource).orElseThrow();
        AtomicLong primarySeenNanos = new AtomicLong(System.nanoTime());
        return () -> {
            List<ReplicatedDataSource.NodeStatus> nodes = replicated.nodes();
            Map<String, Object> details = new LinkedHashMap<>();
            nodes.forEach(node -> details.put(node.address(), node.role().name().toLowerCase(Locale.ROOT)
                                                              + (node.lagBytes() >= 0 ? ", lag " + node.lagBytes()
                                                                                        + " B" : "")));
            if (nodes.stream().anyMatch(node -> node.role() == ReplicatedDataSource.Role.PRIMARY)) {
                primarySeenNanos.set(System.nanoTime());
            }
            boolean ready = System.nanoTime() - primarySeenNanos.get() < PRIMARY_GRACE.toNanos();
            return (ready ? Health.up() : Health.down()).withDetails(details).build();
        };
    }

    /**
     * What the data source sees of each database node: whether it is the primary, and a replica's
     * replay lag behind it (-1 when unknown or not a replica).
     */
    @Bean
    MeterBinder databaseNodeMetrics(DataSource dataSource) {
        return registry -> {
            ReplicatedDataSource replicated = ReplicatedDataSource.of(dataSource).orElse(null);
            if (replicated == null) {
                return;
            }
            for (ReplicatedDataSource.NodeStatus node : replicated.nodes()) {
                Gauge.builder("millions.db.node.primary", replicated, r -> status(r, node.address())
                                      .map(s -> s.role() == ReplicatedDataSource.Role.PRIMARY ? 1 : 0).orElse(0))
                     .description("1 when this database node is the primary the app writes to")
                     .tag("db_node", node.address()).register(registry);
                Gauge.builder("millions.db.node.lag", replicated, r -> status(r, node.address())
                                      .map(ReplicatedDataSource.NodeStatus::lagBytes).orElse(-1L))
                     .description("how far a replica's replay is behind the primary, -1 when not a replica")
                     .baseUnit("bytes").tag("db_node", node.address()).register(registry);
                FunctionCounter.builder("millions.db.node.reads", replicated, r -> status(r, node.address())
                                       .map(ReplicatedDataSource.NodeStatus::reads).orElse(0L))
                               .description("queries of GET requests sent to this database node")
                               .tag("db_node", node.address()).register(registry);
            }
        };
    }

    private static Optional<ReplicatedDataSource.NodeStatus> status(ReplicatedDataSource replicated, String address) {
        return replicated.nodes().stream().filter(node -> node.address().equals(address)).findFirst();
    }
}
