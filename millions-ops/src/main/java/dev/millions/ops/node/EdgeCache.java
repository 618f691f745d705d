package dev.millions.ops.node;

/** A CDN edge's cache, which the supervisor purges on every edge of the topology at once. */
public interface EdgeCache {

    /**
     * Purges stored answers on this edge.
     *
     * @param kind {@code url}, {@code prefix} or {@code tag}
     * @param soft mark stale instead of removing
     * @return how many stored answers it purged
     */
    int purge(String kind, String value, boolean soft);
}
