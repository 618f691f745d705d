package dev.millions.ops.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The slow part of {@code millions bench cdn}'s origin: the origin's nginx passes {@code /slow/*} here,
 * and each answer takes {@code delayMillis}, long enough for 1000 concurrent misses of one key to reach
 * a cache while its first fetch is still out. nginx alone cannot delay an answer without a third-party
 * module ({@code limit_rate} paces bytes, and a 1 KiB answer goes out in one write).
 */
final class SlowOrigin implements AutoCloseable {

    static final int BODY_BYTES = 1024;

    private final HttpServer server;
    private final ExecutorService executor;

    private SlowOrigin(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Listens on a free loopback port. */
    static SlowOrigin start(long delayMillis) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4096);
        // A virtual thread per exchange: a cache that does not coalesce sends all 1000 misses here at
        // once, and each must wait out its delay alongside the others, not queue behind them.
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        byte[] body = "s".repeat(BODY_BYTES).getBytes(StandardCharsets.US_ASCII);
        server.createContext("/slow/", exchange -> answer(exchange, delayMillis, body));
        server.start();
        return new SlowOrigin(server, executor);
    }

    private static void answer(HttpExchange exchange, long delayMillis, byte[] body) throws IOException {
        try (exchange) {
            try {
                // The origin's own work time, which is what is simulated: nothing waits on this to happen.
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exchange.sendResponseHeaders(503, -1);
                return;
            }
            exchange.getResponseHeaders().add("Cache-Control", "public, max-age=3600");
            exchange.getResponseHeaders().add("Content-Type", "application/octet-stream");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
