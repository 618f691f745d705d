package dev.millions.app.cache;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Ticker;

import io.lettuce.core.ClientOptions.DisconnectedBehavior;
import io.lettuce.core.ReadFrom;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;

/**
 * The cache tier when {@code millions.cache.nodes} names a Redis Cluster: the read cache, and the
 * connection factory that moves Spring Session's sessions there. Without it, reads go straight to the
 * database and sessions stay in it.
 */
@Configuration(proxyBeanMethods = false)
class CacheConfig {

    private static final String CONFIGURED = "!'${millions.cache.nodes:}'.isBlank()";
    private static final String NOT_CONFIGURED = "'${millions.cache.nodes:}'.isBlank()";

    /** The cache's time: entry lifetimes and the read-your-writes window. */
    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    @ConditionalOnExpression(NOT_CONFIGURED)
    ReadCache noReadCache() {
        return new NoReadCache();
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnExpression(CONFIGURED)
    static class RedisTier {

        private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(5);

        /** Lettuce's threads, and, while spans are sent, a span for each command under the request's own. */
        @Bean(destroyMethod = "shutdown")
        ClientResources cacheClientResources(ObjectProvider<ObservationRegistry> observations,
                                             @Value("${millions.tracing.spans:false}") boolean tracing) {
            DefaultClientResources.Builder resources = DefaultClientResources.builder();
            if (tracing) {
                resources.tracing(new RedisSpans(observations.getObject(), "redis-cluster"));
            }
            return resources.build();
        }

        /**
         * A seed's timeout also bounds each new connection's handshake and topology query: with the
         * command timeout (250 ms) there, a web node starting beside others on busy cores timed out on
         * all six nodes and exited. Commands keep their own short timeout ({@link #options}).
         */
        @Bean(destroyMethod = "shutdown")
        RedisClusterClient cacheClient(CacheProperties properties, ClientResources resources) {
            RedisClusterClient client = RedisClusterClient.create(resources, seeds(properties, HANDSHAKE_TIMEOUT));
            client.setOptions(options(properties.commandTimeout()));
            return client;
        }

        @Bean(destroyMethod = "close")
        RedisReadCache readCache(RedisClusterClient cacheClient, CacheProperties properties, ObjectMapper json,
                                 MeterRegistry registry, Clock clock) {
            return new RedisReadCache(cacheClient, properties, json, registry, clock, Ticker.systemTicker());
        }

        /** Spring Boot's session support finds this and keeps the sessions in the cluster. */
        @Bean
        LettuceConnectionFactory redisConnectionFactory(CacheProperties properties, ClientResources resources) {
            List<String> nodes = seeds(properties, properties.sessionTimeout()).stream()
                                                                                .map(uri -> uri.getHost() + ':'
                                                                                            + uri.getPort())
                                                                                .toList();
            return new LettuceConnectionFactory(new RedisClusterConfiguration(nodes),
                                                LettuceClientConfiguration.builder()
                                                                          .clientResources(resources)
                                                                          .commandTimeout(properties.sessionTimeout())
                                                                          .readFrom(ReadFrom.UPSTREAM_PREFERRED)
                                                                          .clientOptions(options(properties.sessionTimeout()))
                                                                          .build());
        }
    }

    /** Fails fast, at start, on a node list that is not {@code host:port,...}. */
    static List<RedisURI> seeds(CacheProperties properties, Duration timeout) {
        List<RedisURI> seeds = new ArrayList<>();
        for (String node : properties.nodes().split(",")) {
            String address = node.strip();
            int colon = address.lastIndexOf(':');
            int port;
            try {
                port = Integer.parseInt(address.substring(colon + 1));
            } catch (NumberFormatException e) {
                port = -1;
            }
            CacheSpec.checkArgument(colon > 0 && port > 0 && port < 65536,
                                    "millions.cache.nodes: '%s' in %s (expected: host:port,host:port,...)", address,
                                    properties.nodes());
            seeds.add(RedisURI.builder().withHost(address.substring(0, colon)).withPort(port).withTimeout(timeout)
                              .build());
        }
        return seeds;
    }

    /**
     * Reads go to a master, and to its replica while the master cannot be reached (a failover).
     * The client follows MOVED and ASK, and also asks for the cluster's shape every second and whenever a
     * node stops answering, so that it finds a promoted replica quickly; while a node is unreachable its
     * commands fail at once instead of queueing until they time out.
     */
    private static ClusterClientOptions options(Duration timeout) {
        return ClusterClientOptions.builder()
                                   .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                                                                   .enablePeriodicRefresh(Duration.ofSeconds(1))
                                                                   .enableAllAdaptiveRefreshTriggers()
                                                                   .adaptiveRefreshTriggersTimeout(Duration.ofSeconds(1))
                                                                   .build())
                                   .timeoutOptions(TimeoutOptions.enabled(timeout))
                                   .socketOptions(SocketOptions.builder().connectTimeout(Duration.ofSeconds(1)).build())
                                   .disconnectedBehavior(DisconnectedBehavior.REJECT_COMMANDS)
                                   .build();
    }
}
