package dev.millions.edge.proxy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

import dev.millions.edge.cache.DiskTier;
import dev.millions.edge.cache.ResponseCache;
import dev.millions.edge.cache.StoragePolicy;
import dev.millions.edge.config.CdnConfig;
import dev.millions.edge.config.EdgeConfig;

/** The CDN edge: the proxy engine with a route table of cache stages over origin groups. */
final class CdnServer implements CdnEdge {

    private final ProxyServer proxy;
    private final ResponseCache cache;

    private CdnServer(ProxyServer proxy, ResponseCache cache) {
        this.proxy = proxy;
        this.cache = cache;
    }

    static CdnServer start(EdgeConfig config, LongSupplier ticker, LongSupplier wallMillis) throws InterruptedException {
        CdnConfig.Cache settings = config.cdn().cache();
        DiskTier disk;
        try {
            disk = settings.diskFolder() == null ? null : new DiskTier(settings.diskFolder(), settings.diskBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the disk tier in " + settings.diskFolder() + ": " + e, e);
        }
        ResponseCache cache = new ResponseCache(settings.memoryBytes(), wallMillis, disk);
        ProxyServer proxy = ProxyServer.startRouted(config, ticker, forwarders -> routes(config, forwarders, cache, ticker));
        proxy.exportCache(cache);
        return new CdnServer(proxy, cache);
    }

    private static RouteTable routes(EdgeConfig config, Map<String, RequestHandler> forwarders, ResponseCache cache,
                                     LongSupplier ticker) {
        CdnConfig.Cache settings = config.cdn().cache();
        RouteTable.Builder table = RouteTable.builder();
        for (CdnConfig.Route route : config.cdn().routes()) {
            RequestHandler origin = forwarders.get(route.origin());
            if (route.backup() != null) {
                List<Integer> statuses = route.failoverStatuses() == null ? List.of() : route.failoverStatuses();
                origin = new OriginFailover(origin, forwarders.get(route.backup()), new HashSet<>(statuses),
                                            cache.metrics().failovers);
            }
            if (route.cached()) {
                StoragePolicy policy = new StoragePolicy(
                        settings.heuristicFreshness(),
                        route.staleWhileRevalidateSeconds() != null ? route.staleWhileRevalidateSeconds()
                                                                    : settings.staleWhileRevalidateSeconds(),
                        route.staleIfErrorSeconds() != null ? route.staleIfErrorSeconds() : settings.staleIfErrorSeconds());
                origin = new CacheStage(config.name(), cache, origin, policy, settings.maxObjectBytes(),
                                        settings.lockTimeoutMillis(), ticker);
            }
            table.route(null, route.prefix(), origin);
        }
        return table.build();
    }

    @Override
    public int purge(Purge purge) {
        return switch (purge.kind()) {
            case "url" -> cache.purgeUrl(null, purge.value(), purge.soft());
            case "prefix" -> cache.purgePrefix(purge.value(), purge.soft());
            default -> cache.purgeTag(purge.value(), purge.soft());
        };
    }

    @Override
    public CacheView cache() {
        var m = cache.metrics();
        long hits = m.hits.sum();
        long misses = m.misses.sum();
        long hitBytes = m.hitBytes.sum();
        long missBytes = m.missBytes.sum();
        return new CacheView(cache.count(), cache.bytes(), hits, misses, ratio(hits, misses), hitBytes, missBytes,
                             ratio(hitBytes, missBytes));
    }

    private static double ratio(long hits, long misses) {
        return hits + misses == 0 ? 0 : (double) hits / (hits + misses);
    }

    @Override
    public InetSocketAddress address() {
        return proxy.address();
    }

    @Override
    public List<BackendView> backends() {
        return proxy.backends();
    }

    @Override
    public BackendView add(String id, String address, int weight) {
        return proxy.add(id, address, weight);
    }

    @Override
    public BackendView drain(String id) {
        return proxy.drain(id);
    }

    @Override
    public String metrics() {
        return proxy.metrics();
    }

    @Override
    public void close() {
        proxy.close();
        cache.close();
    }
}
