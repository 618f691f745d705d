package dev.millions.app.cache;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;

/**
 * Leases against the cache-aside race: a reader loads the old row, a writer commits and deletes the
 * key, and then the reader stores what it loaded, stale until it expires.
 *
 * <p>Design: leases, from Nishtala et al., "Scaling Memcache at Facebook" (NSDI 2013), section 3.2.1.
 * Before it loads, a reader takes the key's lease (a token under {@code {key}:lease}, in the key's
 * slot); an invalidation deletes the lease with the key; the reader's store succeeds only while its
 * lease is still there, checked and done in one script. A reader that finds the lease taken (another
 * is loading) loads for itself and does not store.
 */
final class Leases {

    private static final Duration LEASE = Duration.ofSeconds(3);
    private static final String STORE_IF_LEASED = """
            if redis.call('GET', KEYS[2]) ~= ARGV[1] then return 0 end
            redis.call('DEL', KEYS[2])
            if ARGV[4] == '1' then
              if redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3], 'NX') then return 1 end
              return 0
            end
            redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
            return 1""";

    // One round trip for the common miss: the entry, or else this reader's lease on it.
    private static final String GET_OR_LEASE = """
            local entry = redis.call('GET', KEYS[1])
            if entry then return {0, entry} end
            if redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2], 'NX') then return {1} end
            return {2}""";

    private Leases() {}

    /** What {@link #getOrAcquire} found: the entry, or no entry and whether this reader holds the lease. */
    record Lookup(byte[] entry, boolean leased) {}

    /**
     * The key's entry; when there is none, takes its lease with this token in the same round trip (a
     * script on the key's master).
     */
    static Lookup getOrAcquire(RedisAdvancedClusterCommands<String, byte[]> redis, String key, byte[] token) {
        List<Object> reply = redis.eval(GET_OR_LEASE, ScriptOutputType.MULTI, new String[] { key, leaseKey(key) }, token,
                                        Long.toString(LEASE.toMillis()).getBytes(StandardCharsets.US_ASCII));
        long outcome = (Long) reply.get(0);
        return outcome == 0 ? new Lookup((byte[]) reply.get(1), false) : new Lookup(null, outcome == 1);
    }

    /** The lease's key: the data key as a hash tag, so both live in one slot. */
    static String leaseKey(String key) {
        return '{' + key + "}:lease";
    }

    /** The keys and their leases: what an invalidation deletes. */
    static String[] withLeases(String... keys) {
        return Stream.concat(Arrays.stream(keys), Arrays.stream(keys).map(Leases::leaseKey)).toArray(String[]::new);
    }

    /** A new lease token, unique to one load. */
    static byte[] newToken() {
        return UUID.randomUUID().toString().getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Takes the key's lease with this token, before loading it.
     *
     * @return "OK" when taken, {@code null} when another reader holds it
     */
    static RedisFuture<String> acquire(RedisAdvancedClusterAsyncCommands<String, byte[]> redis, String key,
                                       byte[] token) {
        return redis.set(leaseKey(key), token, SetArgs.Builder.nx().px(LEASE.toMillis()));
    }

    /**
     * Stores the entry if the lease is still this reader's (nothing invalidated the key meanwhile).
     *
     * @param onlyIfAbsent store only where nothing is (a "not found" must not replace a written value)
     */
    static RedisFuture<Boolean> storeIfLeased(RedisAdvancedClusterAsyncCommands<String, byte[]> redis, String key,
                                              byte[] token, byte[] entry, long ttlMillis, boolean onlyIfAbsent) {
        return redis.eval(STORE_IF_LEASED, ScriptOutputType.BOOLEAN, new String[] { key, leaseKey(key) }, token, entry,
                          Long.toString(ttlMillis).getBytes(StandardCharsets.US_ASCII),
                          (onlyIfAbsent ? "1" : "0").getBytes(StandardCharsets.US_ASCII));
    }
}
