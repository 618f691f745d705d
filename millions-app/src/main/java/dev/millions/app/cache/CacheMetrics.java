package dev.millions.app.cache;

import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * The cache's meters, tagged by cache: {@code millions.cache.gets} by result (near_hit, hit,
 * negative_hit, miss, early_refresh, coalesced, bypass, error), so that the hit ratio of each cache is
 * hits over gets; {@code millions.cache.loads} (time spent loading from the database);
 * {@code millions.cache.errors} by operation; {@code millions.cache.fallbacks}, reads the database
 * served because the cache failed; {@code millions.cache.refused}, values too large to store.
 */
final class CacheMetrics {

    private final MeterRegistry registry;

    CacheMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void result(String cache, String result) {
        registry.counter("millions.cache.gets", "cache", cache, "result", result).increment();
    }

    void loaded(String cache, long nanos) {
        registry.timer("millions.cache.loads", "cache", cache).record(nanos, TimeUnit.NANOSECONDS);
    }

    void error(String cache, String operation) {
        registry.counter("millions.cache.errors", "cache", cache, "operation", operation).increment();
    }

    void fallback(String cache) {
        registry.counter("millions.cache.fallbacks", "cache", cache).increment();
    }

    void refused(String cache) {
        registry.counter("millions.cache.refused", "cache", cache, "reason", "too_large").increment();
    }

    void invalidated(int keys) {
        registry.counter("millions.cache.invalidations").increment(keys);
    }
}
