package dev.millions.common.admin;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.jspecify.annotations.Nullable;

/**
 * A node's admin side on a loopback port, apart from its traffic: health, metrics and an API that wants
 * a bearer token. Parsing is the JDK's {@code HttpServer}; this adds the routes (method and path
 * pattern, with {@code {name}} parts), the token check (constant-time), and answers: JSON, Prometheus
 * text, or a problem body ({@code application/problem+json}) for a refusal. The edge's admin API and the
 * supervisor's control API are two of its users.
 */
public final class AdminServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor;

    private AdminServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    public static Builder builder() {
        return new Builder();
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.close();
    }

    /** What a route answers. */
    @FunctionalInterface
    public interface Handler {

        /**
         * @throws IllegalArgumentException for a request that cannot be done: 400, or 404 with {@link NotFound}
         */
        AdminResponse handle(AdminRequest request) throws IOException;
    }

    /** A request naming something that does not exist: answered 404. */
    public static final class NotFound extends IllegalArgumentException {

        public NotFound(String message) {
            super(message);
        }
    }

    /** A request body larger than an admin request needs: answered 413. */
    public static final class TooLarge extends IllegalArgumentException {

        public TooLarge(String message) {
            super(message);
        }
    }

    public static final class Builder {

        private final List<Route> routes = new ArrayList<>();
        private String host = "127.0.0.1";
        private int port;
        private @Nullable String token;
        private String tokenHint = "";

        private Builder() {}

        /** Where it listens; port 0 for a free one. */
        public Builder bind(String host, int port) {
            this.host = host;
            this.port = port;
            return this;
        }

        /**
         * The bearer token that {@link #secured} routes want.
         *
         * @param hint where a refused caller finds it, for the 401's detail
         */
        public Builder token(String token, String hint) {
            this.token = token;
            this.tokenHint = hint;
            return this;
        }

        /** A route that needs no token: health, metrics. */
        public Builder open(String method, String path, Handler handler) {
            routes.add(Route.of(method, path, handler, false));
            return this;
        }

        /** A route that needs the bearer token. */
        public Builder secured(String method, String path, Handler handler) {
            routes.add(Route.of(method, path, handler, true));
            return this;
        }

        public AdminServer start() throws IOException {
            if (token == null && routes.stream().anyMatch(Route::secured)) {
                throw new IllegalStateException("secured routes need a token (token(...))");
            }
            HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 64);
            ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
            server.setExecutor(executor);
            List<Route> table = List.copyOf(routes);
            String expected = token == null ? null : "Bearer " + token;
            String hint = tokenHint;
            server.createContext("/", exchange -> dispatch(exchange, table, expected, hint));
            server.start();
            return new AdminServer(server, executor);
        }
    }

    private static void dispatch(HttpExchange exchange, List<Route> routes, @Nullable String expected, String hint)
            throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            boolean pathKnown = false;
            for (Route route : routes) {
                Matcher matcher = route.pattern().matcher(path);
                if (!matcher.matches()) {
                    continue;
                }
                pathKnown = true;
                if (!route.method().equals(method)) {
                    continue;
                }
                if (route.secured() && !authorized(exchange, expected)) {
                    send(exchange, AdminResponse.problem(401, "missing or wrong bearer token" + hint));
                    return;
                }
                send(exchange, answer(route, new AdminRequest(exchange, route.parameters(matcher))));
                return;
            }
            send(exchange, pathKnown ? AdminResponse.problem(405, "method " + method + " not allowed on " + path)
                                     : AdminResponse.problem(404, "unknown operation " + method + ' ' + path));
        }
    }

    private static AdminResponse answer(Route route, AdminRequest request) throws IOException {
        try {
            return route.handler().handle(request);
        } catch (NotFound e) {
            return AdminResponse.problem(404, String.valueOf(e.getMessage()));
        } catch (TooLarge e) {
            return AdminResponse.problem(413, String.valueOf(e.getMessage()));
        } catch (IllegalArgumentException e) {
            return AdminResponse.problem(400, String.valueOf(e.getMessage()));
        } catch (RuntimeException e) {
            return AdminResponse.problem(500, String.valueOf(e.getMessage()));
        }
    }

    private static boolean authorized(HttpExchange exchange, @Nullable String expected) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        return expected != null && authorization != null && MessageDigest.isEqual(authorization.getBytes(StandardCharsets.UTF_8),
                                                              expected.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, AdminResponse response) throws IOException {
        if (response.body() instanceof AdminResponse.Streamer streamer) {
            exchange.getResponseHeaders().set("Content-Type", response.contentType());
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(response.status(), 0);
            try (OutputStream out = exchange.getResponseBody()) {
                streamer.write(out);
            } catch (IOException e) {
                // The client hung up: that is how a stream ends.
            }
            return;
        }
        byte[] body = response.json() ? JSON.writeValueAsBytes(response.body())
                                      : String.valueOf(response.body()).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", response.contentType());
        exchange.sendResponseHeaders(response.status(), body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private record Route(String method, Pattern pattern, List<String> names, Handler handler, boolean secured) {

        private static final Pattern PART = Pattern.compile("\\{([a-z]+)}");

        static Route of(String method, String path, Handler handler, boolean secured) {
            List<String> names = new ArrayList<>();
            Matcher part = PART.matcher(path);
            StringBuilder regex = new StringBuilder();
            int last = 0;
            while (part.find()) {
                regex.append(Pattern.quote(path.substring(last, part.start()))).append("([A-Za-z0-9_][A-Za-z0-9_.-]*)");
                names.add(part.group(1));
                last = part.end();
            }
            regex.append(Pattern.quote(path.substring(last)));
            return new Route(method, Pattern.compile(regex.toString()), List.copyOf(names), handler, secured);
        }

        Map<String, String> parameters(Matcher matcher) {
            Map<String, String> values = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) {
                values.put(names.get(i), matcher.group(i + 1));
            }
            return values;
        }
    }
}
