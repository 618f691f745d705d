package dev.millions.app.cache;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * An entry as stored in Redis: a small header, then the value's JSON. The header carries what
 * probabilistic early refresh needs.
 *
 * <p>Design: XFetch, from Vattani, Chierichetti and Lowenstein, "Optimal Probabilistic Cache Stampede
 * Prevention" (VLDB 2015). A reader recomputes the value before it expires when
 * {@code now - delta * beta * ln(random) >= expiry}, {@code delta} being how long the value took to
 * compute. The chance grows as the expiry nears and with the cost of the value, so that one reader,
 * not all of them at once, refreshes a hot key shortly before it would have vanished.
 *
 * @param found whether the loader found a value; {@code false} is a negative entry with no JSON
 * @param expiresAtMillis when Redis drops the entry (epoch milliseconds)
 * @param computeMillis how long the loader took
 */
record CacheEntry(boolean found, long expiresAtMillis, int computeMillis, byte[] json) {

    private static final byte MAGIC = 'M';
    private static final byte VERSION = 1;
    private static final int HEADER = 2 + 1 + 8 + 4;
    private static final double BETA = 1.0;

    byte[] encode() {
        return ByteBuffer.allocate(HEADER + json.length).put(MAGIC).put(VERSION).put((byte) (found ? 1 : 0))
                         .putLong(expiresAtMillis).putInt(computeMillis).put(json).array();
    }

    /** @throws IllegalArgumentException when the bytes are not an entry of this version */
    static CacheEntry decode(byte[] bytes) {
        if (bytes.length < HEADER || bytes[0] != MAGIC || bytes[1] != VERSION) {
            throw new IllegalArgumentException("not a cache entry of version " + VERSION + " (" + bytes.length
                                               + " bytes)");
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes, 2, HEADER - 2);
        boolean found = buffer.get() == 1;
        return new CacheEntry(found, buffer.getLong(), buffer.getInt(), Arrays.copyOfRange(bytes, HEADER, bytes.length));
    }

    /**
     * Whether this reader should recompute now.
     *
     * @param random uniform in (0, 1]
     */
    boolean refreshEarly(long nowMillis, double random) {
        return nowMillis - Math.max(computeMillis, 1) * BETA * Math.log(random) >= expiresAtMillis;
    }
}
