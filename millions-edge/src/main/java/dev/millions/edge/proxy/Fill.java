package dev.millions.edge.proxy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import dev.millions.edge.cache.CacheKey;
import dev.millions.edge.cache.Entry;
import dev.millions.edge.cache.StoragePolicy;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;

/**
 * One origin fetch for one key, which every request that misses the key while it runs waits on, as
 * nginx's {@code proxy_cache_lock} does: the answer is read whole into one buffer (it is at most the
 * largest storable object), judged, stored when it may be, and handed to every waiter on its own event
 * loop. An answer that outgrows the limit streams on to the fill's leader (the request that started it),
 * and the other waiters fetch on their own. A fill belongs to no client: the leader going away does not
 * end it, so the waiters still get their answer.
 */
final class Fill implements ResponseSink {

    /** A request waiting on a fill. */
    interface Waiter {

        /** Called on the waiter's own event loop. */
        void filled(Outcome outcome, boolean leader);

        ChannelHandlerContext client();

        /** The answer outgrew the store: the leader takes it as it streams. */
        ResponseSink streamTo();
    }

    /** What a fill ended with. */
    sealed interface Outcome {}

    /** Stored (or, after a 304, updated): serve it. */
    record Stored(Entry entry, int fwdStatus) implements Outcome {}

    /** An answer that may not be stored, whole: each waiter gets its own reference to the body. */
    record Unstored(HttpResponse head, ByteBuf body, String why) implements Outcome {}

    /** The origin failed; {@code stale} is the copy that stale-if-error allows, or {@code null}. */
    record Failed(int status, String detail, Entry stale) implements Outcome {}

    /** The answer went to the leader as it streamed, or was given up: the others fetch on their own. */
    record Passed(String why) implements Outcome {}

    private final CacheStage stage;
    private final CacheKey key;
    private final Entry stale;
    private final HttpRequest request;
    private final HttpHeaders clientHeaders;
    private final List<Waiter> waiters = new ArrayList<>();
    private Waiter leader;
    private boolean finished;
    private RequestHandler.Handling handling;
    private ScheduledFuture<?> ticks;
    private EventExecutor executor;
    private long requestTimeMillis;
    private long startNanos;
    private HttpResponse head;
    private ByteBuf buffer;
    private ResponseSink streaming;

    /**
     * @param key the key waiters collapse on
     * @param stale the stored copy being revalidated, or {@code null}
     * @param request what goes to the origin: a GET of its own, validators of the stored copy included
     * @param clientHeaders the first client's head, which the answer's variant is keyed with
     */
    Fill(CacheStage stage, CacheKey key, Entry stale, HttpRequest request, HttpHeaders clientHeaders) {
        this.stage = stage;
        this.key = key;
        this.stale = stale;
        this.request = request;
        this.clientHeaders = clientHeaders;
    }

    CacheKey key() {
        return key;
    }

    /** Adds a waiter; {@code false} when the fill has ended, and the caller starts another. */
    synchronized boolean join(Waiter waiter) {
        if (finished) {
            return false;
        }
        waiters.add(waiter);
        return true;
    }

    /** Starts the fetch on {@code ctx}'s event loop, with {@code leader} (or nobody, for a background refresh) first. */
    void start(ChannelHandlerContext ctx, BackendPool pool, RequestInfo info, Waiter first) {
        leader = first;
        if (first != null) {
            join(first);
        }
        executor = ctx.executor();
        requestTimeMillis = stage.cache.now();
        startNanos = stage.ticker.getAsLong();
        handling = stage.origin.handle(new RequestHandler.Call(ctx, pool, request, info, this));
        handling.onRequestContent(LastHttpContent.EMPTY_LAST_CONTENT);
        // Before the start, which can end the fetch at once (no backend): then the ticks stop again.
        ticks = executor.scheduleAtFixedRate(() -> handling.checkDeadline(stage.ticker.getAsLong()),
                                             100, 100, TimeUnit.MILLISECONDS);
        handling.start();
    }

    /** The leader went away while the answer streamed to it. */
    void abortStreaming() {
        if (streaming != null) {
            stopTicks();
            handling.abort();
        }
    }

    /**
     * The exchange ended: its deadline needs no more checking. Not at {@link #finish}, which comes early
     * when the answer streams on to the leader (or is read and dropped), still with a deadline to keep.
     */
    private void stopTicks() {
        if (ticks != null) {
            ticks.cancel(false);
        }
    }

    @Override
    public void write(HttpObject part) {
        accept(part, false);
    }

    @Override
    public Future<Void> writeAndFlush(HttpObject part) {
        Future<Void> written = accept(part, true);
        return written != null ? written : executor.newSucceededFuture(null);
    }

    private Future<Void> accept(HttpObject part, boolean flush) {
        if (streaming != null) {
            if (flush) {
                return streaming.writeAndFlush(part);
            }
            streaming.write(part);
            return null;
        }
        if (finished) {
            ReferenceCountUtil.release(part);
            return null;
        }
        if (part instanceof HttpResponse response) {
            head = response;
            long length = HttpUtil.getContentLength(response, -1L);
            if (length > stage.maxObjectBytes) {
                stream();
                return null;
            }
            buffer = stage.allocator.directBuffer(length >= 0 ? (int) length : 8192);
        }
        if (part instanceof HttpContent content) {
            if (buffer.readableBytes() + content.content().readableBytes() > stage.maxObjectBytes) {
                buffer.writeBytes(content.content());
                content.release();
                stream();
                return null;
            }
            buffer.writeBytes(content.content());
            content.release();
        }
        return null;
    }

