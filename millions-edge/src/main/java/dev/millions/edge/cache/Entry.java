package dev.millions.edge.cache;

import java.util.Set;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * A stored answer: its status, its head as the origin sent it, its body in one direct buffer that is
 * written to clients without a copy, and the times RFC 9111 4.2.3 computes its age from. The body is
 * released when the entry leaves the store; a client being served holds a reference of its own.
 */
public final class Entry {

    private final CacheKey key;
    private final int status;
    private final HttpHeaders headers;
    private final ByteBuf body;
    private final long requestTimeMillis;
    private final long responseTimeMillis;
    private final long correctedInitialAgeMillis;
    private final StoragePolicy.Freshness freshness;
    private final Set<String> tags;
    private final int heapBytes;
    private final int size;
    /** Guarded by {@code this}: once released, no client may take a reference (the buffer may be reused). */
    private boolean released;
    private volatile long softPurgedAtMillis;

    /**
     * @param requestTimeMillis when the request that brought this answer was sent
     * @param responseTimeMillis when the answer arrived
     */
    public Entry(CacheKey key, int status, HttpHeaders headers, ByteBuf body, long requestTimeMillis,
                 long responseTimeMillis, StoragePolicy.Freshness freshness) {
        this.key = key;
        this.status = status;
        this.headers = headers;
        this.body = body;
        this.requestTimeMillis = requestTimeMillis;
        this.responseTimeMillis = responseTimeMillis;
        this.freshness = freshness;
        long date = StoragePolicy.date(headers.get(HttpHeaderNames.DATE), responseTimeMillis);
        long apparentAge = Math.max(0, responseTimeMillis - date);
        long ageValue = ageSeconds(headers.get(HttpHeaderNames.AGE)) * 1000;
        long correctedAge = ageValue + (responseTimeMillis - requestTimeMillis);
        this.correctedInitialAgeMillis = Math.max(apparentAge, correctedAge);
        this.tags = Tags.of(headers);
        this.heapBytes = heapBytes(key, headers);
        this.size = body.readableBytes();
    }

    /**
     * What the entry holds on the heap beside its body, roughly: its key and head as Java strings (two
     * bytes a character) and the objects around them. A store of small answers is mostly this.
     */
    private static int heapBytes(CacheKey key, HttpHeaders headers) {
        long bytes = 256 + 2L * (key.host().length() + key.target().length() + key.variant().length());
        for (var field : headers) {
            bytes += 96 + 2L * (field.getKey().length() + field.getValue().length());
        }
        return (int) Math.min(Integer.MAX_VALUE, bytes);
    }

    /** Its cost to the memory tier: the body (off the heap) and what it holds on the heap. */
    public int weight() {
        return (int) Math.min(Integer.MAX_VALUE, (long) size + heapBytes);
    }

    public CacheKey key() {
        return key;
    }

    public int status() {
        return status;
    }

    /** The head as stored; callers copy it before changing anything. */
    public HttpHeaders headers() {
        return headers;
    }

    public int size() {
        return size;
    }

    /**
     * The body for one client, with a reference of its own; {@code null} when the entry left the store in
     * the meantime (the caller then treats the lookup as a miss). A flag, not the buffer's count, says so:
     * a released buffer may already serve another allocation.
     */
    public synchronized ByteBuf retainedBody() {
        return released ? null : body.retainedDuplicate();
    }

    /** The same body under a new head: the entry after a 304 updated it. */
    public Entry revalidated(HttpHeaders newHeaders, long requestTimeMillis, long responseTimeMillis,
                             StoragePolicy.Freshness newFreshness) {
        ByteBuf shared = retainedBody();
        if (shared == null) {
            return null;
        }
        return new Entry(key, status, newHeaders, shared, requestTimeMillis, responseTimeMillis, newFreshness);
    }

    synchronized void release() {
        if (!released) {
            released = true;
            body.release();
        }
    }

    public long requestTimeMillis() {
        return requestTimeMillis;
    }

    public long responseTimeMillis() {
        return responseTimeMillis;
    }

    public StoragePolicy.Freshness freshness() {
        return freshness;
    }

    public Set<String> tags() {
        return tags;
    }

    /** Its current age (RFC 9111 4.2.3), in whole seconds. */
    public long ageSeconds(long nowMillis) {
        return (correctedInitialAgeMillis + Math.max(0, nowMillis - responseTimeMillis)) / 1000;
    }

    /**
     * Seconds left of its freshness; 0 or less when stale, counted from its lifetime's end or from a soft
     * purge, whichever came first.
     */
    public long ttlSeconds(long nowMillis) {
        long ttl = freshness.lifetimeSeconds() - ageSeconds(nowMillis);
        long purgedAt = softPurgedAtMillis;
        if (purgedAt != 0) {
            ttl = Math.min(ttl, -Math.max(0, nowMillis - purgedAt) / 1000);
        }
        return ttl;
    }

    public boolean fresh(long nowMillis) {
        return !freshness.noCache() && ttlSeconds(nowMillis) > 0 && softPurgedAtMillis == 0;
    }

    /** Whether, stale, it may be served while one request refreshes it (RFC 5861 3). */
    public boolean servableWhileRevalidating(long nowMillis) {
        return !freshness.noCache() && -ttlSeconds(nowMillis) < freshness.staleWhileRevalidateSeconds();
    }

    /** Whether, stale, it may be served because the origin failed (RFC 5861 4). */
    public boolean servableOnError(long nowMillis) {
        return -ttlSeconds(nowMillis) < freshness.staleIfErrorSeconds();
    }

    void softPurge(long nowMillis) {
        if (softPurgedAtMillis == 0) {
            softPurgedAtMillis = nowMillis;
        }
    }

    public String etag() {
        return headers.get(HttpHeaderNames.ETAG);
    }

    public String lastModified() {
        return headers.get(HttpHeaderNames.LAST_MODIFIED);
    }

    /** An {@code Age} value: delta-seconds; 0 when absent or not a number. */
    private static long ageSeconds(String value) {
        if (value == null) {
            return 0;
        }
        try {
            return Math.max(0, Long.parseLong(value.strip()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
