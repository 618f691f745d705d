package dev.millions.edge.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP server for the proxy's tests: {@code /health/readiness}; {@code /id} answers its id;
 * {@code /headers} answers the request headers it got, one per line; {@code /upload} counts the body's
 * bytes; {@code /echo?token=T} reads the body and answers {@code T BYTES ID} with {@code T} in a
 * {@code Set-Cookie} too, so a client can tell its own answer from another's; {@code /big?bytes=N}
 * answers N bytes; {@code /slow} waits a second. Every answer can be delayed. Runs in the test's JVM
 * or, for {@code kill -9} and pauses, as a process of its own through {@link #main}.
 */
public final class TestBackend implements AutoCloseable {

    private final String id;
    private final HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicLong uploaded = new AtomicLong();
    private volatile long delayMillis;

    private TestBackend(String id, HttpServer server) {
        this.id = id;
        this.server = server;
    }

    public static TestBackend start(String id, int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
        TestBackend backend = new TestBackend(id, server);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", backend::handle);
        server.start();
        return backend;
    }

    public static void main(String[] args) throws IOException {
        TestBackend backend = start(args[0], Integer.parseInt(args[1]));
        if (args.length > 2) {
            backend.delay(Long.parseLong(args[2]));
        }
        System.out.println("ready " + backend.port());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/health/readiness")) {
                respond(exchange, 200, "ok");
                return;
            }
            requests.incrementAndGet();
            long delay = delayMillis;
            if (path.equals("/slow")) {
                delay += 1_000;
            }
            if (delay > 0) {
                Thread.sleep(delay);
            }
            switch (path) {
                case "/headers" -> {
                    Map<String, String> headers = new TreeMap<>();
                    exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(),
                                                                                       String.join(",", values)));
                    StringBuilder body = new StringBuilder();
                    headers.forEach((name, value) -> body.append(name).append(": ").append(value).append('\n'));
                    respond(exchange, 200, body.toString());
                }
                case "/upload" -> {
                    long count = 0;
                    byte[] buffer = new byte[65536];
                    try (InputStream in = exchange.getRequestBody()) {
                        int read;
                        while ((read = in.read(buffer)) >= 0) {
                            count += read;
                        }
                    }
                    uploaded.addAndGet(count);
                    respond(exchange, 200, Long.toString(count));
                }
                case "/echo" -> {
                    String token = query(exchange, "token");
                    long count;
                    try (InputStream in = exchange.getRequestBody()) {
                        count = in.transferTo(OutputStream.nullOutputStream());
                    }
                    exchange.getResponseHeaders().add("Set-Cookie", "token=" + token + "; Path=/; HttpOnly");
                    respond(exchange, 200, token + ' ' + count + ' ' + id);
                }
                case "/big" -> {
                    int bytes = Integer.parseInt(query(exchange, "bytes"));
                    exchange.sendResponseHeaders(200, bytes);
                    try (OutputStream out = exchange.getResponseBody()) {
                        byte[] chunk = new byte[8192];
                        for (int sent = 0; sent < bytes; sent += chunk.length) {
                            out.write(chunk, 0, Math.min(chunk.length, bytes - sent));
                        }
                    }
                }
                case "/fail" -> respond(exchange, 503, "failing on purpose");
                default -> respond(exchange, 200, id);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String query(HttpExchange exchange, String name) {
        String query = exchange.getRequestURI().getRawQuery();
        if (query != null) {
            for (String pair : query.split("&")) {
                if (pair.startsWith(name + '=')) {
                    return pair.substring(name.length() + 1);
                }
            }
        }
        return "";
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    public String id() {
        return id;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String address() {
        return "127.0.0.1:" + port();
    }

    public int requests() {
        return requests.get();
    }

    public long uploaded() {
        return uploaded.get();
    }

    public void delay(long millis) {
        delayMillis = millis;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
