package dev.millions.bench.fault;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP relay on loopback in front of one node, which can hold every chunk the node sends back for a
 * while: the latency fault. This kernel has no {@code netem} queueing discipline, so latency comes
 * from a proxy of our own placed in the bench's path, not from the network stack.
 *
 * <p>Each connection gets two virtual threads, one per direction; a chunk is written only after the
 * previous write returned, so a slow reader slows the relay instead of filling its memory.
 */
public final class DelayRelay implements AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(DelayRelay.class);
    private static final int CHUNK = 16 * 1024;

    private final InetSocketAddress target;
    private final ServerSocket server;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile long delayMillis;

    private DelayRelay(InetSocketAddress target, ServerSocket server) {
        this.target = target;
        this.server = server;
    }

    /** Listens on a free loopback port and relays to {@code target}, with no delay yet. */
    public static DelayRelay start(InetSocketAddress target) throws IOException {
        ServerSocket server = new ServerSocket(0, 1024, InetAddress.getLoopbackAddress());
        DelayRelay relay = new DelayRelay(target, server);
        Thread.ofVirtual().name("relay-accept-" + server.getLocalPort()).start(relay::acceptLoop);
        return relay;
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
    }

    public void delay(Duration delay) {
        delayMillis = delay.toMillis();
    }

    public Duration delay() {
        return Duration.ofMillis(delayMillis);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Thread.ofVirtual().start(() -> relay(client));
            } catch (IOException e) {
                if (!server.isClosed()) {
                    logger.warn("relay to {} cannot accept: {}", target, e.toString());
                }
            }
        }
    }

    private void relay(Socket client) {
        Socket upstream = new Socket();
        try {
            upstream.connect(target, 2_000);
        } catch (IOException e) {
            // The client sees what it would see without us: its connection closed at once.
            closeQuietly(client);
            closeQuietly(upstream);
            return;
        }
        sockets.add(client);
        sockets.add(upstream);
        Thread.ofVirtual().start(() -> pump(client, upstream, false));
        pump(upstream, client, true);
    }

    private void pump(Socket from, Socket to, boolean delayed) {
        byte[] buffer = new byte[CHUNK];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                long delay = delayMillis;
                if (delayed && delay > 0) {
                    Thread.sleep(delay);
                }
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (IOException e) {
            // One side went away; closing both below tells the other.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            sockets.remove(from);
            sockets.remove(to);
        }
    }

    @Override
    public void close() {
        closeQuietly(server);
        sockets.forEach(DelayRelay::closeQuietly);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // Closing is best effort here: the relay is going away.
        }
    }
}
