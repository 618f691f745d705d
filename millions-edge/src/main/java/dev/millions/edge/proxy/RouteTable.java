package dev.millions.edge.proxy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Picks the stage for a request by its host and path: the route with the longest matching path prefix,
 * one for the request's host before one for any host, as nginx picks its {@code location} by the
 * longest prefix within the {@code server} of the host. So one edge can send {@code /static} and
 * {@code /media} to one origin group and {@code /api} to another; the load balancer is the case with
 * one route, {@code /} to its backends.
 */
final class RouteTable {

    private final List<Route> routes;

    private RouteTable(List<Route> routes) {
        this.routes = routes;
    }

    /** The table of one route: every request to {@code handler}. */
    static RouteTable single(RequestHandler handler) {
        return builder().route(null, "/", handler).build();
    }

    static Builder builder() {
        return new Builder();
    }

    /**
     * The stage for a request to {@code host} (its {@code Host} header, port and case aside) and
     * {@code uri}; {@code null} when no route matches.
     */
    RequestHandler route(String host, String uri) {
        String name = host == null ? null : hostName(host);
        String path = path(uri);
        for (Route route : routes) {
            if ((route.host() == null || route.host().equals(name)) && matches(route.prefix(), path)) {
                return route.handler();
            }
        }
        return null;
    }

    private static boolean matches(String prefix, String path) {
        // "/api" matches "/api" and "/api/users", not "/apical".
        return path.startsWith(prefix) && (prefix.endsWith("/") || path.length() == prefix.length()
                                           || path.charAt(prefix.length()) == '/');
    }

    private static String path(String uri) {
        int query = uri.indexOf('?');
        String path = query < 0 ? uri : uri.substring(0, query);
        if (!path.startsWith("/")) {
            // An absolute form (http://host/path): its path.
            int scheme = path.indexOf("://");
            int slash = scheme < 0 ? -1 : path.indexOf('/', scheme + 3);
            path = slash < 0 ? "/" : path.substring(slash);
        }
        return path;
    }

    private static String hostName(String host) {
        int colon = host.startsWith("[") ? host.indexOf("]:") + 1 : host.lastIndexOf(':');
        return (colon > 0 ? host.substring(0, colon) : host).toLowerCase(Locale.ROOT);
    }

    private record Route(String host, String prefix, RequestHandler handler) {}

    static final class Builder {

        private final List<Route> routes = new ArrayList<>();

        private Builder() {}

        /**
         * @param host a host name, or {@code null} for any host
         * @param prefix a path prefix starting with {@code /}
         */
        Builder route(String host, String prefix, RequestHandler handler) {
            if (prefix == null || !prefix.startsWith("/")) {
                throw new IllegalArgumentException("prefix: " + prefix + " (expected: a path starting with /)");
            }
            routes.add(new Route(host == null ? null : host.toLowerCase(Locale.ROOT), prefix, handler));
            return this;
        }

        RouteTable build() {
            List<Route> ordered = new ArrayList<>(routes);
            // Host-specific routes first, then the longest prefix first.
            ordered.sort(Comparator.comparing((Route route) -> route.host() == null)
                                   .thenComparing(route -> -route.prefix().length()));
            return new RouteTable(List.copyOf(ordered));
        }
    }
}
