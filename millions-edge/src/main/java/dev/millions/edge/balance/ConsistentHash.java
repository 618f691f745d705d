package dev.millions.edge.balance;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Affinity: the same key (client IP, a header, a cookie) goes to the same backend while the set of
 * backends stays the same, and a change moves only about 1/N of the keys.
 *
 * <p>Design: a hash ring with virtual nodes (Karger et al., "Consistent Hashing and Random Trees",
 * 1997; ketama's 160 points per server scaled by weight), hashed with 64-bit FNV-1a and a murmur3
 * finalizer for spread. The ring is rebuilt only when the candidate list changes. Requests without a
 * key fall back to round robin.
 */
final class ConsistentHash implements Balancer {

    private static final int POINTS_PER_WEIGHT = 160;

    private final Balancer fallback;
    private volatile Ring ring = new Ring(List.of(), new TreeMap<>());

    ConsistentHash(Balancer fallback) {
        this.fallback = fallback;
    }

    @Override
    public Backend pick(List<Backend> candidates, String hashKey, long nowNanos) {
        if (hashKey == null) {
            return fallback.pick(candidates, null, nowNanos);
        }
        Ring current = ring;
        if (!current.members.equals(candidates)) {
            current = build(candidates);
            ring = current;
        }
        Map.Entry<Long, Backend> entry = current.points.ceilingEntry(hash(hashKey));
        return entry != null ? entry.getValue() : current.points.firstEntry().getValue();
    }

    private static Ring build(List<Backend> candidates) {
        TreeMap<Long, Backend> points = new TreeMap<>();
        for (Backend backend : candidates) {
            for (int i = 0; i < POINTS_PER_WEIGHT * backend.weight(); i++) {
                points.put(hash(backend.id() + '#' + i), backend);
            }
        }
        return new Ring(List.copyOf(candidates), points);
    }

    static long hash(String key) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b;
            hash *= 0x100000001b3L;
        }
        hash ^= hash >>> 33;
        hash *= 0xff51afd7ed558ccdL;
        hash ^= hash >>> 33;
        hash *= 0xc4ceb9fe1a85ec53L;
        hash ^= hash >>> 33;
        return hash;
    }

    private record Ring(List<Backend> members, TreeMap<Long, Backend> points) {}
}
