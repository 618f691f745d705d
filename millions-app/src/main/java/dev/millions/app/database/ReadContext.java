package dev.millions.app.database;

import java.util.Map;
import java.util.OptionalLong;

/**
 * Whether the request on this thread may read from a replica, and how far each cluster's replica must
 * have replayed: the WAL position of the user's last write on that cluster, from their session. Only
 * safe requests (GET, HEAD) get one; everything else reads where it writes, on the primary.
 */
final class ReadContext {

    private static final ThreadLocal<Map<String, Long>> MIN_POSITIONS = new ThreadLocal<>();

    private ReadContext() {}

    static void allowReplicaReads(Map<String, Long> minPositions) {
        MIN_POSITIONS.set(Map.copyOf(minPositions));
    }

    static void clear() {
        MIN_POSITIONS.remove();
    }

    /** Every cluster's position, or null when this request reads from the primaries. */
    static Map<String, Long> minPositions() {
        return MIN_POSITIONS.get();
    }

    /**
     * The position a replica of {@code cluster} must have replayed (0 when the user never wrote there),
     * or empty when this request reads from the primary.
     */
    static OptionalLong minPosition(String cluster) {
        Map<String, Long> positions = MIN_POSITIONS.get();
        return positions == null ? OptionalLong.empty() : OptionalLong.of(positions.getOrDefault(cluster, 0L));
    }
}
