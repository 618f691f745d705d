package dev.millions.edge.proxy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.millions.edge.balance.Backend;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;

/**
 * Keep-alive connections to the backends, one pool per event loop, so a frontend connection borrows a
 * backend connection on its own thread and nothing is shared or locked. Idle connections close
 * after a while, well before a backend's own keep-alive timeout would.
 *
 * <p>A connection is in exactly one of three states, kept on its {@link BackendHandler}: owned by one
 * exchange, idle in this pool, or neither (connecting, or on its way out). Only the owner can give a
 * connection back, and only an idle one can be lent, so no connection is ever in the pool twice or
 * serves two exchanges at once. A release by anyone but the owner is refused, counted and logged once.
 * The pool holds at most {@link #MAX_IDLE_PER_BACKEND} idle connections per backend; past that a
 * returned connection is closed.
 *
 * <p>The pool's deques change only in {@link #lend}, {@link #release}, the close listener and
 * {@link #closeStale}, never while one of them iterates: closing a channel can run its close listener
 * at once, and a deque changed from inside its own {@code removeIf} is left corrupt.
 */
final class BackendPool {

    private static final Logger logger = LoggerFactory.getLogger(BackendPool.class);
    private static final AtomicBoolean strayReleaseLogged = new AtomicBoolean();

    static final int MAX_IDLE_PER_BACKEND = 512;

    private final Map<Backend, ArrayDeque<Channel>> idle = new IdentityHashMap<>();
    private final Bootstrap bootstrap;
    private final long idleCloseNanos;
    private final LongSupplier ticker;
    private final ProxyMetrics metrics;

    BackendPool(EventLoop loop, Class<? extends Channel> channelType, int maxInitialLine, int maxHeaderBytes,
                int connectTimeoutMillis, long idleCloseMillis, LongSupplier ticker, ProxyMetrics metrics) {
        this.idleCloseNanos = idleCloseMillis * 1_000_000;
        this.ticker = ticker;
        this.metrics = metrics;
        this.bootstrap = new Bootstrap().group(loop).channel(channelType)
                                        .option(ChannelOption.AUTO_READ, false)
                                        .option(ChannelOption.TCP_NODELAY, true)
                                        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
                                        .handler(new ChannelInitializer<Channel>() {
                                            @Override
                                            protected void initChannel(Channel channel) {
                                                // The backends are our own servers on private addresses:
                                                // their headers are not validated again, which saves
                                                // a per-header scan on the hot path.
                                                channel.pipeline().addLast(new HttpClientCodec(maxInitialLine,
                                                                                               maxHeaderBytes, 65536, false, false),
                                                                           BackendHandler.bind(channel));
                                            }
                                        });
    }

    /**
     * Lends an idle open connection to {@code backend} to {@code exchange}, which owns it from now on,
     * or returns {@code null}. Called on this pool's loop.
     */
    Channel lend(Backend backend, Exchange exchange) {
        ArrayDeque<Channel> channels = idle.get(backend);
        if (channels == null) {
            return null;
        }
        Channel channel;
        while ((channel = channels.pollLast()) != null) {
            metrics.idleConnections.decrementAndGet();
            BackendHandler handler = BackendHandler.of(channel);
            handler.leavePool();
            if (channel.isActive()) {
                handler.own(exchange);
                return channel;
            }
        }
        return null;
    }

    /** A new connection to {@code backend}; its owner claims it with {@link #adopt} once connected. */
    ChannelFuture connect(Backend backend) {
        ChannelFuture future = bootstrap.connect(backend.address());
        future.addListener(f -> {
            if (f.isSuccess()) {
                Channel channel = future.channel();
                backend.stats().openConnections.incrementAndGet();
                channel.closeFuture().addListener(c -> {
                    backend.stats().openConnections.decrementAndGet();
                    if (BackendHandler.of(channel).leavePool()) {
                        ArrayDeque<Channel> channels = idle.get(backend);
                        if (channels != null && channels.remove(channel)) {
                            metrics.idleConnections.decrementAndGet();
                        }
                    }
                });
            }
        });
        return future;
    }

    /** Makes {@code exchange} the owner of a connection that {@link #connect} just opened. */
    void adopt(Channel channel, Exchange exchange) {
        BackendHandler.of(channel).own(exchange);
    }

    /**
     * Takes a connection back from its owner after a complete exchange, and keeps it for the next one
     * unless it cannot be reused, the backend is draining, or the pool is full. A release by anyone but
     * the connection's owner changes nothing.
     */
    void release(Backend backend, Channel channel, Exchange exchange, boolean reusable) {
        BackendHandler handler = BackendHandler.of(channel);
        if (!handler.disown(exchange)) {
            strayRelease(channel, exchange);
            return;
        }
        if (!reusable || backend.draining() || !channel.isActive()) {
            channel.close();
            return;
        }
        ArrayDeque<Channel> channels = idle.computeIfAbsent(backend, b -> new ArrayDeque<>());
        if (channels.size() >= MAX_IDLE_PER_BACKEND) {
            metrics.poolFull.increment();
            channel.close();
            return;
        }
        handler.enterPool(ticker.getAsLong());
        channels.addLast(channel);
        metrics.idleConnections.incrementAndGet();
    }

    /** Closes connections idle longer than the configured backend idle time; run on this pool's loop. */
    void closeStale() {
        long now = ticker.getAsLong();
        List<Channel> stale = new ArrayList<>();
        for (ArrayDeque<Channel> channels : idle.values()) {
            channels.removeIf(channel -> {
                BackendHandler handler = BackendHandler.of(channel);
                if (now - handler.idleSince() > idleCloseNanos) {
                    handler.leavePool();
                    stale.add(channel);
                    return true;
                }
                return false;
            });
        }
        metrics.idleConnections.addAndGet(-stale.size());
        stale.forEach(Channel::close);
    }

    private void strayRelease(Channel channel, Exchange exchange) {
        metrics.strayReleases.increment();
        if (strayReleaseLogged.compareAndSet(false, true)) {
            logger.error("a backend connection was given back by an exchange that does not own it, and was not taken"
                         + " back; counted in millions_lb_stray_releases_total, logged once: {} by {}",
                         channel, exchange.info().requestId(), new IllegalStateException("stray release"));
        }
    }
}