    /** The answer is too large to store: it streams to the leader, if there still is one, or is given up. */
    private void stream() {
        ResponseSink sink = leader == null ? null : leader.streamTo();
        stage.cache.markHitForMiss(key.url());
        if (sink == null) {
            // Nobody to stream to: the rest of the answer is read and dropped (aborting here would pull the
            // exchange's state from under the write that called us).
            if (buffer != null) {
                buffer.release();
                buffer = null;
            }
            finish(new Passed("too-large"));
            return;
        }
        streaming = sink;
        sink.write(head);
        if (buffer != null) {
            sink.write(new DefaultHttpContent(buffer));
            buffer = null;
        }
        finish(new Passed("too-large"));
    }

    @Override
    public void done(HttpObject last, int status, boolean keepAlive) {
        stopTicks();
        if (streaming != null) {
            streaming.done(last, status, keepAlive);
            return;
        }
        accept(last, false);
        if (streaming != null) {
            // The last part pushed the answer over the limit: it went to the leader, which still needs its end.
            streaming.done(LastHttpContent.EMPTY_LAST_CONTENT, status, keepAlive);
            return;
        }
        if (finished) {
            return;
        }
        stage.metrics().originFetches.increment();
        stage.metrics().originFetchNanos.add(stage.ticker.getAsLong() - startNanos);
        finish(judge(status));
    }

    private Outcome judge(int status) {
        long now = stage.cache.now();
        HttpHeaders headers = head.headers();
        headers.remove("x-request-id");
        headers.remove(HttpHeaderNames.CONNECTION);
        headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
        headers.set(HttpHeaderNames.CONTENT_LENGTH, buffer.readableBytes());
        if (status == 304 && stale != null) {
            buffer.release();
            return revalidated(headers, now);
        }
        if (status >= 500 && stale != null && stale.servableOnError(now)) {
            buffer.release();
            return new Failed(status, "the origin answered " + status, stale);
        }
        StoragePolicy.Verdict verdict = stage.policy.judge(clientHeaders, status, headers, now);
        if (!verdict.storable()) {
            if (status < 500) {
                stage.cache.markHitForMiss(key.url());
            }
            return new Unstored(head, buffer, verdict.refusal());
        }
        CacheKey stored = stage.cache.keyFor(key.url(), headers.getAll(HttpHeaderNames.VARY), clientHeaders);
        Entry entry = new Entry(stored, status, headers, buffer, requestTimeMillis, now, verdict.freshness());
        stage.cache.store(entry, headers.getAll(HttpHeaderNames.VARY));
        return new Stored(entry, status);
    }

    /** RFC 9111 4.3.4: the 304's fields replace the stored ones, and the entry's freshness starts again. */
    private Outcome revalidated(HttpHeaders notModified, long now) {
        stage.metrics().revalidated.increment();
        HttpHeaders merged = stale.headers().copy();
        // The stored Age (and Date) describe the old answer; kept, they would make the renewed entry stale.
        merged.remove(HttpHeaderNames.AGE);
        if (!notModified.contains(HttpHeaderNames.DATE)) {
            merged.remove(HttpHeaderNames.DATE);
        }
        for (String name : notModified.names()) {
            if (!name.equalsIgnoreCase("content-length")) {
                merged.set(name, notModified.getAll(name));
            }
        }
        StoragePolicy.Verdict verdict = stage.policy.judge(clientHeaders, stale.status(), merged, now);
        Entry updated = verdict.storable() ? stale.revalidated(merged, requestTimeMillis, now, verdict.freshness()) : null;
        if (updated == null) {
            stage.cache.invalidate(key.url());
            return new Passed("revalidated-uncacheable");
        }
        stage.cache.store(updated, merged.getAll(HttpHeaderNames.VARY));
        return new Stored(updated, 304);
    }

    @Override
    public void failed(int status, String detail, boolean requestComplete) {
        stopTicks();
        if (streaming != null) {
            streaming.failed(status, detail, requestComplete);
            return;
        }
        originFailed(status, detail);
    }

    @Override
    public void aborted(String reason) {
        stopTicks();
        if (streaming != null) {
            streaming.aborted(reason);
            return;
        }
        originFailed(502, "the origin's answer broke off: " + reason);
    }

    private void originFailed(int status, String detail) {
        if (buffer != null) {
            buffer.release();
            buffer = null;
        }
        if (finished) {
            return;
        }
        boolean staleAllowed = stale != null && stale.servableOnError(stage.cache.now());
        finish(new Failed(status, detail, staleAllowed ? stale : null));
    }

    private void finish(Outcome outcome) {
        List<Waiter> served;
        synchronized (this) {
            finished = true;
            served = List.copyOf(waiters);
            waiters.clear();
        }
        stage.fillEnded(this);
        for (Waiter waiter : served) {
            boolean first = waiter == leader;
            if (first && streaming != null) {
                continue;
            }
            Outcome own = outcome instanceof Unstored unstored
                          ? new Unstored(unstored.head(), unstored.body().retainedDuplicate(), unstored.why()) : outcome;
            waiter.client().executor().execute(() -> waiter.filled(own, first));
        }
        if (outcome instanceof Unstored unstored) {
            unstored.body().release();
        }
    }
}
