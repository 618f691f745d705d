package dev.millions.app.cache;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

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
 * reads on other nodes skip it for a moment after their write: {@link RecentWriteFilter}). A message
 * can be lost while the subscription is down, so the cache is only trusted while it is up: when it
 * drops, the cache is emptied and skipped until it is back.
 *
 * <p>A value read before an invalidation must not be put after it, or it would stay stale for its
 * whole lifetime. So a reader takes a {@link #stamp} before it reads Redis or the database, and its put
 * is undone when any invalidation came in between: a global generation, bumped before each
 * invalidation is applied and checked after each put (the put-then-recheck order of a seqlock, so no
 * lock). Any invalidation, not only the key's, refuses the puts in flight: with a few writes a second
 * and reads of a millisecond, a few percent of near puts are lost, which costs a Redis read later and
 * no correctness. What is left is a message lost while the subscription seems up (a cluster bus link
 * that drops it), bounded by the entry's lifetime ({@code millions.cache.near-ttl}).
 */
final class NearCache {

    private final Cache<String, Optional<?>> entries;
    private final AtomicLong generation = new AtomicLong();
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

    /** To take before reading the value that will be {@link #put}. */
    long stamp() {
        return generation.get();
    }

    /**
     * Keeps found values only: "not found" changes when someone signs up or posts, and is cheap in Redis.
     * Undone when anything was invalidated since {@code stamp}.
     */
    void put(String key, Optional<?> value, long stamp) {
        if (trusted && value.isPresent()) {
            entries.put(key, value);
            if (generation.get() != stamp) {
                entries.invalidate(key);
            }
        }
    }

    void invalidate(String... keys) {
        generation.incrementAndGet();
        for (String key : keys) {
            entries.invalidate(key);
        }
    }

    /** Invalidations may be missed from now on: forget everything and stop serving. */
    void distrust() {
        trusted = false;
        generation.incrementAndGet();
        entries.invalidateAll();
    }

    /** Invalidations arrive again; whatever was cached before may have missed some. */
    void trust() {
        if (!trusted) {
            generation.incrementAndGet();
            entries.invalidateAll();
            trusted = true;
        }
    }

    boolean trusted() {
        return trusted;
    }
}
