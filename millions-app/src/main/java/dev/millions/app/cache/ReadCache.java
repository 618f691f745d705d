package dev.millions.app.cache;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.type.TypeReference;

/**
 * Cache-aside for the app's hot reads. A value is looked up in the cache and, when missing, loaded
 * with {@code loader} and stored; "not found" is stored too, briefly. After a write, the writer
 * invalidates what it changed. A cache that fails never fails the request: the value is loaded from
 * the database, and the failure is counted.
 */
public interface ReadCache {

    /**
     * The cached value, or what {@code loader} finds. Only one loader per key runs at a time on a node;
     * the other callers wait for its result.
     */
    <T> Optional<T> get(CacheKey key, TypeReference<T> type, Supplier<Optional<T>> loader);

    /**
     * Several entries at once (one round trip per Redis node that holds some of them), each missing one
     * loaded with {@code loader}; in the order of {@code keys}.
     */
    <T> List<Optional<T>> getAll(List<CacheKey> keys, TypeReference<T> type,
                                 Function<CacheKey, Optional<T>> loader);

    /**
     * Whether reads are answered from the cache now. A caller that would otherwise do one query for
     * many values (a feed) asks, so that it does not make many loads out of one query when there is
     * no cache.
     */
    boolean active();

    /** Forgets these entries everywhere: in Redis and in every web node's near cache. */
    void invalidate(CacheKey... keys);
}
