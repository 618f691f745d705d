package dev.millions.app.cache;

import java.time.Duration;

/**
 * One kind of cached value: its name (the first part of its keys and the {@code cache} tag of its
 * metrics) and how long an entry lives.
 *
 * @param ttl how long a found value stays; each entry gets up to 20 % more, at random, so that values
 *            cached together do not all expire together
 * @param negativeTtl how long "there is no such thing" stays: short, so that a name probed before it
 *                    was taken does not stay unknown for long (writes also invalidate it)
 * @param near whether the hottest entries are also kept in each web node's memory
 */
public record CacheSpec(String name, Duration ttl, Duration negativeTtl, boolean near) {

    public CacheSpec {
        checkArgument(name.matches("[a-z][a-z0-9-]{0,30}"), "name: %s (expected: [a-z][a-z0-9-]{0,30})", name);
        checkArgument(!ttl.isNegative() && !ttl.isZero(), "ttl: %s (expected: > 0)", ttl);
        checkArgument(!negativeTtl.isNegative() && !negativeTtl.isZero(), "negativeTtl: %s (expected: > 0)",
                      negativeTtl);
    }

    /** The key of one entry: the parts, each escaped, after the name. */
    public CacheKey key(Object... parts) {
        return CacheKey.of(this, parts);
    }

    static void checkArgument(boolean expression, String template, Object... args) {
        if (!expression) {
            throw new IllegalArgumentException(String.format(template, args));
        }
    }
}
