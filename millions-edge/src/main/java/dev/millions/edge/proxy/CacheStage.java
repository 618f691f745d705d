package dev.millions.edge.proxy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import dev.millions.edge.cache.CacheKey;
import dev.millions.edge.cache.CacheStatus;
import dev.millions.edge.cache.Entry;
import dev.millions.edge.cache.ResponseCache;
import dev.millions.edge.cache.StoragePolicy;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;

/**
 * The CDN edge's stage in front of an origin: GETs answered from the store when fresh, misses of one key
 * collapsed into one {@link Fill}, stale copies served while one background fetch refreshes them (RFC
 * 5861) or when the origin fails, HEADs answered from a stored GET, unsafe methods invalidating what they
 * change (RFC 9111 4.4), and everything else passed through. Every answer says what happened in its
 * {@code Cache-Status}.
 */
final class CacheStage implements RequestHandler {

    /** The client's own validators and range: answered from the entry, never sent with a fill. */
    private static final List<String> CLIENT_ONLY = List.of("if-none-match", "if-modified-since", "if-match",
                                                            "if-unmodified-since", "if-range", "range", "cache-control",
                                                            "pragma");

    final ResponseCache cache;
    final RequestHandler origin;
    final StoragePolicy policy;
    final long maxObjectBytes;
    final long lockTimeoutMillis;
    final LongSupplier ticker;
    final ByteBufAllocator allocator = ByteBufAllocator.DEFAULT;
    final String name;
    private final Map<CacheKey, Fill> fills = new ConcurrentHashMap<>();

    CacheStage(String name, ResponseCache cache, RequestHandler origin, StoragePolicy policy, long maxObjectBytes,
               long lockTimeoutMillis, LongSupplier ticker) {
        this.name = name;
        this.cache = cache;
        this.origin = origin;
        this.policy = policy;
        this.maxObjectBytes = maxObjectBytes;
        this.lockTimeoutMillis = lockTimeoutMillis;
        this.ticker = ticker;
    }

    @Override
    public Handling handle(Call call) {
        HttpMethod method = call.request().method();
        if (method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD)) {
            return new CacheLookup(this, call);
        }
        boolean unsafe = !method.equals(HttpMethod.OPTIONS) && !method.equals(HttpMethod.TRACE);
        CacheKey url = url(call.request());
        return origin.handle(new Call(call.client(), call.pool(), call.request(), call.info(),
                                      new EdgeHeadSink(call.sink(), status().fwd("method").toString(),
                                                       unsafe ? (head, status) -> invalidate(url, head) : null)));
    }

    ResponseCache.CacheMetrics metrics() {
        return cache.metrics();
    }

    CacheStatus status() {
        return CacheStatus.of(name);
    }

    static CacheKey url(HttpRequest request) {
        return CacheKey.of(request.headers().get(HttpHeaderNames.HOST), request.uri());
    }

    /** The running fill for {@code key}, joined by {@code waiter}; {@code null} when there is none to join. */
    Fill join(CacheKey key, Fill.Waiter waiter) {
        Fill running = fills.get(key);
        return running != null && running.join(waiter) ? running : null;
    }

    /** Registers a new fill for {@code key}; {@code false} when another got there first. */
    boolean claim(Fill fill) {
        return fills.putIfAbsent(fill.key(), fill) == null;
    }

    boolean filling(CacheKey key) {
        return fills.containsKey(key);
    }

    void fillEnded(Fill fill) {
        fills.remove(fill.key(), fill);
    }

    /** The GET a fill sends: the client's head without its validators and range, with the stored copy's. */
    HttpRequest fillRequest(HttpRequest client, Entry stale) {
        HttpHeaders headers = client.headers().copy();
        CLIENT_ONLY.forEach(headers::remove);
        headers.remove(HttpHeaderNames.CONTENT_LENGTH);
        headers.set(HttpHeaderNames.ACCEPT_ENCODING, CacheKey.normalizedEncoding(client.headers().get(HttpHeaderNames.ACCEPT_ENCODING)));
        if (stale != null) {
            if (stale.etag() != null) {
                headers.set(HttpHeaderNames.IF_NONE_MATCH, stale.etag());
            }
            if (stale.lastModified() != null) {
                headers.set(HttpHeaderNames.IF_MODIFIED_SINCE, stale.lastModified());
            }
        }
        return new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, client.uri(), headers);
    }

    /**
     * RFC 9111 4.4: a successful unsafe request invalidates its target, and the URLs in its {@code Location}
     * and {@code Content-Location} when they are on the same host.
     */
    private void invalidate(CacheKey url, HttpHeaders head) {
        cache.invalidate(url);
        for (String field : List.of("location", "content-location")) {
            String value = head.get(field);
            if (value != null && value.startsWith("/")) {
                cache.invalidate(CacheKey.of(url.host(), value));
            } else if (value != null) {
                String sameHost = "://" + url.host();
                int at = value.indexOf(sameHost);
                int path = at < 0 ? -1 : at + sameHost.length();
                if (path > 0 && path < value.length() && value.charAt(path) == '/') {
                    cache.invalidate(CacheKey.of(url.host(), value.substring(path)));
                }
            }
        }
    }
}
