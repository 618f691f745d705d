package dev.millions.edge.proxy;

import java.util.ArrayDeque;
import java.util.IdentityHashMap;
import java.util.Map;

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
 */
final class BackendPool {

    static final long IDLE_CLOSE_MILLIS = 30_000;

    private final EventLoop loop;
    private final Map<Backend, ArrayDeque<Channel>> idle = new IdentityHashMap<>();
    private final Bootstrap bootstrap;

    BackendPool(EventLoop loop, Class<? extends Channel> channelType, int maxInitialLine, int maxHeaderBytes,
                int connectTimeoutMillis) {
        this.loop = loop;
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
                                                                           new BackendHandler());
                                            }
                                        });
    }

    /** An idle open connection to {@code backend}, or {@code null}. Called on this pool's loop. */
    Channel pollIdle(Backend backend) {
        ArrayDeque<Channel> channels = idle.get(backend);
        if (channels == null) {
            return null;
        }
        Channel channel;
        while ((channel = channels.pollLast()) != null) {
            if (channel.isActive()) {
                BackendHandler.idleSince(channel, 0);
                return channel;
            }
        }
        return null;
    }

    ChannelFuture connect(Backend backend) {
        ChannelFuture future = bootstrap.connect(backend.address());
        future.addListener(f -> {
            if (f.isSuccess()) {
                backend.stats().openConnections.incrementAndGet();
                future.channel().closeFuture().addListener(c -> {
                    backend.stats().openConnections.decrementAndGet();
                    ArrayDeque<Channel> channels = idle.get(backend);
                    if (channels != null) {
                        channels.remove(future.channel());
                    }
                });
            }
        });
        return future;
    }

    /** Takes a connection back after a complete exchange, unless the backend is draining or leaving. */
    void release(Backend backend, Channel channel, boolean reusable) {
        if (!reusable || backend.draining() || !channel.isActive()) {
            channel.close();
            return;
        }
        BackendHandler.idleSince(channel, System.nanoTime());
        idle.computeIfAbsent(backend, b -> new ArrayDeque<>()).addLast(channel);
    }

    /** Closes connections idle longer than {@link #IDLE_CLOSE_MILLIS}; run on this pool's loop. */
    void closeStale() {
        long cutoff = System.nanoTime() - IDLE_CLOSE_MILLIS * 1_000_000;
        for (ArrayDeque<Channel> channels : idle.values()) {
            channels.removeIf(channel -> {
                long since = BackendHandler.idleSince(channel);
                if (since != 0 && since < cutoff) {
                    channel.close();
                    return true;
                }
                return false;
            });
        }
    }

    EventLoop loop() {
        return loop;
    }
}
