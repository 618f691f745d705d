package dev.millions.edge.health;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.millions.edge.balance.Backend;
import dev.millions.edge.balance.BackendSet;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;

/**
 * Active health: asks every backend's readiness endpoint on an interval, with a timeout, and turns it
 * healthy or unhealthy by rise and fall counts.
 *
 * <p>A check is a fresh connection and a {@code GET} with {@code Connection: close}, as HAProxy's
 * {@code option httpchk}: it proves the backend still accepts connections, which a pooled connection
 * would not. Checks run on one of the proxy's own event loops, so they add no threads; a thread pool
 * of their own woke once per interval on a CPU shared with the traffic, and its scheduling and
 * compilation showed in the proxy's tail latency. A backend is not checked again while its previous
 * check is still waiting, so a hung backend never piles up connections.
 */
public final class ActiveHealthChecker implements AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(ActiveHealthChecker.class);

    private final BackendSet backends;
    private final EventLoop loop;
    private final String path;
    private final Duration interval;
    private final Duration timeout;
    private final int rise;
    private final int fall;
    private final LongSupplier ticker;
    private final Bootstrap bootstrap;
    /** Confined to {@link #loop}. */
    private final Map<Backend, HealthState> states = new IdentityHashMap<>();
    /** Confined to {@link #loop}. */
    private final Set<Backend> checking = Collections.newSetFromMap(new IdentityHashMap<>());
    private volatile ScheduledFuture<?> schedule;

    public ActiveHealthChecker(BackendSet backends, EventLoop loop, Class<? extends Channel> channelType, String path,
                               Duration interval, Duration timeout, int rise, int fall, LongSupplier ticker) {
        this.backends = backends;
        this.loop = loop;
        this.path = path;
        this.interval = interval;
        this.timeout = timeout;
        this.rise = rise;
        this.fall = fall;
        this.ticker = ticker;
        this.bootstrap = new Bootstrap().group(loop).channel(channelType)
                                        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeout.toMillis())
                                        .option(ChannelOption.TCP_NODELAY, true);
    }

    public void start() {
        schedule = loop.scheduleWithFixedDelay(this::checkAll, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void checkAll() {
        List<Backend> all = backends.all();
        states.keySet().retainAll(all);
        for (Backend backend : all) {
            if (checking.add(backend)) {
                check(backend);
            }
        }
    }

    private void check(Backend backend) {
        Check check = new Check(backend);
        bootstrap.clone().handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel channel) {
                channel.pipeline().addLast(new HttpClientCodec(4096, 8192, 8192), new CheckHandler(check));
            }
        }).connect(backend.address()).addListener((ChannelFutureListener) connected -> {
            if (!connected.isSuccess()) {
                check.finish(false, "connect failed: " + connected.cause());
                return;
            }
            Channel channel = connected.channel();
            ScheduledFuture<?> deadline = loop.schedule(() -> {
                check.finish(false, "no answer in " + timeout.toMillis() + " ms");
                channel.close();
            }, timeout.toMillis(), TimeUnit.MILLISECONDS);
            channel.closeFuture().addListener(closed -> deadline.cancel(false));
            InetSocketAddress address = backend.address();
            FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path);
            request.headers().set(HttpHeaderNames.HOST, address.getHostString() + ':' + address.getPort())
                   .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
                   .set(HttpHeaderNames.USER_AGENT, "millions-lb health check");
            channel.writeAndFlush(request).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        });
    }

    /** One check of one backend; its outcome is recorded once, whichever of answer, error, close or timeout comes first. */
    private final class Check {

        private final Backend backend;
        private boolean finished;

        Check(Backend backend) {
            this.backend = backend;
        }

        void finish(boolean passed, String detail) {
            if (finished) {
                return;
            }
            finished = true;
            checking.remove(backend);
            record(backend, passed, detail);
        }
    }

    private static final class CheckHandler extends ChannelInboundHandlerAdapter {

        private final Check check;

        CheckHandler(Check check) {
            this.check = check;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof HttpResponse response) {
                    int status = response.status().code();
                    check.finish(status == 200, "HTTP " + status);
                    ctx.close();
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            check.finish(false, "closed before an answer");
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            check.finish(false, cause.toString());
            ctx.close();
        }
    }

    /** One check's result: turns the backend healthy or unhealthy once rise or fall checks agree. */
    private void record(Backend backend, boolean passed, String detail) {
        HealthState state = states.computeIfAbsent(backend, b -> new HealthState(rise, fall, b.healthy()));
        boolean was = backend.healthy();
        boolean now = state.observe(passed);
        if (was != now) {
            backend.markHealthy(now, ticker.getAsLong());
            logger.info("backend {} is {} ({})", backend, now ? "healthy" : "unhealthy", detail);
        }
    }

    @Override
    public void close() {
        ScheduledFuture<?> scheduled = schedule;
        if (scheduled != null) {
            scheduled.cancel(false);
        }
    }
}
