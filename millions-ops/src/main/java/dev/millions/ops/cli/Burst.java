package dev.millions.ops.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Many requests for one path, in flight together: it opens every connection first and only then writes
 * the requests, one after another, so they all reach the cache within a few milliseconds (well inside
 * the slow origin's delay), instead of trickling in as connections are made. Each request asks to close
 * its connection, so an answer is complete when its connection ends.
 */
final class Burst {

    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    private static final int READ_TIMEOUT_MILLIS = 30_000;

    private final int port;
    private final int count;

    Burst(int port, int count) {
        this.port = port;
        this.count = count;
    }

    /** What came back: answers with status 200, the others, and the time from the first write to the last answer. */
    record Outcome(int ok, int failed, long millis) {}

    Outcome fire(String path) throws IOException {
        long started = System.nanoTime();
        List<Socket> sockets = new ArrayList<>(count);
        try {
            for (int i = 0; i < count; i++) {
                Socket socket = new Socket();
                sockets.add(socket);
                try {
                    socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
                                   CONNECT_TIMEOUT_MILLIS);
                    socket.setSoTimeout(READ_TIMEOUT_MILLIS);
                } catch (IOException e) {
                    throw new IOException("burst to port " + port + ": connected " + i + " of " + count + " after "
                                          + elapsedMillis(started) + " ms: " + e.getMessage(), e);
                }
            }
            byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            long writing = System.nanoTime();
            for (Socket socket : sockets) {
                socket.getOutputStream().write(request);
            }
            // Answers wait in the kernel's buffers, so reading them one after another does not hold any back.
            int ok = 0;
            for (int i = 0; i < sockets.size(); i++) {
                try {
                    ok += status(sockets.get(i).getInputStream()) == 200 ? 1 : 0;
                } catch (IOException e) {
                    throw new IOException("burst to port " + port + ": reading answer " + (i + 1) + " of " + count
                                          + " after " + elapsedMillis(writing) + " ms (" + ok + " answered 200): "
                                          + e.getMessage(), e);
                }
            }
            return new Outcome(ok, count - ok, elapsedMillis(writing));
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }

    /** The status of the answer on {@code in}, read to its end; -1 when the connection ends with none. */
    static int status(InputStream in) throws IOException {
        byte[] all = in.readAllBytes();
        String head = new String(all, 0, Math.min(all.length, 32), StandardCharsets.US_ASCII);
        if (!head.startsWith("HTTP/1.") || head.length() < 12) {
            return -1;
        }
        try {
            return Integer.parseInt(head.substring(9, 12));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static long elapsedMillis(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
