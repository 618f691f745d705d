package dev.millions.edge.proxy;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.opentelemetry.api.trace.Span;

/**
 * The client side of a connection: one request at a time (AUTO_READ is off, so the next request is read
 * only after the answer to this one has been written), each handed to an {@link Exchange}. Requests the
 * proxy refuses itself (bad framing, rate limit) get a problem document and, when the rest of the
 * connection cannot be trusted, a close.
 */
final class FrontendHandler extends ChannelInboundHandlerAdapter implements ResponseSink {

    private final ProxyContext proxy;
    private final FramingGuard guard;
    private ChannelHandlerContext ctx;
    private BackendPool pool;
    private RequestHandler.Handling current;
    /** What the request being answered is, for the access log. */
    private RequestInfo currentInfo;
    /** The current request's span, or {@code null} when tracing is off. */
    private Span currentSpan;
    private boolean closing;
    /** Closing, but reading (and dropping) what the client still sends until it closes too. */
    private boolean lingering;
    /** How long a refused client may go on sending before its connection is closed anyway. */
    private static final long LINGER_MILLIS = 2_000;
    private Violation deferred;
    private final ArrayDeque<Object> queued = new ArrayDeque<>();
    /** Parts of pipelined requests held while one is answered; past this, reading waits. */
    private static final int MAX_QUEUED = 64;
    /**
     * One read can decode many small pipelined requests at once, past {@link #MAX_QUEUED}; past this
     * many the client is abusing pipelining, and its connection is closed.
     */
    static final int MAX_QUEUED_HARD = 1024;

    /** A request no route takes: answered 404 at once, by {@link #startRequest}. */
    private static final RequestHandler.Handling NO_ROUTE = new LocalAnswer() {
        @Override
        public void start() {}
    };

    FrontendHandler(ProxyContext proxy, FramingGuard guard) {
        this.proxy = proxy;
        this.guard = guard;
    }

    @Override
    public void channelActive(ChannelHandlerContext context) {
        this.ctx = context;
        this.pool = proxy.pool(context.channel().eventLoop());
        proxy.metrics.connections.incrementAndGet();
        context.read();
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        proxy.metrics.connections.decrementAndGet();
        if (current != null) {
            current.abort();
            current = null;
        }
        queued.forEach(ReferenceCountUtil::release);
        queued.clear();
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        if (closing) {
            ReferenceCountUtil.release(msg);
            return;
        }
        // One read can decode several pipelined requests: the next waits until this one is answered.
        if (!queued.isEmpty() || current != null && msg instanceof HttpRequest) {
            if (queued.size() >= MAX_QUEUED_HARD) {
                proxy.metrics.pipelineOverflow.increment();
                ReferenceCountUtil.release(msg);
                closing = true;
                context.close();
                return;
            }
            queued.add(msg);
            return;
        }
        dispatch(msg);
    }

    private void dispatch(Object msg) {
        if (msg instanceof HttpRequest request) {
            startRequest(request);
        }
        if (msg instanceof HttpContent part) {
            if (current != null) {
                current.onRequestContent(part);
            } else {
                part.release();
            }
        } else if (!(msg instanceof HttpObject)) {
            ReferenceCountUtil.release(msg);
        }
    }

