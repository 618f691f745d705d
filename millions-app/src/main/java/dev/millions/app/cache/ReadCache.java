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
     * Several entries at once (one round trip per Redis node that holds some of them), in the order of
     * {@code keys}. Those missing are loaded together: {@code loader} gets their keys and returns their
     * values in the same order (one query for all, where the caller can).
     */
    <T> List<Optional<T>> getAll(List<CacheKey> keys, TypeReference<T> type,
                                 Function<List<CacheKey>, List<Optional<T>>> loader);

    /**
     * Whether reads are answered from the cache now. A caller that would otherwise do one query for
     * many values (a feed) asks, so that it does not make many loads out of one query when there is
     * no cache.
     */
    boolean active();

    /**
     * Stores a value the writer knows exactly (a post it just created), so that nobody has to load it;
     * this node keeps it near too, so the writer's read-back costs no round trip. A "not found" loaded
     * concurrently never replaces it. For keys one writer owns: two nodes putting the same key at once
     * could leave the older value in one near cache until its lifetime ends.
     *
     * @param invalidated what the same write made stale, forgotten as {@link #invalidate} does, in the
     *                    same round trip as the put
     */
    void put(CacheKey key, Object value, CacheKey... invalidated);

    /** Forgets these entries everywhere: in Redis and in every web node's near cache. */
    void invalidate(CacheKey... keys);
}
