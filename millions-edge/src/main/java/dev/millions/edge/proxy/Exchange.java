package dev.millions.edge.proxy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import dev.millions.edge.balance.Backend;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;

/**
 * One request on its way through the proxy, on the client connection's event loop: it picks a
 * backend, borrows a connection, streams the body there and the answer back, each next chunk read only
 * once the previous write succeeded, and retries on another backend when that is safe.
 *
 * <p>Retry rules: a connect failure sent nothing, so any request may go to another backend; a reset
 * or close after sending is retried only for an idempotent request (GET, HEAD, OPTIONS, or one with
 * an {@code Idempotency-Key}) whose body is still held for replay. One retry at most, within the retry
 * budget, never once a byte of the answer has gone to the client: an answer is held until it is complete
 * or passes 64 KiB, so a backend that dies in the middle of a small answer still counts as not having
 * answered.
 */
final class Exchange implements RequestHandler.Handling {

    private static final int MAX_ATTEMPTS = 2;
    private static final int RESPONSE_HOLD_BYTES = 64 * 1024;

    private final ResponseSink sink;
    private final ChannelHandlerContext ctx;
    private final ProxyContext proxy;
    private final BackendGroup group;
    private final BackendPool pool;
    private final HttpRequest request;
    private final RequestInfo info;
    private final List<HttpContent> replay = new ArrayList<>();
    private final ArrayDeque<HttpContent> pending = new ArrayDeque<>();
    private Set<Backend> tried;
    private boolean replayable;
    private long replayBytes;
    private boolean requestComplete;
    private boolean writePending;
    private Backend backend;
    private Channel channel;
    private long attemptStartNanos;
    private int attempts;
    private boolean responseStarted;
    private boolean interim;
    private final List<HttpObject> held = new ArrayList<>(4);
    private long heldBytes;
    private boolean backendReusable;
    private int status;
    private boolean finished;
    private final BackendDeadline deadline;

    Exchange(ProxyContext proxy, BackendGroup group, RequestHandler.Call call) {
        this.group = group;
        this.deadline = new BackendDeadline(proxy.ticker,
                                            TimeUnit.MILLISECONDS.toNanos(proxy.config.limits().backendTimeoutMillis()));
        this.sink = call.sink();
        this.pool = call.pool();
        this.ctx = call.client();
        this.proxy = proxy;
        this.request = call.request();
        this.info = call.info();
        this.replayable = info.idempotent();
    }

    @Override
    public void start() {
        group.retryBudget.deposit();
        attempt();
    }

    private void attempt() {
        long now = proxy.ticker.getAsLong();
        List<Backend> candidates = group.backends.available(now);
        if (tried != null) {
            candidates.removeAll(tried);
        }
        if (candidates.isEmpty()) {
            fail(tried == null ? 503 : 502, tried == null ? "no backend is available" : "no other backend is available");
            return;
        }
        backend = group.balancer.pick(candidates, info.hashKey(), now);
        attempts++;
        attemptStartNanos = now;
        backend.started();
        backend.stats().requests.increment();
        Channel idle = pool.lend(backend, this);
        if (idle != null) {
            attach(idle);
            return;
        }
        Backend target = backend;
        pool.connect(target).addListener((ChannelFuture f) -> {
            if (finished || target != backend) {
                if (f.isSuccess()) {
                    f.channel().close();
                }
                return;
            }
            if (f.isSuccess()) {
                pool.adopt(f.channel(), this);
                attach(f.channel());
            } else {
                backendFailed(false, "connect to " + target + " failed: " + f.cause().getMessage());
            }
        });
    }

    private void attach(Channel connection) {
        channel = connection;
        ChannelFuture written = connection.write(request);
        for (HttpContent part : replay) {
            written = connection.write(part.retainedDuplicate());
        }
        HttpContent part;
        while ((part = pending.poll()) != null) {
            keepForReplay(part);
            written = connection.write(part);
        }
        writePending = true;
        connection.flush();
        written.addListener(this::afterWrite);
        readBackend();
    }

    /** Asks the backend for the next part of its answer, which must come within the backend timeout. */
    private void readBackend() {
        deadline.arm();
        channel.read();
    }

    /** Called on the connection's periodic tick: answers 504 once the backend has had its time. */
    @Override
    public void checkDeadline(long nowNanos) {
        if (!finished && deadline.passed(nowNanos)) {
            timedOut();
        }
    }

    /** A part of the request's body from the client. */
    @Override
    public void onRequestContent(HttpContent part) {
        if (part instanceof LastHttpContent) {
            requestComplete = true;
        }
        if (finished) {
            part.release();
            return;
        }
        if (channel == null) {
            pending.add(part);
            return;
        }
        keepForReplay(part);
        writePending = true;
        channel.writeAndFlush(part).addListener(this::afterWrite);
    }

    private void afterWrite(Future<? super Void> future) {
        writePending = false;
        if (!future.isSuccess()) {
            // The channel's close reaches onBackendFailure through the handler.
            return;
        }
        if (!responseStarted && !finished) {
            deadline.extend();
        }
        if (!requestComplete && !finished) {
            ctx.read();
        }
    }

    /** Whether reading more of the request must wait: its body is not yet all written to the backend. */
    @Override
    public boolean holdsBackBody() {
        return !requestComplete && !finished && (channel == null || writePending);
    }

    private void keepForReplay(HttpContent part) {
        if (!replayable) {
            return;
        }
        replayBytes += part.content().readableBytes();
        if (replayBytes > proxy.config.limits().replayBufferBytes()) {
            proxy.metrics.replayDropped.increment();
            replayable = false;
            replay.forEach(ReferenceCountUtil::release);
            replay.clear();
            return;
        }
        replay.add(part.retainedDuplicate());
    }

