package dev.millions.app.cache;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;

/**
 * What the cache writes to Redis: loaded values under their lease, values a writer knows, and
 * invalidations (the keys, their leases, and a message to every near cache).
 */
final class CacheWriter {

    private static final double TTL_JITTER = 0.2;
    private static final Logger log = LoggerFactory.getLogger(CacheWriter.class);

    private final StatefulRedisClusterConnection<String, byte[]> connection;
    private final RedisAdvancedClusterCommands<String, byte[]> redis;
    private final CacheProperties properties;
    private final ObjectMapper json;
    private final CacheMetrics metrics;
    private final Clock clock;
    private final NearCache near;
    private final InvalidationBus bus;

    CacheWriter(StatefulRedisClusterConnection<String, byte[]> connection, CacheProperties properties,
                ObjectMapper json, CacheMetrics metrics, Clock clock, NearCache near, InvalidationBus bus) {
        this.connection = connection;
        this.redis = connection.sync();
        this.properties = properties;
        this.json = json;
        this.metrics = metrics;
        this.clock = clock;
        this.near = near;
        this.bus = bus;
    }

    /**
     * The keys' leases before a load, asked for together (one round trip per node, not per key); each
     * {@code null} where another reader holds it or Redis failed.
     */
    List<byte[]> leases(List<CacheKey> keys) {
        RedisAdvancedClusterAsyncCommands<String, byte[]> async = connection.async();
        List<byte[]> tokens = new ArrayList<>(keys.size());
        List<RedisFuture<String>> taken = new ArrayList<>(keys.size());
        for (CacheKey key : keys) {
            byte[] token = Leases.newToken();
            tokens.add(token);
            taken.add(Leases.acquire(async, key.redisKey(), token));
        }
        try {
            LettuceFutures.awaitAll(properties.commandTimeout(), taken.toArray(RedisFuture[]::new));
        } catch (RuntimeException e) {
            // Each future says below whether it was answered.
            log.debug("cache leases: {}", e.toString());
        }
        for (int i = 0; i < keys.size(); i++) {
            String cache = keys.get(i).spec().name();
            CompletableFuture<String> future = taken.get(i).toCompletableFuture();
            if (!future.isDone() || future.isCompletedExceptionally()) {
                metrics.error(cache, "lease");
                tokens.set(i, null);
            } else if (!"OK".equals(future.join())) {
                metrics.result(cache, "lease_taken");
                tokens.set(i, null);
            }
        }
        return tokens;
    }

    /** @return whether it is being stored: a value over the size limit is not */
    boolean store(CacheKey key, byte[] lease, Optional<?> value, long loadNanos) {
        String cache = key.spec().name();
        try {
            byte[] body = value.isPresent() ? json.writeValueAsBytes(value.get()) : new byte[0];
            if (body.length > properties.maxValue().toBytes()) {
                metrics.refused(cache);
                log.info("not caching {}: {} bytes (limit {})", key, body.length, properties.maxValue().toBytes());
                return false;
            }
            Duration ttl = value.isPresent() ? key.spec().ttl() : key.spec().negativeTtl();
            long ttlMillis = ttl.toMillis() + (long) (ttl.toMillis() * TTL_JITTER
                                                      * ThreadLocalRandom.current().nextDouble());
            CacheEntry entry = new CacheEntry(value.isPresent(), clock.millis() + ttlMillis,
                                              (int) Math.min(Integer.MAX_VALUE, loadNanos / 1_000_000), body);
            // Not waited for: the caller has its value; a failed write only means the next reader loads it too.
            // "Not found" is only stored where nothing is, so it never hides a value a writer put meanwhile.
            Leases.storeIfLeased(connection.async(), key.redisKey(), lease, entry.encode(), ttlMillis, value.isEmpty())
                  .whenComplete((stored, failure) -> {
                      if (failure != null) {
                          metrics.error(cache, "set");
                      } else if (!Boolean.TRUE.equals(stored)) {
                          metrics.result(cache, "store_refused");
                      }
                  });
            return true;
        } catch (IOException | RuntimeException e) {
            metrics.error(cache, "set");
            log.debug("cache set {} failed: {}", key, e.toString());
            return false;
        }
    }

    /** See {@link ReadCache#put}. */
    void put(CacheKey key, Object value, CacheKey... invalidated) {
        CacheKey[] touched = Stream.concat(Stream.of(key), Arrays.stream(invalidated)).toArray(CacheKey[]::new);
        String[] stale = redisKeys(invalidated);
        try {
            byte[] body = json.writeValueAsBytes(value);
            if (body.length > properties.maxValue().toBytes()) {
                metrics.refused(key.spec().name());
                invalidate(touched);
                return;
            }
            long ttlMillis = key.spec().ttl().toMillis();
            // Waited for: the writer's next read on another node (which skips the near caches for a moment)
            // must find it. The lease and the key share a slot, so both commands go down one connection in
            // one round trip; the stale keys' deletes go out with them, not one round trip later.
            RedisAdvancedClusterAsyncCommands<String, byte[]> async = connection.async();
            List<RedisFuture<?>> sent = new ArrayList<>(3);
            sent.add(async.del(Leases.leaseKey(key.redisKey())));
            sent.add(async.set(key.redisKey(), new CacheEntry(true, clock.millis() + ttlMillis, 0, body).encode(),
                               SetArgs.Builder.px(ttlMillis)));
            if (stale.length > 0) {
                sent.add(async.del(Leases.withLeases(stale)));
            }
            await(sent.toArray(RedisFuture[]::new));
            // After Redis, as an invalidation: a reader here that read the old entry has its near put undone.
            String[] changed = redisKeys(touched);
            near.invalidate(changed);
            metrics.invalidated(stale.length);
            long stamp = near.stamp();
            bus.publish(async, changed);
            // The writer's read-back on this node needs no round trip.
            if (key.spec().near() && properties.nearSize() > 0) {
                near.put(key.redisKey(), Optional.of(value), stamp);
            }
        } catch (IOException | RuntimeException e) {
            metrics.error(key.spec().name(), "put");
            log.warn("cannot put {}: {}", key, e.toString());
            invalidate(touched);
        }
    }

    private static String[] redisKeys(CacheKey... keys) {
        return Arrays.stream(keys).map(CacheKey::redisKey).toArray(String[]::new);
    }

    /** Waits for the commands as the synchronous API would: the command timeout, then an exception. */
    private void await(RedisFuture<?>... futures) {
        if (!LettuceFutures.awaitAll(properties.commandTimeout(), futures)) {
            throw new RedisCommandTimeoutException("no answer within " + properties.commandTimeout().toMillis() + " ms");
        }
    }

    /** See {@link ReadCache#invalidate}. */
    void invalidate(CacheKey... keys) {
        String[] redisKeys = redisKeys(keys);
        deleteEverywhere(redisKeys);
        // After Redis: a reader on this node that read the old entry before the delete has its near put undone.
        near.invalidate(redisKeys);
    }

    private void deleteEverywhere(String[] keys) {
        try {
            redis.del(Leases.withLeases(keys));
            // The other nodes' near caches hear of it a moment later; the writer's own reads skip them meanwhile.
            bus.publish(connection.async(), keys).whenComplete((receivers, failure) -> {
                if (failure != null) {
                    metrics.error("all", "publish");
                }
            });
            metrics.invalidated(keys.length);
        } catch (RuntimeException e) {
            // What stays is stale until its lifetime ends; counted, so that it shows.
            metrics.error("all", "invalidate");
            log.warn("cannot invalidate {}: {}", String.join(", ", keys), e.toString());
        }
    }
}
