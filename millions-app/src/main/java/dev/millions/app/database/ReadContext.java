package dev.millions.app.database;

import java.util.OptionalLong;

/**
 * Whether the request on this thread may read from a replica, and how far that replica must have
 * replayed: the WAL position of the user's last write, from their session. Only safe requests (GET,
 * HEAD) get one; everything else reads where it writes, on the primary.
 */
final class ReadContext {

    private static final ThreadLocal<Long> MIN_POSITION = new ThreadLocal<>();

    private ReadContext() {}

    static void allowReplicaReads(long minPosition) {
        MIN_POSITION.set(minPosition);
    }

    static void clear() {
        MIN_POSITION.remove();
    }

    /** The position a replica must have replayed, or empty when this request reads from the primary. */
    static OptionalLong minPosition() {
        Long position = MIN_POSITION.get();
        return position == null ? OptionalLong.empty() : OptionalLong.of(position);
    }
}
