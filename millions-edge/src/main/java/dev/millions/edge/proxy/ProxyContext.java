package dev.millions.edge.proxy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;

import dev.millions.edge.balance.Backend;
import dev.millions.edge.config.EdgeConfig;
import dev.millions.edge.limit.RateLimiter;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;

/** What every connection of one proxy shares: its groups of backends, its limits and its routes. */
final class ProxyContext {

    final EdgeConfig config;
    /** Every group by name, in the config's order. */
    final Map<String, BackendGroup> groups;
    final RateLimiter rateLimiter;
    final LongSupplier ticker;
    final ProxyMetrics metrics;
    final AccessLog accessLog;
    final EdgeTracing tracing;
    /**
     * The stage for each request, made from the forwarders to this proxy's groups: for the load
     * balancer, one route to its one group; a CDN edge's cache stages wrap them.
     */
    final RouteTable routes;
    private final Class<? extends Channel> channelType;
    private final Map<EventLoop, BackendPool> pools = new ConcurrentHashMap<>();

    ProxyContext(EdgeConfig config, Map<String, BackendGroup> groups, RateLimiter rateLimiter, LongSupplier ticker,
                 ProxyMetrics metrics, AccessLog accessLog, EdgeTracing tracing, Class<? extends Channel> channelType,
                 Function<Map<String, RequestHandler>, RouteTable> routing) {
        this.config = config;
        this.groups = groups;
        this.rateLimiter = rateLimiter;
        this.ticker = ticker;
        this.metrics = metrics;
        this.accessLog = accessLog;
        this.tracing = tracing;
        this.channelType = channelType;
        Map<String, RequestHandler> forwarders = new LinkedHashMap<>();
        groups.forEach((name, group) -> forwarders.put(name, call -> new Exchange(this, group, call)));
        this.routes = routing.apply(forwarders);
    }

    /** The group the admin API manages: the load balancer's one group, a CDN edge's first. */
    BackendGroup mainGroup() {
        return groups.values().iterator().next();
    }

    /** Every backend of every group. */
    List<Backend> allBackends() {
        List<Backend> all = new ArrayList<>();
        groups.values().forEach(group -> all.addAll(group.backends.all()));
        return all;
    }

    BackendPool pool(EventLoop loop) {
        return pools.computeIfAbsent(loop, l -> new BackendPool(l, channelType, config.limits().maxInitialLineBytes(),
                                                                config.limits().maxHeaderBytes(), 2_000, config.limits().backendIdleMillis(),
                                                                ticker, metrics));
    }
}
