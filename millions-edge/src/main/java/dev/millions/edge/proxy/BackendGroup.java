package dev.millions.edge.proxy;

import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;

import dev.millions.edge.balance.Backend;
import dev.millions.edge.balance.BackendSet;
import dev.millions.edge.balance.Balancer;
import dev.millions.edge.config.EdgeConfig;
import dev.millions.edge.health.ActiveHealthChecker;
import dev.millions.edge.health.OutlierDetector;
import dev.millions.edge.health.RetryBudget;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;

/**
 * One group of backends and the policies over it: the load balancer's backends, or one of a CDN edge's
 * origin groups. Each has its own balancer, outlier detection, retry budget and active health checks.
 */
final class BackendGroup implements AutoCloseable {

    final String name;
    final BackendSet backends = new BackendSet();
    final Balancer balancer;
    final OutlierDetector outliers;
    final RetryBudget retryBudget;
    private final ActiveHealthChecker health;

    BackendGroup(String name, List<EdgeConfig.BackendConfig> members, EdgeConfig config, EventLoop healthLoop,
                 Class<? extends Channel> channelType, LongSupplier ticker) {
        this.name = name;
        long now = ticker.getAsLong();
        for (EdgeConfig.BackendConfig backend : members) {
            backends.add(new Backend(backend.id(), ProxyServer.address(backend.address()), backend.weight(), true, now));
        }
        EdgeConfig.Outliers limits = config.outliers();
        this.balancer = Balancer.of(config.balancing().algorithm(), config.slowStartMillis() * 1_000_000);
        this.outliers = new OutlierDetector(backends, limits.consecutiveFailures(), limits.baseEjectionMillis() * 1_000_000,
                                            limits.maxEjectionPercent(), ticker);
        this.retryBudget = new RetryBudget(config.retries().budgetPercent(), config.retries().minPerSecond(), ticker);
        EdgeConfig.Health check = config.health();
        this.health = new ActiveHealthChecker(backends, healthLoop, channelType, check.path(),
                                              Duration.ofMillis(check.intervalMillis()),
                                              Duration.ofMillis(check.timeoutMillis()), check.rise(), check.fall(), ticker);
    }

    void startHealthChecks() {
        health.start();
    }

    /** An outcome of a request to a backend, for passive health. */
    void outcome(Backend backend, boolean failed) {
        if (failed) {
            backend.stats().errors.increment();
            outliers.failure(backend);
        } else {
            outliers.success(backend);
        }
    }

    @Override
    public void close() {
        health.close();
    }
}
