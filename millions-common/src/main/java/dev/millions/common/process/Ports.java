package dev.millions.common.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Free ports on a host, and whether a wanted one is free, the way a server's bind will see it. */
public final class Ports {

    private Ports() {}

    /**
     * A port that is free on {@code host} now.
     *
     * @throws UncheckedIOException when the host has none, or is not an address of this machine
     */
    public static int free(String host) {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + host + ": " + e.getMessage(), e);
        }
    }

    /**
     * Whether a server could listen on {@code host:port} now. As servers bind (with SO_REUSEADDR),
     * connections of an earlier run in TIME_WAIT do not count; a listener does.
     */
    public static boolean isFree(String host, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
