package dev.millions.edge.proxy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.millions.edge.balance.Backend;
import dev.millions.edge.balance.BackendSet;
import dev.millions.edge.balance.Balancer;
import dev.millions.edge.config.EdgeConfig;
import dev.millions.edge.health.ActiveHealthChecker;
import dev.millions.edge.health.OutlierDetector;
import dev.millions.edge.health.RetryBudget;
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
    private final ActiveHealthChecker health;
    private final ProxyMetricsExporter exporter;

    private ProxyServer(EventLoopGroup group, Channel server, ProxyContext proxy, ActiveHealthChecker health) {
        this.group = group;
        this.server = server;
        this.proxy = proxy;
        this.exporter = new ProxyMetricsExporter(proxy);
        this.health = health;
    }

    static ProxyServer start(EdgeConfig config, LongSupplier ticker) throws InterruptedException {
        return start(config, ticker, RouteTable::single);
    }

    /**
     * A proxy whose stages are {@code routing}'s, made from the forwarder to its backends: how a cache
     * stage (and a test's stage) goes in front of forwarding.
     */
    static ProxyServer start(EdgeConfig config, LongSupplier ticker, Function<RequestHandler, RouteTable> routing)
            throws InterruptedException {
        Transport transport = Transport.choose();
        int threads = Integer.getInteger("millions.edge.threads", Runtime.getRuntime().availableProcessors());
        EventLoopGroup group = transport.group(threads);
        Class<? extends ServerSocketChannel> serverType = transport.serverChannel;
        Class<? extends Channel> clientType = transport.clientChannel;
        long now = ticker.getAsLong();
        BackendSet backends = new BackendSet();
        for (EdgeConfig.BackendConfig backend : config.backends()) {
            backends.add(new Backend(backend.id(), address(backend.address()), backend.weight(), true, now));
        }
        EdgeConfig.Outliers outliers = config.outliers();
        EdgeConfig.RateLimit limit = config.rateLimit();
        AccessLog accessLog;
        try {
            accessLog = config.accessLog() == null ? null : new AccessLog(config.accessLog());
        } catch (IOException e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw new UncheckedIOException("cannot open the access log " + config.accessLog() + ": " + e, e);
        }
        ProxyContext proxy = new ProxyContext(config, backends,
                Balancer.of(config.balancing().algorithm(), config.slowStartMillis() * 1_000_000),
                new OutlierDetector(backends, outliers.consecutiveFailures(), outliers.baseEjectionMillis() * 1_000_000,
                                    outliers.maxEjectionPercent(), ticker),
                new RetryBudget(config.retries().budgetPercent(), config.retries().minPerSecond(), ticker),
                limit.requestsPerSecond() > 0 ? new RateLimiter(limit.requestsPerSecond(), limit.burst(), ticker) : null,
                ticker, new ProxyMetrics(), accessLog, clientType, routing);
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
        EdgeConfig.Health check = config.health();
        ActiveHealthChecker health = new ActiveHealthChecker(backends, group.next(), clientType, check.path(),
                Duration.ofMillis(check.intervalMillis()), Duration.ofMillis(check.timeoutMillis()),
                check.rise(), check.fall(), ticker);
        health.start();
        logger.info("{} listening on {} ({}), {} backends, balancer {}", config.name(), server.localAddress(),
                    transport.label(), backends.all().size(), config.balancing().algorithm());
        return new ProxyServer(group, server, proxy, health);
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
        return proxy.backends.all().stream().map(backend -> view(backend, now)).toList();
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
        proxy.backends.add(backend);
        logger.info("backend {} added; it takes requests once healthy", backend);
        return view(backend, now);
    }

    @Override
    public BackendView drain(String id) {
        Backend backend = proxy.backends.find(id)
                                        .orElseThrow(() -> new IllegalArgumentException("no backend '" + id + "'"));
        backend.drain();
        logger.info("backend {} draining ({} requests in flight)", backend, backend.inFlight());
        AtomicReference<ScheduledFuture<?>> watch = new AtomicReference<>();
        watch.set(group.next().scheduleAtFixedRate(() -> {
            if (backend.inFlight() == 0) {
                proxy.backends.remove(backend);
                logger.info("backend {} drained and removed", backend);
                watch.get().cancel(false);
            }
        }, 50, 50, TimeUnit.MILLISECONDS));
        return view(backend, proxy.ticker.getAsLong());
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
        health.close();
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        try {
            if (proxy.accessLog != null) {
                proxy.accessLog.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
