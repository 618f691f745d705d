package dev.millions.edge.testing;

import java.nio.file.Path;
import java.util.List;

import dev.millions.edge.config.EdgeConfig;

/** Configs for tests: loopback, a free port, fast health checks. */
public final class Proxies {

    private Proxies() {}

    public static EdgeConfig config(String algorithm, List<TestBackend> backends) {
        EdgeConfig defaults = EdgeConfig.defaults("test-lb", "127.0.0.1", 0, 0, Path.of("/dev/null"),
                                                  backends.stream().map(b -> new EdgeConfig.BackendConfig(b.id(), b.address(), 1)).toList(),
                                                  null);
        return new EdgeConfig(defaults.name(), defaults.host(), 0, defaults.adminHost(), 0, defaults.adminTokenFile(),
                              defaults.backends(), new EdgeConfig.Balancing(algorithm, null),
                              new EdgeConfig.Health("/health/readiness", 100, 500, 2, 2), defaults.outliers(),
                              0, defaults.retries(), defaults.rateLimit(),
                              new EdgeConfig.Limits(4096, 8192, 1L << 30, 1_000, 10_000, 10_000, 64 << 10, 30_000),
                              Path.of("/dev/null"));
    }
}
