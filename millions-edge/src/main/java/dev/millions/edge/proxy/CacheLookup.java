package dev.millions.edge.proxy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import dev.millions.edge.cache.CacheControl;
import dev.millions.edge.cache.CacheKey;
import dev.millions.edge.cache.CacheStatus;
import dev.millions.edge.cache.Entry;
import dev.millions.edge.cache.StoredAnswer;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * A GET or HEAD at the cache: a fresh hit is answered at once; a stale copy within its
 * stale-while-revalidate window is answered at once and refreshed in the background; anything else
 * joins (or starts) the one {@link Fill} of its key and is answered when it ends, or fetches on its own
 * when the fill cannot serve it (an answer that may not be stored, the lock's timeout). Requests the
 * cache cannot help with pass through to the origin.
 */
final class CacheLookup implements RequestHandler.Handling, Fill.Waiter {

    private enum State { NEW, LOADING, WAITING, PASSING, STREAMING, DONE, GONE }

    private final CacheStage stage;
    private final RequestHandler.Call call;
    private final HttpRequest request;
    private State state = State.NEW;
    private boolean requestComplete;
    private RequestHandler.Handling passing;
    private Fill fill;
    private String fwd;
    private ScheduledFuture<?> lockTimer;

    CacheLookup(CacheStage stage, RequestHandler.Call call) {
        this.stage = stage;
        this.call = call;
        this.request = call.request();
    }

    @Override
    public void start() {
        HttpHeaders headers = request.headers();
        if (HttpUtil.isTransferEncodingChunked(request) || HttpUtil.getContentLength(request, 0L) != 0) {
            pass("bypass", "request-body");
            return;
        }
        CacheControl directives = CacheControl.parse(headers.getAll(HttpHeaderNames.CACHE_CONTROL));
        if (directives.has("no-store")) {
            pass("request", null);
            return;
        }
        CacheKey url = CacheStage.url(request);
        Entry entry = stage.cache.lookup(url, headers);
        if (entry == null) {
            CompletableFuture<Entry> loading = stage.cache.loadFromDisk(url, headers, stage.allocator);
            if (loading != null) {
                state = State.LOADING;
                loading.whenComplete((loaded, error) -> call.client().executor().execute(() -> {
                    if (state == State.LOADING) {
                        state = State.NEW;
                        decide(url, directives, loaded);
                    }
                }));
                return;
            }
        }
        decide(url, directives, entry);
    }

    /** What to do with the request, given the stored answer for it ({@code null} for none). */
    private void decide(CacheKey url, CacheControl directives, Entry entry) {
        HttpHeaders headers = request.headers();
        long now = stage.cache.now();
        boolean validate = directives.has("no-cache") || directives.seconds("max-age") == 0
                           || !directives.present() && "no-cache".equals(headers.get(HttpHeaderNames.PRAGMA));
        boolean onlyIfCached = directives.has("only-if-cached");
        if (entry != null) {
            if (!validate && entry.fresh(now)) {
                serve(entry, stage.status().hit().ttl(entry.ttlSeconds(now)));
                return;
            }
            if (!validate && entry.servableWhileRevalidating(now)) {
                stage.metrics().staleServed.increment();
                serve(entry, stage.status().hit().ttl(entry.ttlSeconds(now)).detail("stale-while-revalidate"));
                refreshInBackground(entry);
                return;
            }
            if (!onlyIfCached) {
                fwd = validate ? "request" : "stale";
                fetch(entry.key(), entry);
                return;
            }
        }
        if (onlyIfCached) {
            // RFC 9111 5.2.1.7. The request has no body (else it passed), so the connection stays usable.
            state = State.DONE;
            stage.metrics().misses.increment();
            call.sink().failed(504, "no usable stored answer, and the request asked for only-if-cached", true);
            return;
        }
        fwd = stage.cache.knows(url) ? "vary-miss" : "uri-miss";
        if (stage.cache.hitForMiss(url)) {
            pass(fwd, "hit-for-miss");
            return;
        }
        if (request.method().equals(HttpMethod.HEAD)) {
            // A HEAD does not fill: its answer has no body to store. nginx turns it into a GET instead.
            pass(fwd, null);
            return;
        }
        fetch(stage.cache.variantKey(url, headers), null);
    }

    private void fetch(CacheKey key, Entry stale) {
        Fill running = stage.join(key, this);
        if (running != null) {
            waitOn(running);
            return;
        }
        Fill own = new Fill(stage, key, stale, stage.fillRequest(request, stale), request.headers());
        if (!stage.claim(own)) {
            running = stage.join(key, this);
            if (running != null) {
                waitOn(running);
            } else {
                pass(fwd, "lock-busy");
            }
            return;
        }
        fill = own;
        state = State.WAITING;
        own.start(call.client(), call.pool(), call.info(), this);
    }

    private void waitOn(Fill running) {
        stage.metrics().collapsed.increment();
        fill = running;
        state = State.WAITING;
        lockTimer = call.client().executor().schedule(() -> {
            if (state == State.WAITING) {
                pass(fwd, "lock-timeout");
            }
        }, stage.lockTimeoutMillis, TimeUnit.MILLISECONDS);
    }

    private void refreshInBackground(Entry stale) {
        if (stage.filling(stale.key())) {
            return;
        }
        Fill refresh = new Fill(stage, stale.key(), stale, stage.fillRequest(request, stale), request.headers());
        if (stage.claim(refresh)) {
            refresh.start(call.client(), call.pool(), call.info(), null);
        }
    }

    @Override
    public void filled(Fill.Outcome outcome, boolean leader) {
        if (state != State.WAITING) {
            if (outcome instanceof Fill.Unstored unstored) {
                unstored.body().release();
            }
            return;
        }
        if (lockTimer != null) {
            lockTimer.cancel(false);
        }
        long now = stage.cache.now();
        switch (outcome) {
            case Fill.Stored stored -> {
                Entry own = leader ? stored.entry() : stage.cache.lookup(CacheStage.url(request), request.headers());
                if (own == null) {
                    pass(fwd, "vary-miss");
                    return;
                }
                CacheStatus status = stage.status().fwd(fwd).fwdStatus(stored.fwdStatus());
                status = leader ? status.stored() : status.collapsed();
                serve(own, status.ttl(own.ttlSeconds(now)));
            }
            case Fill.Unstored unstored -> {
                if (leader || unstored.head().status().code() >= 500) {
                    answer(unstored);
                } else {
                    unstored.body().release();
                    pass(fwd, "hit-for-miss");
                }
            }
            case Fill.Failed failed -> {
                if (failed.stale() != null) {
                    stage.metrics().staleServed.increment();
                    serve(failed.stale(), stage.status().fwd("stale").fwdStatus(failed.status())
                                               .ttl(failed.stale().ttlSeconds(now)).detail("stale-if-error"));
                } else {
                    state = State.DONE;
                    stage.metrics().misses.increment();
                    call.sink().failed(failed.status(), failed.detail(), requestComplete);
                }
            }
            case Fill.Passed passed -> pass(fwd, passed.why());
        }
    }

    private void serve(Entry entry, CacheStatus status) {
        var body = entry.retainedBody();
        if (body == null) {
            pass(fwd == null ? "miss" : fwd, "evicted");
            return;
        }
        if (status.isHit()) {
            stage.metrics().hits.increment();
            stage.metrics().hitBytes.add(entry.size());
        } else {
            stage.metrics().misses.increment();
            stage.metrics().missBytes.add(entry.size());
        }
        StoredAnswer answer = StoredAnswer.of(entry, body, request.method(), request.headers(), stage.cache.now(),
                                              status.toString());
        finish(answer.head(), answer.last());
    }

    /** The whole answer of a fill that may not be stored. */
    private void answer(Fill.Unstored unstored) {
        HttpHeaders headers = unstored.head().headers().copy();
        StoredAnswer.stripEdgeOnly(headers);
        headers.set(CacheStatus.HEADER, stage.status().fwd(fwd).fwdStatus(unstored.head().status().code())
                                             .detail("not-stored").toString());
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, unstored.head().status(), headers);
        stage.metrics().misses.increment();
        stage.metrics().missBytes.add(unstored.body().readableBytes());
        if (request.method().equals(HttpMethod.HEAD)) {
            unstored.body().release();
            finish(head, LastHttpContent.EMPTY_LAST_CONTENT);
        } else {
            finish(head, new DefaultLastHttpContent(unstored.body()));
        }
    }

    private void finish(HttpResponse head, LastHttpContent last) {
        state = State.DONE;
        RequestInfo info = call.info();
        head.headers().set("x-request-id", info.requestId());
        if (!info.keepAlive()) {
            head.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        call.sink().write(head);
        call.sink().done(last, head.status().code(), info.keepAlive());
    }

    /** Fetches on its own, uncached: the answer streams to the client as the origin sends it. */
    private void pass(String why, String detail) {
        state = State.PASSING;
        stage.metrics().misses.increment();
        stage.metrics().passes.increment();
        CacheStatus status = stage.status().fwd(why);
        if (detail != null) {
            status.detail(detail);
        }
        passing = stage.origin.handle(new RequestHandler.Call(call.client(), call.pool(), request, call.info(),
                                                              new EdgeHeadSink(call.sink(), status.toString(), null)));
        if (requestComplete) {
            passing.onRequestContent(LastHttpContent.EMPTY_LAST_CONTENT);
        }
        passing.start();
    }

    @Override
    public ChannelHandlerContext client() {
        return call.client();
    }

    /**
     * The answer is too large to store: this request takes it as it streams, unless the whole answer is
     * not what it asked for (a HEAD, a range, its own validators); then it fetches on its own.
     */
    @Override
    public ResponseSink streamTo() {
        HttpHeaders headers = request.headers();
        if (state != State.WAITING || request.method().equals(HttpMethod.HEAD) || headers.contains(HttpHeaderNames.RANGE)
            || headers.contains(HttpHeaderNames.IF_NONE_MATCH) || headers.contains(HttpHeaderNames.IF_MODIFIED_SINCE)) {
            return null;
        }
        state = State.STREAMING;
        return new EdgeHeadSink(call.sink(), stage.status().fwd(fwd).detail("too-large").toString(), null);
    }

    @Override
    public void onRequestContent(HttpContent part) {
        if (part instanceof LastHttpContent) {
            requestComplete = true;
        }
        if (state == State.PASSING) {
            passing.onRequestContent(part);
        } else {
            part.release();
        }
    }

    @Override
    public boolean holdsBackBody() {
        return state == State.PASSING && passing.holdsBackBody();
    }

    @Override
    public void checkDeadline(long nowNanos) {
        if (state == State.PASSING) {
            passing.checkDeadline(nowNanos);
        }
    }

    @Override
    public void abort() {
        State was = state;
        state = State.GONE;
        if (lockTimer != null) {
            lockTimer.cancel(false);
        }
        if (was == State.PASSING) {
            passing.abort();
        } else if (was == State.STREAMING) {
            fill.abortStreaming();
        }
    }

    @Override
    public String upstream() {
        return passing != null ? passing.upstream() : null;
    }

    @Override
    public int attempts() {
        return passing != null ? passing.attempts() : 0;
    }
}
