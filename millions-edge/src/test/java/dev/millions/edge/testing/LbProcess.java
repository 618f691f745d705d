package dev.millions.edge.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.millions.edge.EdgeMain;
import dev.millions.edge.config.EdgeConfig;

/**
 * The load balancer as users run it: {@link EdgeMain} in a JVM of its own, with a small heap that ends
 * the process when it runs out, and Netty's leak detector at PARANOID writing its reports to the log.
 */
public final class LbProcess implements AutoCloseable {

    private static final Duration START_DEADLINE = Duration.ofSeconds(60);

    private final Process process;
    private final Path log;
    private final int port;
    private final int adminPort;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private LbProcess(Process process, Path log, int port, int adminPort, String token) {
        this.process = process;
        this.log = log;
        this.port = port;
        this.adminPort = adminPort;
        this.token = token;
    }

    /** Starts it with {@code config}'s settings on free ports, and waits until it answers. */
    public static LbProcess start(EdgeConfig config, String heap, Path folder) throws IOException, InterruptedException {
        int port = freePort();
        int adminPort = freePort();
        Path tokenFile = folder.resolve("admin.token");
        String token = "test-token-" + port;
        Files.writeString(tokenFile, token);
        EdgeConfig placed = new EdgeConfig(config.name(), "127.0.0.1", port, "127.0.0.1", adminPort, tokenFile,
                                           config.backends(), config.balancing(), config.health(), config.outliers(),
                                           config.slowStartMillis(), config.retries(), config.rateLimit(),
                                           config.limits(), null, config.cdn());
        Path configFile = folder.resolve("lb.json");
        placed.write(configFile);
        Path log = folder.resolve("lb.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-Xms" + heap, "-Xmx" + heap, "-XX:+ExitOnOutOfMemoryError",
                                             "-XX:TieredStopAtLevel=1", "-Dio.netty.leakDetection.level=paranoid", "-cp",
                                             System.getProperty("java.class.path"), EdgeMain.class.getName(),
                                             configFile.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        LbProcess lb = new LbProcess(process, log, port, adminPort, token);
        lb.awaitReady();
        return lb;
    }

    private void awaitReady() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("the lb exited " + process.exitValue() + " before it was ready:\n" + log());
            }
            try {
                if (admin("/health/readiness").statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // Not listening yet.
            }
            Thread.sleep(20);
        }
        throw new IOException("the lb was not ready within " + START_DEADLINE.toSeconds() + " s:\n" + log());
    }

    private HttpResponse<String> admin(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path))
                                    .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10)).build(),
                         HttpResponse.BodyHandlers.ofString());
    }

    public InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", port);
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** One sample of the admin port's Prometheus text, such as {@code millions_lb_stray_releases_total}. */
    public double metric(String name) throws IOException, InterruptedException {
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(name) + " (\\S+)$").matcher(admin("/metrics").body());
        if (!matcher.find()) {
            throw new IOException("no metric " + name);
        }
        return Double.parseDouble(matcher.group(1));
    }

    /** The heap in use right after a full collection, in bytes. */
    public long heapAfterFullGc() throws IOException, InterruptedException {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        Process gc = new ProcessBuilder(jcmd, Long.toString(process.pid()), "GC.run").redirectErrorStream(true).start();
        String out = new String(gc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (gc.waitFor() != 0) {
            throw new IOException("jcmd GC.run failed: " + out);
        }
        return (long) metric("jvm_memory_heap_used_bytes");
    }

    /** Every report of Netty's leak detector in the log so far. */
    public List<String> leaks() throws IOException {
        return log().lines().filter(line -> line.contains("LEAK:")).toList();
    }

    public String log() throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }
}
