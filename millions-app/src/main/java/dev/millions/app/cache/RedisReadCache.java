package dev.millions.app.cache;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Ticker;

import dev.millions.app.database.Reads;
import io.lettuce.core.KeyValue;
import io.lettuce.core.ReadFrom;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Cache-aside over a Redis Cluster, with a near cache in front.
 *
 * <ul>
 *   <li>A miss is loaded from the primary, never from a replica that may be behind: a value from a
 *       lagging replica would stay cached, stale, for its whole lifetime.</li>
 *   <li>Stampedes: one loader per key per node (the others wait for its result), and across nodes
 *       probabilistic early refresh ({@link CacheEntry}); while one reader refreshes early, the others
 *       keep the cached value.</li>
 *   <li>Invalidation deletes the key and its lease, and tells every near cache; a load that read the
 *       old row before the write cannot store it after the delete ({@link Leases}).</li>
 *   <li>Any cache failure (timeout, refused connection, an entry it cannot read) is counted, and the
 *       database answers.</li>
 *   <li>A switch in Redis ({@value #MODE_KEY} = {@code off}) makes every node read from the database
 *       only, while writes still invalidate; {@code millions bench cache} compares both modes with it.</li>
 * </ul>
 */
final class RedisReadCache implements ReadCache, AutoCloseable {

    static final String MODE_KEY = "millions:cache:mode";
    private static final Duration WAIT_FOR_OTHER_LOADER = Duration.ofSeconds(5);
    private static final Logger log = LoggerFactory.getLogger(RedisReadCache.class);

    private final StatefulRedisClusterConnection<String, byte[]> connection;
    private final RedisAdvancedClusterCommands<String, byte[]> redis;
    private final CacheProperties properties;
    private final ObjectMapper json;
    private final CacheMetrics metrics;
    private final Clock clock;
    private final NearCache near;
    private final InvalidationBus bus;
    private final CacheWriter writer;
    private final ConcurrentHashMap<String, CompletableFuture<Optional<?>>> loading = new ConcurrentHashMap<>();
    private final ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("cache-housekeeping").factory());
    private volatile boolean enabled = true;

    RedisReadCache(RedisClusterClient client, CacheProperties properties, ObjectMapper json, MeterRegistry registry,
                   Clock clock, Ticker ticker) {
        this.connection = client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
        connection.setTimeout(properties.commandTimeout());
        // While a master fails over, its replica (a few milliseconds behind) answers a batch (MGET) instead of
        // the database. A single key's lookup is a script that may take a lease, so it needs the master: in
        // the meantime the database answers it.
        this.connection.setReadFrom(ReadFrom.UPSTREAM_PREFERRED);
        this.redis = connection.sync();
        this.properties = properties;
        this.json = json;
        this.metrics = new CacheMetrics(registry);
        this.clock = clock;
        this.near = new NearCache(properties.nearSize(), properties.nearTtl(), ticker, registry);
        this.bus = new InvalidationBus(client, near, ticker);
        this.writer = new CacheWriter(connection, properties, json, metrics, clock, near, bus);
        registry.gauge("millions.cache.enabled", this, cache -> cache.enabled ? 1 : 0);
        registry.gauge("millions.cache.near.trusted", near, cache -> cache.trusted() ? 1 : 0);
        housekeeping.scheduleWithFixedDelay(this::housekeeping, 0, properties.modePoll().toMillis(),
                                            TimeUnit.MILLISECONDS);
    }

    @Override
    public <T> Optional<T> get(CacheKey key, TypeReference<T> type, Supplier<Optional<T>> loader) {
        if (!enabled) {
            metrics.result(key.spec().name(), "bypass");
            return loader.get();
        }
        Optional<T> nearValue = nearValue(key);
        if (nearValue != null) {
            return nearValue;
        }
        long stamp = near.stamp();
        byte[] token = Leases.newToken();
        Leases.Lookup lookup;
        try {
            lookup = Leases.getOrAcquire(redis, key.redisKey(), token);
        } catch (RuntimeException e) {
            return fallback(key, loader, e);
        }
        if (lookup.entry() == null) {
            return loadMissing(key, loader, lookup.leased() ? token : null, stamp);
        }
        return resolve(key, type, loader, lookup.entry(), stamp);
    }

    @Override
    public <T> List<Optional<T>> getAll(List<CacheKey> keys, TypeReference<T> type,
                                        Function<List<CacheKey>, List<Optional<T>>> loader) {
        if (!enabled) {
            keys.forEach(key -> metrics.result(key.spec().name(), "bypass"));
            return loader.apply(keys);
        }
        List<Optional<T>> results = new ArrayList<>(Collections.nCopies(keys.size(), null));
        List<Integer> remote = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            Optional<T> nearValue = nearValue(keys.get(i));
            if (nearValue != null) {
                results.set(i, nearValue);
            } else {
                remote.add(i);
            }
        }
        if (remote.isEmpty()) {
            return results;
        }
        long stamp = near.stamp();
        List<KeyValue<String, byte[]>> values;
        try {
            values = redis.mget(remote.stream().map(i -> keys.get(i).redisKey()).toArray(String[]::new));
        } catch (RuntimeException e) {
            remote.forEach(i -> {
                metrics.error(keys.get(i).spec().name(), "get");
                metrics.fallback(keys.get(i).spec().name());
            });
            return fill(results, remote, loader.apply(remote.stream().map(keys::get).toList()));
        }
        List<Integer> missing = new ArrayList<>();
        for (int j = 0; j < remote.size(); j++) {
            CacheKey key = keys.get(remote.get(j));
            Found<T> found = decode(key, type, values.get(j).getValueOrElse(null));
            // An entry due for early refresh is still served here: a batch has no single loader to elect.
            if (found != null) {
                results.set(remote.get(j), served(key, found.value(), stamp));
            } else {
                missing.add(remote.get(j));
            }
        }
        if (missing.isEmpty()) {
            return results;
        }
        // Loaded together, not one by one: a feed whose authors' pages have expired costs one query.
        List<CacheKey> missingKeys = missing.stream().map(keys::get).toList();
        missingKeys.forEach(key -> metrics.result(key.spec().name(), "miss"));
        List<byte[]> leases = writer.leases(missingKeys);
        long startNanos = System.nanoTime();
        List<Optional<T>> loaded = Reads.onPrimary(() -> loader.apply(missingKeys));
        long loadNanos = System.nanoTime() - startNanos;
        for (int j = 0; j < missingKeys.size(); j++) {
            CacheKey key = missingKeys.get(j);
            metrics.loaded(key.spec().name(), loadNanos / missingKeys.size());
            if (leases.get(j) != null && writer.store(key, leases.get(j), loaded.get(j), loadNanos) && key.spec().near()
                && properties.nearSize() > 0) {
                near.put(key.redisKey(), loaded.get(j), stamp);
            }
        }
        return fill(results, missing, loaded);
    }

    private static <T> List<Optional<T>> fill(List<Optional<T>> results, List<Integer> at, List<Optional<T>> values) {
        for (int j = 0; j < at.size(); j++) {
            results.set(at.get(j), values.get(j));
        }
        return results;
    }

    @Override
    public boolean active() {
        return enabled;
    }

    /** The near cache's value, or {@code null} when this key is not kept there or is not there now. */
    @SuppressWarnings("unchecked")
    private <T> Optional<T> nearValue(CacheKey key) {
        if (!key.spec().near() || properties.nearSize() == 0 || !RecentWriteFilter.nearAllowed()) {
            return null;
        }
        Optional<T> value = (Optional<T>) near.get(key.redisKey());
        if (value != null) {
            metrics.result(key.spec().name(), "near_hit");
        }
        return value;
    }

    private <T> Optional<T> fallback(CacheKey key, Supplier<Optional<T>> loader, RuntimeException cause) {
        metrics.error(key.spec().name(), "get");
        metrics.fallback(key.spec().name());
        log.debug("cache get {} failed, reading the database: {}", key, cause.toString());
        return loader.get();
    }

    /** What Redis held for the key: served, or refreshed early, or loaded when missing or unreadable. */
    private <T> Optional<T> resolve(CacheKey key, TypeReference<T> type, Supplier<Optional<T>> loader, byte[] bytes,
                                    long stamp) {
        Found<T> found = decode(key, type, bytes);
        if (found != null && !found.refresh()) {
            return served(key, found.value(), stamp);
        }
        return load(key, loader, found == null ? null : found.value(), stamp);
    }

    /** Counts a hit and keeps the value near. */
    private <T> Optional<T> served(CacheKey key, Optional<T> value, long stamp) {
        metrics.result(key.spec().name(), value.isPresent() ? "hit" : "negative_hit");
        if (key.spec().near() && properties.nearSize() > 0) {
            near.put(key.redisKey(), value, stamp);
        }
        return value;
    }

    /** What Redis held, and whether this reader should refresh it early; {@code null} when missing or unreadable. */
    private <T> Found<T> decode(CacheKey key, TypeReference<T> type, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        try {
            CacheEntry entry = CacheEntry.decode(bytes);
            Optional<T> value = entry.found() ? Optional.of(json.readValue(entry.json(), type)) : Optional.empty();
            return new Found<>(value, entry.refreshEarly(clock.millis(), 1 - ThreadLocalRandom.current().nextDouble()));
        } catch (IOException | IllegalArgumentException e) {
            // Written by another version of the app: load it again, and the new entry replaces it.
            metrics.error(key.spec().name(), "decode");
            return null;
        }
    }

    private record Found<T>(Optional<T> value, boolean refresh) {}

    /**
     * A miss, whose lease the lookup took when it was free ({@code lease}, else {@code null}). The lease
     * holder loads and stores; a reader that finds it taken waits for this node's loader when there is
     * one, else loads for itself and does not store.
     */
    @SuppressWarnings("unchecked")
    private <T> Optional<T> loadMissing(CacheKey key, Supplier<Optional<T>> loader, byte[] lease, long stamp) {
        String cache = key.spec().name();
        if (lease == null) {
            CompletableFuture<Optional<?>> running = loading.get(key.redisKey());
            if (running != null) {
                metrics.result(cache, "coalesced");
                return (Optional<T>) await(running, key, loader);
            }
            metrics.result(cache, "miss");
            metrics.result(cache, "lease_taken");
            return Reads.onPrimary(loader);
        }
        metrics.result(cache, "miss");
        CompletableFuture<Optional<?>> mine = new CompletableFuture<>();
        loading.put(key.redisKey(), mine);
        return loadAs(mine, key, loader, () -> lease, stamp);
    }

    /**
     * Loads from the primary as this node's loader of the key ({@code mine} gives waiting readers the
     * result) and stores it under the lease, when it is still this reader's, near too.
     */
    private <T> Optional<T> loadAs(CompletableFuture<Optional<?>> mine, CacheKey key, Supplier<Optional<T>> loader,
                                   Supplier<byte[]> lease, long stamp) {
        try {
            byte[] token = lease.get();
            long startNanos = System.nanoTime();
            Optional<T> value = Reads.onPrimary(loader);
            long loadNanos = System.nanoTime() - startNanos;
            metrics.loaded(key.spec().name(), loadNanos);
            if (token != null && writer.store(key, token, value, loadNanos) && key.spec().near()
                && properties.nearSize() > 0) {
                near.put(key.redisKey(), value, stamp);
            }
            mine.complete(value);
            return value;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            loading.remove(key.redisKey(), mine);
        }
    }

    /** One loader per key on this node; an early refresh that finds one running serves the cached value. */
    @SuppressWarnings("unchecked")
    private <T> Optional<T> load(CacheKey key, Supplier<Optional<T>> loader, Optional<T> stillCached, long stamp) {
        String cache = key.spec().name();
        CompletableFuture<Optional<?>> mine = new CompletableFuture<>();
        CompletableFuture<Optional<?>> running = loading.putIfAbsent(key.redisKey(), mine);
        if (running != null) {
            metrics.result(cache, "coalesced");
            return stillCached != null ? stillCached : (Optional<T>) await(running, key, loader);
        }
        metrics.result(cache, stillCached == null ? "miss" : "early_refresh");
        return loadAs(mine, key, loader, () -> writer.leases(List.of(key)).get(0), stamp);
    }

    private <T> Optional<?> await(CompletableFuture<Optional<?>> running, CacheKey key, Supplier<Optional<T>> loader) {
        try {
            return running.get(WAIT_FOR_OTHER_LOADER.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            log.warn("the loader of {} has run for {} ms; loading it here too", key, WAIT_FOR_OTHER_LOADER.toMillis());
            return loader.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the loader of " + key, e);
        }
    }

    @Override
    public void put(CacheKey key, Object value, CacheKey... invalidated) {
        writer.put(key, value, invalidated);
    }

    @Override
    public void invalidate(CacheKey... keys) {
        writer.invalidate(keys);
    }

    private void housekeeping() {
        try {
            bus.check();
            byte[] mode = redis.get(MODE_KEY);
            boolean on = mode == null || !"off".equals(new String(mode, StandardCharsets.UTF_8));
            if (on != enabled) {
                log.info("cache switched {}", on ? "on" : "off (every read goes to the database)");
                near.distrust();
                enabled = on;
            }
        } catch (RuntimeException e) {
            log.debug("cache housekeeping: {}", e.toString());
        }
    }

    @Override
    public void close() {
        housekeeping.shutdownNow();
        bus.close();
        connection.close();
    }
}
