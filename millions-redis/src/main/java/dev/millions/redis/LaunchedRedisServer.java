package dev.millions.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.millions.common.process.ChildProcess;
import dev.millions.common.process.ChildServer;
import dev.millions.common.process.LogTail;
import dev.millions.common.process.Ports;
import dev.millions.redis.RedisServerBuilder.Spec;

/** A {@code redis-server} child process. */
final class LaunchedRedisServer extends ChildServer implements RedisServer {

    private static final Logger logger = LoggerFactory.getLogger(LaunchedRedisServer.class);
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private final Spec spec;
    private volatile int port;

    LaunchedRedisServer(Spec spec) {
        super(spec.logFile());
        this.spec = spec;
        this.port = spec.port();
    }

    @Override
    public synchronized void start() {
        if (running()) {
            return;
        }
        long startNanos = System.nanoTime();
        Path binary = spec.binary() != null ? spec.binary() : RedisBinary.embedded();
        if (port == 0) {
            port = rememberedPort();
        }
        if (!Ports.isFree(spec.host(), port)) {
            throw new RedisException("port " + port + " on " + spec.host() + " is already in use");
        }
        try {
            Files.createDirectories(spec.dataDirectory());
            process = ChildProcess.start(command(binary), spec.logFile(), Map.of());
        } catch (IOException e) {
            throw new RedisException("cannot start " + binary + ": " + e.getMessage(), e);
        }
        awaitPong(startNanos);
        logger.info("Redis ready at {}:{} (pid {}, data {}) in {} ms", spec.host(), port, process.pid(),
                    spec.dataDirectory(), (System.nanoTime() - startNanos) / 1_000_000);
    }

    private List<String> command(Path binary) {
        List<String> command = new ArrayList<>(List.of(
                // A session of its own keeps a terminal's Ctrl-C away: the owner stops it in order.
                "setsid", binary.toString(),
                "--port", Integer.toString(port), "--bind", spec.host(), "--dir", spec.dataDirectory().toString(),
                "--daemonize", "no", "--logfile", "", "--loglevel", "notice"));
        command.addAll(spec.persistence().arguments());
        if (spec.maxMemoryBytes() > 0) {
            command.addAll(List.of("--maxmemory", Long.toString(spec.maxMemoryBytes()),
                                   "--maxmemory-policy", spec.evictionPolicy()));
        }
        if (spec.clusterNodeTimeout() != null) {
            command.addAll(List.of("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                                   "--cluster-node-timeout", Long.toString(spec.clusterNodeTimeout().toMillis()),
                                   // A master with no replica left keeps serving its slots; the others
                                   // keep serving theirs when one shard is down.
                                   "--cluster-require-full-coverage", "no"));
        }
        return command;
    }

    /** Loading an AOF answers {@code -LOADING} for a while: ready means {@code +PONG}. */
    private void awaitPong(long startNanos) {
        long deadline = startNanos + spec.startTimeout().toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new RedisException("redis-server exited during start-up (exit code " + process.exitCode()
                                         + "); see " + spec.logFile() + ":\n" + LogTail.of(spec.logFile(), 10));
            }
            last = ping();
            if ("+PONG".equals(last)) {
                return;
            }
            sleep(25);
        }
        stop();
        throw new RedisException("redis-server at " + spec.host() + ':' + port + " did not answer PING within "
                                 + spec.startTimeout().toMillis() + " ms (last: " + last + "); see " + spec.logFile());
    }

    private String ping() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(spec.host(), port), 1_000);
            socket.setSoTimeout(1_000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int b = in.read(); b >= 0 && b != '\r'; b = in.read()) {
                line.append((char) b);
            }
            return line.toString();
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Override
    public synchronized void stop() {
        ChildProcess running = process;
        if (running != null && !running.stop(List.of(ChildProcess.StopStep.of("TERM", STOP_GRACE)))) {
            logger.warn("Redis ({}) did not stop within {} ms of SIGTERM; killed", running, STOP_GRACE.toMillis());
        }
    }

    @Override
    public boolean isReady() {
        ChildProcess running = process;
        return running != null && running.isAlive() && "+PONG".equals(ping());
    }

    @Override
    public String host() {
        return spec.host();
    }

    @Override
    public int port() {
        return port;
    }

    /**
     * The port this server's data folder was first served on, or a new free one, remembered there. A
     * cluster node must keep its port for life: its peers' {@code nodes.conf} know it by that address,
     * and after a restart of the whole cluster no node could find another on new ports.
     */
    private int rememberedPort() {
        Path file = spec.dataDirectory().resolve("port");
        try {
            if (Files.isRegularFile(file)) {
                return Integer.parseInt(Files.readString(file).strip());
            }
            int chosen = freePort();
            Files.createDirectories(spec.dataDirectory());
            Files.writeString(file, chosen + "\n");
            return chosen;
        } catch (IOException | NumberFormatException e) {
            throw new RedisException("cannot read or write the port file " + file + ": " + e.getMessage(), e);
        }
    }

    private int freePort() {
        // A cluster node also listens on port + 10000: both must be free.
        for (int attempt = 0; attempt < 50; attempt++) {
            int candidate;
            try {
                candidate = Ports.free(spec.host());
            } catch (UncheckedIOException e) {
                throw new RedisException(e.getMessage(), e);
            }
            if (candidate <= 55535 && (spec.clusterNodeTimeout() == null || Ports.isFree(spec.host(), candidate + 10_000))) {
                return candidate;
            }
        }
        throw new RedisException("no free port pair (port, port + 10000) on " + spec.host());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RedisException("interrupted while waiting for Redis to start", e);
        }
    }

    @Override
    public String toString() {
        return "RedisServer{" + spec.host() + ':' + port + ", pid " + pid() + '}';
    }
}
