package dev.millions.edge.proxy;

import java.util.function.BiConsumer;

import dev.millions.edge.cache.CacheStatus;
import dev.millions.edge.cache.StoredAnswer;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;

/**
 * The sink of an answer that passes the cache by: its head loses the fields only the edge reads and
 * gains a {@code Cache-Status}; an optional hook sees a non-error head (an unsafe method's invalidation).
 */
final class EdgeHeadSink extends ForwardingSink {

    private final String cacheStatus;
    private final BiConsumer<HttpHeaders, Integer> onSuccess;

    EdgeHeadSink(ResponseSink client, String cacheStatus, BiConsumer<HttpHeaders, Integer> onSuccess) {
        super(client);
        this.cacheStatus = cacheStatus;
        this.onSuccess = onSuccess;
    }

    @Override
    void see(HttpObject part) {
        if (part instanceof HttpResponse head) {
            StoredAnswer.stripEdgeOnly(head.headers());
            int status = head.status().code();
            head.headers().set(CacheStatus.HEADER, cacheStatus + "; fwd-status=" + status);
            if (onSuccess != null && status < 400) {
                onSuccess.accept(head.headers(), status);
            }
        }
    }
}
