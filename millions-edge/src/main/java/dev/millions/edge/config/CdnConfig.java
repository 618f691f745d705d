package dev.millions.edge.config;

import static dev.millions.edge.config.EdgeConfig.check;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a CDN edge adds to the proxy: groups of origins, the routes that send a path prefix to one
 * (with a backup group to fail over to), and its cache.
 *
 * @param origins groups of origin servers by name
 */
public record CdnConfig(Map<String, List<EdgeConfig.BackendConfig>> origins, List<Route> routes, Cache cache) {

    /**
     * A path prefix and where its requests go.
     *
     * @param origin the group that answers
     * @param backup the group that answers a GET, HEAD or OPTIONS when {@code origin} fails (cannot be
     *               reached, times out, or answers one of {@code failoverStatuses}); {@code null} for none
     * @param cached {@code false} to pass requests through uncached, as for an API
     * @param staleWhileRevalidateSeconds the window when the origin states none; {@code null} for the cache's
     * @param staleIfErrorSeconds the window when the origin states none; {@code null} for the cache's
     */
    public record Route(String prefix, String origin, String backup, boolean cached, List<Integer> failoverStatuses,
                        Long staleWhileRevalidateSeconds, Long staleIfErrorSeconds) {}

    /**
     * @param memoryBytes the memory tier's bound, bodies and heads together
     * @param maxObjectBytes larger answers stream through uncached
     * @param heuristicFreshness whether an answer with only a {@code Last-Modified} is fresh for a tenth of
     *                           its age (RFC 9111 4.2.2); off, it is stored but revalidated each time
     * @param lockTimeoutMillis how long a miss waits for another request's fetch of the same key before it
     *                          fetches on its own (nginx's {@code proxy_cache_lock_timeout})
     * @param staleWhileRevalidateSeconds the default window of RFC 5861's {@code stale-while-revalidate}
     * @param staleIfErrorSeconds the default window of RFC 5861's {@code stale-if-error}
     * @param diskFolder where the disk tier keeps its files, found again after a restart; {@code null} for none
     * @param diskBytes the disk tier's bound
     */
    public record Cache(long memoryBytes, long maxObjectBytes, boolean heuristicFreshness, long lockTimeoutMillis,
                        long staleWhileRevalidateSeconds, long staleIfErrorSeconds, Path diskFolder, long diskBytes) {

        /** A memory tier of 256 MiB, objects up to 8 MiB, no disk tier. */
        public static Cache defaults() {
            return new Cache(256L << 20, 8L << 20, false, 5_000, 0, 0, null, 0);
        }
    }

    void validate() {
        check(origins != null && !origins.isEmpty(), "cdn.origins", origins, "at least one group");
        origins.forEach((name, group) -> {
            check(name.matches("[A-Za-z0-9_.-]{1,64}"), "cdn.origins", name, "group names of A-Z a-z 0-9 _ . -");
            check(group != null, "cdn.origins." + name, null, "a list of backends");
        });
        check(routes != null && !routes.isEmpty(), "cdn.routes", routes, "at least one route");
        Set<String> prefixes = new HashSet<>();
        for (int i = 0; i < routes.size(); i++) {
            Route route = routes.get(i);
            String path = "cdn.routes[" + i + "]";
            check(route.prefix() != null && route.prefix().startsWith("/"), path + ".prefix", route.prefix(),
                  "a path starting with /");
            check(prefixes.add(route.prefix()), path + ".prefix", route.prefix(), "a prefix no other route has");
            check(origins.containsKey(route.origin()), path + ".origin", route.origin(), "one of " + origins.keySet());
            check(route.backup() == null || origins.containsKey(route.backup()) && !route.backup().equals(route.origin()),
                  path + ".backup", route.backup(), "another of " + origins.keySet());
            List<Integer> statuses = route.failoverStatuses() == null ? List.of() : route.failoverStatuses();
            for (int status : statuses) {
                check(status >= 400 && status <= 599, path + ".failoverStatuses", status, "4xx or 5xx");
            }
            check(route.staleWhileRevalidateSeconds() == null || route.staleWhileRevalidateSeconds() >= 0,
                  path + ".staleWhileRevalidateSeconds", route.staleWhileRevalidateSeconds(), ">= 0");
            check(route.staleIfErrorSeconds() == null || route.staleIfErrorSeconds() >= 0,
                  path + ".staleIfErrorSeconds", route.staleIfErrorSeconds(), ">= 0");
        }
        check(cache != null, "cdn.cache", null, "the cache's settings");
        check(cache.memoryBytes() >= 1 << 20, "cdn.cache.memoryBytes", cache.memoryBytes(), ">= 1 MiB");
        check(cache.maxObjectBytes() >= 1 && cache.maxObjectBytes() <= cache.memoryBytes() / 4,
              "cdn.cache.maxObjectBytes", cache.maxObjectBytes(), "1 .. a quarter of memoryBytes");
        check(cache.lockTimeoutMillis() >= 1, "cdn.cache.lockTimeoutMillis", cache.lockTimeoutMillis(), ">= 1");
        check(cache.staleWhileRevalidateSeconds() >= 0, "cdn.cache.staleWhileRevalidateSeconds",
              cache.staleWhileRevalidateSeconds(), ">= 0");
        check(cache.staleIfErrorSeconds() >= 0, "cdn.cache.staleIfErrorSeconds", cache.staleIfErrorSeconds(), ">= 0");
        check(cache.diskFolder() == null || cache.diskBytes() >= cache.maxObjectBytes(), "cdn.cache.diskBytes",
              cache.diskBytes(), "at least maxObjectBytes when there is a diskFolder");
    }
}
