package dev.millions.edge.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * An origin for the CDN edge's tests, a real HTTP server: each path answers what the test set for it,
 * with {@code {n}} in the body replaced by how many times the origin answered that path, so a test can
 * tell a stored copy from a fresh fetch. It answers a matching {@code If-None-Match} with a 304, and
 * counts every request per path with the validators it carried.
 */
public final class TestOrigin implements AutoCloseable {

    private final HttpServer server;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> conditional = new ConcurrentHashMap<>();

    private TestOrigin(HttpServer server) {
        this.server = server;
    }

    public static TestOrigin start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        TestOrigin origin = new TestOrigin(server);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", origin::handle);
        server.start();
        return origin;
    }

    /** What a path answers: a status, fields, a body, and a delay before the answer. */
    public record Answer(int status, Map<String, String> headers, String body, long delayMillis) {

        public static Answer ok(String body, String... fields) {
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 0; i + 1 < fields.length; i += 2) {
                headers.put(fields[i], fields[i + 1]);
            }
            return new Answer(200, headers, body, 0);
        }

        public Answer status(int code) {
            return new Answer(code, headers, body, delayMillis);
        }

        public Answer delayed(long millis) {
            return new Answer(status, headers, body, millis);
        }
    }

    public TestOrigin serve(String path, Answer answer) {
        answers.put(path, answer);
        return this;
    }

    public String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** Requests the origin got for {@code path}, health checks aside. */
    public int hits(String path) {
        return hits.getOrDefault(path, new AtomicInteger()).get();
    }

    /** Requests for {@code path} that carried a validator. */
    public int conditionalHits(String path) {
        return conditional.getOrDefault(path, new AtomicInteger()).get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream body = exchange.getRequestBody()) {
            body.readAllBytes();
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/health/readiness")) {
                reply(exchange, 200, Map.of(), "ok");
                return;
            }
            int n = hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            Answer answer = answers.get(path);
            if (answer == null) {
                reply(exchange, 404, Map.of("Cache-Control", "no-store"), "no such path");
                return;
            }
            String ifNoneMatch = exchange.getRequestHeaders().getFirst("If-None-Match");
            String ifModifiedSince = exchange.getRequestHeaders().getFirst("If-Modified-Since");
            if (ifNoneMatch != null || ifModifiedSince != null) {
                conditional.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            }
            if (answer.delayMillis() > 0) {
                try {
                    Thread.sleep(answer.delayMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            String etag = answer.headers().get("ETag");
            if (etag != null && etag.equals(ifNoneMatch) && answer.status() == 200) {
                Map<String, String> head = new LinkedHashMap<>(answer.headers());
                head.remove("Content-Length");
                reply(exchange, 304, head, null);
                return;
            }
            reply(exchange, answer.status(), answer.headers(), answer.body().replace("{n}", Integer.toString(n)));
        }
    }

    private static void reply(HttpExchange exchange, int status, Map<String, String> headers, String body)
            throws IOException {
        headers.forEach((name, value) -> exchange.getResponseHeaders().put(name, List.of(value)));
        if (body == null) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
