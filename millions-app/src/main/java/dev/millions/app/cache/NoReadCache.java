package dev.millions.app.cache;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.type.TypeReference;

/** No cache tier: every read is the loader's. */
final class NoReadCache implements ReadCache {

    @Override
    public <T> Optional<T> get(CacheKey key, TypeReference<T> type, Supplier<Optional<T>> loader) {
        return loader.get();
    }

    @Override
    public <T> List<Optional<T>> getAll(List<CacheKey> keys, TypeReference<T> type,
                                        Function<List<CacheKey>, List<Optional<T>>> loader) {
        return loader.apply(keys);
    }

    @Override
    public boolean active() {
        return false;
    }

    @Override
    public void put(CacheKey key, Object value, CacheKey... invalidated) {}

    @Override
    public void invalidate(CacheKey... keys) {}
}
