package dev.millions.app.cache;

import java.time.Duration;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;

/**
 * The hottest entries in the node's own memory, in front of Redis. Caffeine's admission policy
 * (W-TinyLFU) keeps the keys read most often, so a small cache holds the head of a skewed workload.
 *
 * <p>Other nodes' writes reach it as invalidations over Redis pub/sub, within milliseconds (a user's own
 * reads skip it for a few seconds after their write: {@link RecentWriteFilter}). A message
 * can be lost while the subscription is down, so the cache is only trusted while it is up: when it
 * drops, the cache is emptied and skipped until it is back. What is left is the race of a value loaded
 * just before an invalidation, bounded by the entry's lifetime ({@code millions.cache.near-ttl}).
 */
final class NearCache {

    private final Cache<String, Optional<?>> entries;
    private volatile boolean trusted;

    NearCache(int maxSize, Duration ttl, Ticker ticker, MeterRegistry registry) {
        this.entries = Caffeine.newBuilder().maximumSize(maxSize).expireAfterWrite(ttl).ticker(ticker).recordStats()
                               .build();
        CaffeineCacheMetrics.monitor(registry, entries, "near");
    }

    /** The entry, or {@code null} when there is none or the cache is not trusted now. */
    Optional<?> get(String key) {
        return trusted ? entries.getIfPresent(key) : null;
    }

    /** Keeps found values only: "not found" changes when someone signs up or posts, and is cheap in Redis. */
    void put(String key, Optional<?> value) {
        if (trusted && value.isPresent()) {
            entries.put(key, value);
        }
    }

    void invalidate(String... keys) {
        for (String key : keys) {
            entries.invalidate(key);
        }
    }

    /** Invalidations may be missed from now on: forget everything and stop serving. */
    void distrust() {
        trusted = false;
        entries.invalidateAll();
    }

    /** Invalidations arrive again; whatever was cached before may have missed some. */
    void trust() {
        if (!trusted) {
            entries.invalidateAll();
            trusted = true;
        }
    }

    boolean trusted() {
        return trusted;
    }
}