    /** A part of the backend's answer. */
    void onResponsePart(HttpObject part) {
        if (finished) {
            ReferenceCountUtil.release(part);
            return;
        }
        deadline.cancel(); // until the next part is asked for, any wait is the client's
        if (interim) {
            // The rest of a 1xx answer: the final answer follows on the same connection.
            interim = !(part instanceof LastHttpContent);
            ReferenceCountUtil.release(part);
            readBackend();
            return;
        }
        if (part instanceof HttpResponse response && response.status().codeClass() == HttpStatusClass.INFORMATIONAL
            && response.status().code() != 101) {
            interim = !(part instanceof LastHttpContent);
            ReferenceCountUtil.release(part);
            readBackend();
            return;
        }
        if (part instanceof HttpResponse response) {
            if (response.decoderResult().isFailure()) {
                ReferenceCountUtil.release(part);
                backendFailed(true, "unreadable answer: " + response.decoderResult().cause());
                return;
            }
            status = response.status().code();
            backendReusable = HttpUtil.isKeepAlive(response);
            Headers.prepareResponse(response, info);
        }
        if (!responseStarted) {
            // The answer is held until it is complete or passes the hold limit: a backend that dies
            // before then has sent the client nothing, so an idempotent request can still be retried.
            held.add(part);
            if (part instanceof HttpContent content) {
                heldBytes += content.content().readableBytes();
            }
            if (part instanceof LastHttpContent) {
                releaseHeld(false);
                complete(part);
                return;
            }
            if (heldBytes < RESPONSE_HOLD_BYTES) {
                readBackend();
                return;
            }
            releaseHeld(true);
            return;
        }
        if (part instanceof LastHttpContent) {
            complete(part);
        } else {
            sink.writeAndFlush(part).addListener(this::afterResponseWrite);
        }
    }

    /**
     * Writes the held parts to the client, all but the last one when the answer is complete (that
     * one goes out with {@link #complete}); from then on the answer streams.
     */
    private void releaseHeld(boolean flushAll) {
        responseStarted = true;
        int last = held.size() - 1;
        for (int i = 0; i < last; i++) {
            sink.write(held.get(i));
        }
        if (flushAll) {
            sink.writeAndFlush(held.get(last)).addListener(this::afterResponseWrite);
        }
        held.clear();
    }

    private void afterResponseWrite(Future<? super Void> future) {
        if (future.isSuccess() && channel != null && !finished) {
            readBackend();
        }
    }

    private void complete(HttpObject last) {
        long now = proxy.ticker.getAsLong();
        boolean failed = status >= 500;
        finish(now);
        backend.finished(now, now - attemptStartNanos, true);
        backend.stats().latency.record(now - attemptStartNanos);
        group.outcome(backend, failed);
        Channel connection = channel;
        channel = null;
        pool.release(backend, connection, this, backendReusable && requestComplete);
        sink.done(last, status, info.keepAlive() && requestComplete);
    }

    /** The backend connection failed or closed before the answer was complete. */
    void onBackendFailure(Channel connection, String reason) {
        if (finished || connection != channel) {
            return;
        }
        backendFailed(true, reason);
    }

    private void backendFailed(boolean sent, String reason) {
        long now = proxy.ticker.getAsLong();
        deadline.cancel();
        dropBackend(now);
        if (tried == null) {
            tried = new HashSet<>();
        }
        tried.add(backend);
        held.forEach(ReferenceCountUtil::release);
        held.clear();
        heldBytes = 0;
        if (responseStarted) {
            proxy.metrics.aborted.increment();
            finish(now);
            sink.aborted(reason);
            return;
        }
        boolean safe = !sent || replayable;
        if (safe && attempts < MAX_ATTEMPTS && group.retryBudget.tryWithdraw()) {
            backend.stats().retries.increment();
            proxy.metrics.retries.increment();
            attempt();
            return;
        }
        fail(502, "bad gateway: " + reason);
    }

    private void timedOut() {
        if (finished) {
            return;
        }
        if (responseStarted) {
            backendFailed(true, "backend answer timed out");
            return;
        }
        dropBackend(proxy.ticker.getAsLong());
        fail(504, "the backend did not answer within " + proxy.config.limits().backendTimeoutMillis() + " ms");
    }

    /** Closes the backend connection, which cannot be reused mid-exchange, and counts a failure. */
    private void dropBackend(long now) {
        if (channel != null) {
            BackendHandler.of(channel).disown(this);
            channel.close();
            channel = null;
        }
        backend.finished(now, 0, false);
        group.outcome(backend, true);
    }

    private void fail(int failStatus, String detail) {
        finish(proxy.ticker.getAsLong());
        status = failStatus;
        sink.failed(failStatus, detail, requestComplete);
    }

    private void finish(long now) {
        finished = true;
        deadline.cancel();
        replay.forEach(ReferenceCountUtil::release);
        replay.clear();
        pending.forEach(ReferenceCountUtil::release);
        pending.clear();
        held.forEach(ReferenceCountUtil::release);
        held.clear();
    }

    /** The client went away: drop the backend connection, which may be mid-answer. */
    @Override
    public void abort() {
        if (finished) {
            return;
        }
        long now = proxy.ticker.getAsLong();
        if (channel != null) {
            BackendHandler.of(channel).disown(this);
            channel.close();
            channel = null;
        }
        if (backend != null && attempts > 0) {
            backend.finished(now, 0, false);
        }
        finish(now);
    }

    RequestInfo info() {
        return info;
    }

    @Override
    public String upstream() {
        return backend == null ? null : backend.id();
    }

    @Override
    public int attempts() {
        return attempts;
    }
}
