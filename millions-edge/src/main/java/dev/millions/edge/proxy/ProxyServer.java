package dev.millions.edge.proxy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.millions.edge.balance.Backend;
import dev.millions.edge.balance.BackendSet;
import dev.millions.edge.cache.ResponseCache;
import dev.millions.edge.config.EdgeConfig;
import dev.millions.edge.limit.RateLimiter;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.util.concurrent.EventExecutor;

/** Bootstraps the proxy on the fastest {@link Transport} the platform has. */
final class ProxyServer implements LoadBalancer {

    private static final Logger logger = LoggerFactory.getLogger(ProxyServer.class);

    private final EventLoopGroup group;
    private final Channel server;
    private final ProxyContext proxy;
    private final ProxyMetricsExporter exporter;

    private ProxyServer(EventLoopGroup group, Channel server, ProxyContext proxy) {
        this.group = group;
        this.server = server;
        this.proxy = proxy;
        this.exporter = new ProxyMetricsExporter(proxy);
    }

    static ProxyServer start(EdgeConfig config, LongSupplier ticker) throws InterruptedException {
        return start(config, ticker, RouteTable::single);
    }

    /**
     * A proxy of one group whose stages are {@code routing}'s, made from the forwarder to that group: how
     * a test's stage goes in front of forwarding.
     */
    static ProxyServer start(EdgeConfig config, LongSupplier ticker, Function<RequestHandler, RouteTable> routing)
            throws InterruptedException {
        return startRouted(config, ticker, forwarders -> routing.apply(forwarders.values().iterator().next()));
    }

    /**
     * A proxy whose stages are {@code routing}'s, made from the forwarders to its groups by name: how a
     * CDN edge's cache stages go in front of forwarding.
     */
    static ProxyServer startRouted(EdgeConfig config, LongSupplier ticker,
                                   Function<Map<String, RequestHandler>, RouteTable> routing) throws InterruptedException {
        Transport transport = Transport.choose();
        int threads = Integer.getInteger("millions.edge.threads", Runtime.getRuntime().availableProcessors());
        EventLoopGroup group = transport.group(threads);
        Class<? extends ServerSocketChannel> serverType = transport.serverChannel;
        Class<? extends Channel> clientType = transport.clientChannel;
        Map<String, BackendGroup> groups = new LinkedHashMap<>();
        config.groups().forEach((name, members) -> groups.put(
                name, new BackendGroup(name, members, config, group.next(), clientType, ticker)));
        EdgeConfig.RateLimit limit = config.rateLimit();
        AccessLog accessLog;
        try {
            accessLog = config.accessLog() == null ? null : new AccessLog(config.accessLog());
        } catch (IOException e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw new UncheckedIOException("cannot open the access log " + config.accessLog() + ": " + e, e);
        }
        ProxyContext proxy = new ProxyContext(config, groups,
                limit.requestsPerSecond() > 0 ? new RateLimiter(limit.requestsPerSecond(), limit.burst(), ticker) : null,
                ticker, new ProxyMetrics(), accessLog, EdgeTracing.create(config), clientType, routing);
        Channel server;
        try {
            server = new ServerBootstrap().group(group).channel(serverType)
                                          .option(ChannelOption.SO_BACKLOG, 4096)
                                          .option(ChannelOption.SO_REUSEADDR, true)
                                          .childOption(ChannelOption.AUTO_READ, false)
                                          .childOption(ChannelOption.TCP_NODELAY, true)
                                          .childHandler(new ProxyInitializer(proxy))
                                          .bind(config.host(), config.port()).sync().channel();
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw new IllegalStateException("cannot listen on " + config.host() + ':' + config.port() + ": " + e.getMessage(), e);
        }
        long sweepMillis = Math.max(10, Math.min(5_000, config.limits().backendIdleMillis() / 2));
        for (EventExecutor executor : group) {
            BackendPool pool = proxy.pool((EventLoop) executor);
            executor.scheduleAtFixedRate(() -> closeStale(pool), sweepMillis, sweepMillis, TimeUnit.MILLISECONDS);
        }
        if (proxy.rateLimiter != null) {
            group.next().scheduleAtFixedRate(proxy.rateLimiter::sweep, 10, 10, TimeUnit.SECONDS);
        }
        groups.values().forEach(BackendGroup::startHealthChecks);
        logger.info("{} listening on {} ({}), {} backends in {}, balancer {}", config.name(), server.localAddress(),
                    transport.label(), proxy.allBackends().size(), groups.keySet(), config.balancing().algorithm());
        return new ProxyServer(group, server, proxy);
    }

