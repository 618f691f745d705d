package dev.millions.edge.limit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per client IP: {@code ratePerSecond} tokens a second up to {@code burst}. Buckets idle
 * long enough to be full again are dropped on a sweep, so memory follows active clients only.
 */
public final class RateLimiter {

    private final double ratePerSecond;
    private final double burst;
    private final LongSupplier ticker;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public RateLimiter(double ratePerSecond, double burst, LongSupplier ticker) {
        this.ratePerSecond = ratePerSecond;
        this.burst = Math.max(1, burst);
        this.ticker = ticker;
    }

    /** @return 0 when allowed, else the nanos until a token is there */
    public long acquire(String client) {
        long now = ticker.getAsLong();
        Bucket bucket = buckets.computeIfAbsent(client, c -> new Bucket(burst, now));
        synchronized (bucket) {
            bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.stamp) / 1e9 * ratePerSecond);
            bucket.stamp = now;
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return 0;
            }
            return (long) Math.ceil((1 - bucket.tokens) / ratePerSecond * 1e9);
        }
    }

    /** Drops the buckets that are full again: their clients have been quiet. */
    public void sweep() {
        long now = ticker.getAsLong();
        buckets.entrySet().removeIf(entry -> {
            Bucket bucket = entry.getValue();
            synchronized (bucket) {
                return bucket.tokens + (now - bucket.stamp) / 1e9 * ratePerSecond >= burst;
            }
        });
    }

    public int clients() {
        return buckets.size();
    }

    private static final class Bucket {
        double tokens;
        long stamp;

        Bucket(double tokens, long stamp) {
            this.tokens = tokens;
            this.stamp = stamp;
        }
    }
}
