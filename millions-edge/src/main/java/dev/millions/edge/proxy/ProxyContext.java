package dev.millions.edge.proxy;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;

import dev.millions.edge.balance.Backend;
import dev.millions.edge.balance.BackendSet;
import dev.millions.edge.balance.Balancer;
import dev.millions.edge.config.EdgeConfig;
import dev.millions.edge.health.OutlierDetector;
import dev.millions.edge.health.RetryBudget;
import dev.millions.edge.limit.RateLimiter;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;

/** What every connection of one proxy shares: the pool of backends and the policies over it. */
final class ProxyContext {

    final EdgeConfig config;
    final BackendSet backends;
    final Balancer balancer;
    final OutlierDetector outliers;
    final RetryBudget retryBudget;
    final RateLimiter rateLimiter;
    final LongSupplier ticker;
    final ProxyMetrics metrics;
    final AccessLog accessLog;
    /**
     * The stage for each request, made from the forwarder to this proxy's backends: for the load
     * balancer, one route to it; a cache stage wraps it.
     */
    final RouteTable routes;
    private final Class<? extends Channel> channelType;
    private final Map<EventLoop, BackendPool> pools = new ConcurrentHashMap<>();

    ProxyContext(EdgeConfig config, BackendSet backends, Balancer balancer, OutlierDetector outliers,
                 RetryBudget retryBudget, RateLimiter rateLimiter, LongSupplier ticker, ProxyMetrics metrics,
                 AccessLog accessLog, Class<? extends Channel> channelType,
                 Function<RequestHandler, RouteTable> routing) {
        this.config = config;
        this.backends = backends;
        this.balancer = balancer;
        this.outliers = outliers;
        this.retryBudget = retryBudget;
        this.rateLimiter = rateLimiter;
        this.ticker = ticker;
        this.metrics = metrics;
        this.accessLog = accessLog;
        this.channelType = channelType;
        this.routes = routing.apply(new Forwarder(this));
    }

    BackendPool pool(EventLoop loop) {
        return pools.computeIfAbsent(loop, l -> new BackendPool(l, channelType, config.limits().maxInitialLineBytes(),
                                                                config.limits().maxHeaderBytes(), 2_000, config.limits().backendIdleMillis(),
                                                                ticker, metrics));
    }

    /** An outcome of a request to a backend, for passive health. */
    void outcome(Backend backend, boolean failed) {
        if (failed) {
            backend.stats().errors.increment();
            outliers.failure(backend);
        } else {
            outliers.success(backend);
        }
    }
}