    private void startRequest(HttpRequest request) {
        if (current != null) {
            // Cannot happen while reads wait for each answer; if it does, the framing is lost.
            refuse(400, "request received before the previous answer was sent");
            return;
        }
        DecoderResult result = request.decoderResult();
        if (result.isFailure()) {
            Throwable cause = result.cause();
            int status = cause instanceof TooLongHttpHeaderException ? 431
                         : cause instanceof TooLongHttpLineException ? 414 : 400;
            refuse(status, "malformed request: " + cause.getMessage());
            return;
        }
        String clientIp = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress().getHostAddress();
        long now = proxy.ticker.getAsLong();
        if (proxy.rateLimiter != null) {
            long waitNanos = proxy.rateLimiter.acquire(clientIp);
            if (waitNanos > 0) {
                proxy.metrics.rateLimited.increment();
                FullHttpResponse response = Problems.response(429, "too many requests from " + clientIp, null);
                response.headers().set(HttpHeaderNames.RETRY_AFTER, Math.max(1, (waitNanos + 999_999_999) / 1_000_000_000));
                boolean keepAlive = HttpUtil.isKeepAlive(request) && !HttpUtil.isTransferEncodingChunked(request)
                                    && HttpUtil.getContentLength(request, 0L) == 0;
                writeRefusal(response, keepAlive);
                return;
            }
        }
        if (HttpUtil.is100ContinueExpected(request)) {
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE,
                                                          Unpooled.EMPTY_BUFFER));
        }
        currentSpan = proxy.tracing.on() ? proxy.tracing.start(request, clientIp) : null;
        RequestInfo info = Headers.prepareRequest(request, clientIp, proxy.config.balancing().hashKey(), now);
        RequestHandler handler = proxy.routes.route(request.headers().get(HttpHeaderNames.HOST), request.uri());
        if (handler == null) {
            ReferenceCountUtil.release(request);
            currentInfo = info;
            current = NO_ROUTE;
            failed(404, "no route for " + request.uri(), !HttpUtil.isTransferEncodingChunked(request)
                                                         && HttpUtil.getContentLength(request, 0L) == 0);
            return;
        }
        currentInfo = info;
        current = handler.handle(new RequestHandler.Call(ctx, pool, request, info, this));
        current.start();
    }

    /**
     * Keeps reading unless something must wait: a request body whose last part is not yet written to the
     * backend, or a queue of pipelined requests. Reading on with nothing to wait for keeps the socket's
     * read interest set, where stopping after every request would cost two epoll_ctl calls each time.
     */
    @Override
    public void channelReadComplete(ChannelHandlerContext context) {
        if (lingering) {
            context.read();
            return;
        }
        if (closing || queued.size() >= MAX_QUEUED || current != null && current.holdsBackBody()) {
            return;
        }
        context.read();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext context, Object event) {
        if (event instanceof Violation violation) {
            proxy.metrics.refused.increment();
            if (current == null) {
                refuse(violation.status(), violation.detail());
            } else {
                deferred = violation;
            }
        } else if (event == FramingGuard.Tick.INSTANCE) {
            if (current != null) {
                current.checkDeadline(proxy.ticker.getAsLong());
            }
        } else if (event == FramingGuard.IdleTimeout.INSTANCE) {
            if (current == null) {
                closing = true;
                context.close();
            }
        } else {
            context.fireUserEventTriggered(event);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        context.close();
    }

    @Override
    public void write(HttpObject part) {
        ctx.write(part);
    }

    @Override
    public Future<Void> writeAndFlush(HttpObject part) {
        return ctx.writeAndFlush(part);
    }

    /** The answer is complete: write its last part, then read the next request or close. */
    @Override
    public void done(HttpObject last, int status, boolean keepAlive) {
        log(status);
        boolean keep = keepAlive && deferred == null;
        ctx.writeAndFlush(last).addListener(f -> afterAnswer(f.isSuccess() && keep));
    }

    /** The handling ended before an answer started: answer for it. */
    @Override
    public void failed(int status, String detail, boolean requestComplete) {
        RequestInfo info = currentInfo;
        proxy.metrics.failed.increment();
        log(status);
        FullHttpResponse response = Problems.response(status, detail, info.requestId());
        boolean keep = info.keepAlive() && requestComplete && deferred == null;
        if (!keep) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        ctx.writeAndFlush(response).addListener(f -> afterAnswer(f.isSuccess() && keep));
    }

    /** The answer broke off half-way: the client can only learn it from a closed connection. */
    @Override
    public void aborted(String reason) {
        log(502);
        closing = true;
        ctx.flush();
        ctx.close();
    }

    private void afterAnswer(boolean keepOpen) {
        if (deferred != null) {
            Violation violation = deferred;
            deferred = null;
            refuse(violation.status(), violation.detail());
            return;
        }
        if (!keepOpen) {
            closing = true;
            ctx.close();
            return;
        }
        while (!queued.isEmpty() && !closing && !(current != null && queued.peek() instanceof HttpRequest)) {
            dispatch(queued.poll());
        }
        if (current == null && !closing) {
            guard.responseDone(ctx.pipeline().context(guard));
        }
        if (!closing) {
            ctx.read();
        }
    }

    private void refuse(int status, String detail) {
        writeRefusal(Problems.response(status, detail, null), false);
    }

    private void writeRefusal(FullHttpResponse response, boolean keepAlive) {
        if (!keepAlive) {
            closing = true;
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(f -> lingeringClose());
        } else {
            ctx.writeAndFlush(response).addListener(f -> afterAnswer(f.isSuccess()));
        }
    }

    /**
     * Closes after a refusal the way nginx's {@code lingering_close} does: the answer is followed by a FIN,
     * and what the client still sends is read and dropped until it closes too (or for two seconds).
     * Closing at once with unread bytes would send a reset, and the client's kernel would discard the
     * refusal it had not read yet.
     */
    private void lingeringClose() {
        if (!(ctx.channel() instanceof DuplexChannel duplex) || !duplex.isActive()) {
            ctx.close();
            return;
        }
        lingering = true;
        duplex.shutdownOutput().addListener(f -> {
            if (!f.isSuccess()) {
                ctx.close();
            }
        });
        ctx.executor().schedule(() -> ctx.close(), LINGER_MILLIS, TimeUnit.MILLISECONDS);
        ctx.read();
    }

    /** Logs the request being answered, which then is no longer current. */
    private void log(int status) {
        RequestHandler.Handling handling = current;
        RequestInfo info = currentInfo;
        Span span = currentSpan;
        current = null;
        currentInfo = null;
        currentSpan = null;
        proxy.metrics.responses(status);
        EdgeTracing.end(span, status, handling.upstream(), handling.attempts());
        if (proxy.accessLog != null) {
            proxy.accessLog.log(info, status, handling.upstream(), handling.attempts(),
                                proxy.ticker.getAsLong() - info.startNanos());
        }
    }
}
