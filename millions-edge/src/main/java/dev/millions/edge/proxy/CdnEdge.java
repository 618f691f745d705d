package dev.millions.edge.proxy;

import java.util.function.LongSupplier;

import dev.millions.edge.config.EdgeConfig;

/** A running CDN edge: the proxy with its routes to origin groups, and the cache in front of them. */
public interface CdnEdge extends LoadBalancer {

    /**
     * Binds the edge, starts health checks of every origin group and opens the cache.
     *
     * @param ticker monotonic nanos, for deadlines and health
     * @param wallMillis wall-clock millis, which the freshness of answers is computed in (RFC 9111 4.2)
     */
    static CdnEdge start(EdgeConfig config, LongSupplier ticker, LongSupplier wallMillis) throws InterruptedException {
        if (config.cdn() == null) {
            throw new IllegalArgumentException("cdn: null (expected: the edge's origins, routes and cache)");
        }
        return CdnServer.start(config, ticker, wallMillis);
    }

    /** Purges on this edge; the count of stored answers it removed (or, soft, marked stale). */
    int purge(Purge purge);

    CacheView cache();

    /**
     * @param kind {@code url} (a path and query, on any host), {@code prefix} (of the path) or {@code tag}
     *             (a {@code Surrogate-Key})
     * @param soft mark stale instead of removing, so the stale windows still serve while one request refreshes
     */
    record Purge(String kind, String value, boolean soft) {

        public Purge {
            if (kind == null || !(kind.equals("url") || kind.equals("prefix") || kind.equals("tag"))) {
                throw new IllegalArgumentException("kind: " + kind + " (expected: url, prefix or tag)");
            }
            if (value == null || value.isBlank() || value.length() > 2048) {
                throw new IllegalArgumentException("value: " + value + " (expected: 1 to 2048 characters)");
            }
            if (!kind.equals("tag") && !value.startsWith("/")) {
                throw new IllegalArgumentException("value: " + value + " (expected: a path starting with /)");
            }
        }
    }

    /** The cache as the admin API and {@code status} show it. */
    record CacheView(long objects, long bytes, long hits, long misses, double hitRatio, long hitBytes, long missBytes,
                     double byteHitRatio) {}
}
