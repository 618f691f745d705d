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
                                        Function<CacheKey, Optional<T>> loader) {
        return keys.stream().map(loader).toList();
    }

    @Override
    public boolean active() {
        return false;
    }

    @Override
    public void invalidate(CacheKey... keys) {}
}
