package dev.millions.app.database;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;

import javax.sql.DataSource;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.stereotype.Component;

import dev.millions.jdbc.DatabaseClusters;
import dev.millions.jdbc.ReplicatedDataSource;

import net.ttddyy.dsproxy.support.ProxyDataSourceBuilder;
import net.ttddyy.observation.tracing.DataSourceObservationListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Queries that only read, for the repositories: with a replicated database they run on a replica
 * that is close enough behind and has the user's own last write (else on the primary); with a single
 * database they run where everything runs. Each one is counted ({@code millions.db.reads}, and per
 * request in {@code millions.db.reads.per.request}).
 */
@Component
public class Reads {

    private final JdbcClient jdbc;
    private final Counter queries;

    /**
     * @param tracing present when spans are on: the replica reads bypass the traced data source, so they
     *                get a tracing proxy of their own
     */
    Reads(DataSource dataSource, ObjectProvider<DatabaseClusters> clusters, MeterRegistry registry,
          ObjectProvider<DataSourceObservationListener> tracing) {
        this.queries = registry.counter("millions.db.reads");
        this.jdbc = JdbcClient.create(Optional.ofNullable(clusters.getIfAvailable()).map(tier -> {
            String cluster = ReplicatedDatabaseConfig.theCluster(tier);
            DataSource routing = new ReplicaRouting(cluster, tier.named(cluster));
            DataSourceObservationListener listener = tracing.getIfAvailable();
            return listener == null ? routing : ProxyDataSourceBuilder.create("reads", routing).listener(listener)
                                                                      .methodListener(listener).build();
        }).orElse(dataSource));
    }

    public JdbcClient.StatementSpec sql(String sql) {
        queries.increment();
        ReadsPerRequestFilter.count();
        return jdbc.sql(sql);
    }

    /**
     * Runs {@code load} with its reads on the primary: what fills a shared cache must not come from a
     * replica that has not replayed the latest writes yet, or it would stay stale for its whole life.
     */
    public static <T> T onPrimary(Supplier<T> load) {
        Map<String, Long> minPositions = ReadContext.minPositions();
        ReadContext.clear();
        try {
            return load.get();
        } finally {
            if (minPositions != null) {
                ReadContext.allowReplicaReads(minPositions);
            }
        }
    }

    private static final class ReplicaRouting extends DelegatingDataSource {

        private final String cluster;
        private final ReplicatedDataSource replicated;

        ReplicaRouting(String cluster, ReplicatedDataSource replicated) {
            super(replicated);
            this.cluster = cluster;
            this.replicated = replicated;
        }

        @Override
        public Connection getConnection() throws SQLException {
            OptionalLong minPosition = ReadContext.minPosition(cluster);
            return minPosition.isPresent() ? replicated.readConnection(minPosition.getAsLong())
                                           : replicated.getConnection();
        }
    }
}