    /** A periodic task dies on its first exception: one bad sweep must not end the sweeping. */
    private static void closeStale(BackendPool pool) {
        try {
            pool.closeStale();
        } catch (RuntimeException e) {
            logger.error("closing stale backend connections failed; the next sweep tries again", e);
        }
    }

    @Override
    public InetSocketAddress address() {
        return (InetSocketAddress) server.localAddress();
    }

    @Override
    public List<BackendView> backends() {
        long now = proxy.ticker.getAsLong();
        return proxy.allBackends().stream().map(backend -> view(backend, now)).toList();
    }

    @Override
    public BackendView add(String id, String address, int weight) {
        if (id == null || !id.matches("[A-Za-z0-9_.-]{1,64}")) {
            throw new IllegalArgumentException("id: " + id + " (expected: 1 to 64 of A-Z a-z 0-9 _ . -)");
        }
        if (weight < 1 || weight > 1000) {
            throw new IllegalArgumentException("weight: " + weight + " (expected: 1..1000)");
        }
        long now = proxy.ticker.getAsLong();
        Backend backend = new Backend(id, address(address), weight, false, now);
        proxy.mainGroup().backends.add(backend);
        logger.info("backend {} added; it takes requests once healthy", backend);
        return view(backend, now);
    }

    @Override
    public BackendView drain(String id) {
        BackendSet backends = proxy.groups.values().stream().map(candidate -> candidate.backends)
                                          .filter(set -> set.find(id).isPresent()).findFirst()
                                          .orElseThrow(() -> new IllegalArgumentException("no backend '" + id + "'"));
        Backend backend = backends.find(id)
                                        .orElseThrow(() -> new IllegalArgumentException("no backend '" + id + "'"));
        backend.drain();
        logger.info("backend {} draining ({} requests in flight)", backend, backend.inFlight());
        AtomicReference<ScheduledFuture<?>> watch = new AtomicReference<>();
        watch.set(group.next().scheduleAtFixedRate(() -> {
            if (backend.inFlight() == 0) {
                backends.remove(backend);
                logger.info("backend {} drained and removed", backend);
                watch.get().cancel(false);
            }
        }, 50, 50, TimeUnit.MILLISECONDS));
        return view(backend, proxy.ticker.getAsLong());
    }

    /** Adds a CDN edge's cache to what {@code /metrics} shows. */
    void exportCache(ResponseCache cache) {
        exporter.exportCache(cache);
    }

    @Override
    public String metrics() {
        return exporter.text();
    }

    private static BackendView view(Backend backend, long now) {
        String state = backend.draining() ? "draining" : backend.ejected(now) ? "ejected"
                       : backend.healthy() ? "healthy" : "unhealthy";
        InetSocketAddress address = backend.address();
        return new BackendView(backend.id(), address.getHostString() + ':' + address.getPort(), backend.weight(), state,
                               backend.inFlight(), backend.stats().requests.sum(), backend.stats().errors.sum(),
                               backend.stats().openConnections.get());
    }

    static InetSocketAddress address(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("address: " + hostPort + " (expected: HOST:PORT)");
        }
        int port;
        try {
            port = Integer.parseInt(hostPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("address: " + hostPort + " (expected: HOST:PORT)");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("address: " + hostPort + " (expected a port in 1..65535)");
        }
        return new InetSocketAddress(hostPort.substring(0, colon), port);
    }

    @Override
    public void close() {
        proxy.groups.values().forEach(BackendGroup::close);
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        proxy.tracing.close();
        try {
            if (proxy.accessLog != null) {
                proxy.accessLog.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
