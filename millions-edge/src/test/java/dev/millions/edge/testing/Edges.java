package dev.millions.edge.testing;

import java.util.List;
import java.util.Map;

import dev.millions.edge.config.CdnConfig;
import dev.millions.edge.config.EdgeConfig;

/** CDN edge configs for tests: the test proxy's settings, with origin groups, routes and a cache. */
public final class Edges {

    private Edges() {}

    public static EdgeConfig cdn(Map<String, List<EdgeConfig.BackendConfig>> origins, List<CdnConfig.Route> routes,
                                 CdnConfig.Cache cache) {
        EdgeConfig base = Proxies.config("round-robin", List.of());
        EdgeConfig named = new EdgeConfig("cdn-test", base.host(), 0, base.adminHost(), 0, base.adminTokenFile(),
                                          List.of(), base.balancing(), base.health(), base.outliers(), 0, base.retries(),
                                          base.rateLimit(), base.limits(), base.accessLog());
        return named.withCdn(new CdnConfig(origins, routes, cache));
    }

    /** The same config, listening on {@code port}: a restarted edge keeps its address, and so its cache keys. */
    public static EdgeConfig onPort(EdgeConfig config, int port) {
        return new EdgeConfig(config.name(), config.host(), port, config.adminHost(), config.adminPort(),
                              config.adminTokenFile(), config.backends(), config.balancing(), config.health(),
                              config.outliers(), config.slowStartMillis(), config.retries(), config.rateLimit(),
                              config.limits(), config.accessLog(), config.cdn());
    }

    public static EdgeConfig.BackendConfig origin(String id, String address) {
        return new EdgeConfig.BackendConfig(id, address, 1);
    }

    /** A cached route to {@code origin}, with no backup. */
    public static CdnConfig.Route cached(String prefix, String origin) {
        return new CdnConfig.Route(prefix, origin, null, true, List.of(), null, null);
    }
}
