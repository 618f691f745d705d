package dev.millions.app.cache;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The cache tier, from {@code millions.cache.*}. With no {@code nodes} there is none: every read goes to
 * the database and sessions stay in it.
 *
 * @param nodes the Redis Cluster's nodes, {@code host:port,host:port,...} (any of them: the client
 *              learns the rest)
 * @param commandTimeout how long one cache command may take before the database answers instead; short,
 *                       since a cache that hangs is worse than none
 * @param sessionTimeout the same for the session store, whose answer the request cannot do without
 * @param maxValue the largest value stored; larger ones are served but not cached
 * @param nearSize how many entries each web node keeps in its own memory (0: no near cache)
 * @param nearTtl how long a near entry lives: the staleness bound only for an invalidation lost while the
 *                subscription seemed up; otherwise pub/sub delivers it within milliseconds
 * @param modePoll how often the node reads the cache's on/off switch from Redis
 */
@ConfigurationProperties("millions.cache")
public record CacheProperties(@DefaultValue("") String nodes,
                              @DefaultValue("250ms") Duration commandTimeout,
                              @DefaultValue("1s") Duration sessionTimeout,
                              @DefaultValue("512KB") DataSize maxValue,
                              @DefaultValue("2000") int nearSize,
                              @DefaultValue("30s") Duration nearTtl,
                              @DefaultValue("1s") Duration modePoll) {

    public CacheProperties {
        CacheSpec.checkArgument(!commandTimeout.isNegative() && !commandTimeout.isZero(),
                                "millions.cache.command-timeout: %s (expected: > 0)", commandTimeout);
        CacheSpec.checkArgument(maxValue.toBytes() > 0, "millions.cache.max-value: %s (expected: > 0)", maxValue);
        CacheSpec.checkArgument(nearSize >= 0, "millions.cache.near-size: %s (expected: >= 0)", nearSize);
    }

    boolean enabled() {
        return !nodes.isBlank();
    }
}
