package dev.millions.bench.workload;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * HTTP/1.1 as many scripts and simple clients speak it: one request on a new TCP connection, sent
 * with {@code Connection: close}, the answer read until the server closes. A pooled client never
 * does this, so the load balancer's accept path, its first-request handling and its backend
 * connection churn are only exercised by a client like this one.
 */
final class OneShotHttp {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final int MAX_HEAD_BYTES = 64 * 1024;

    private final InetSocketAddress address;
    private final String host;
    private final Duration timeout;

    OneShotHttp(URI base, Duration timeout) {
        this.host = base.getHost() + (base.getPort() < 0 ? "" : ":" + base.getPort());
        this.address = new InetSocketAddress(base.getHost(), base.getPort() < 0 ? 80 : base.getPort());
        this.timeout = timeout;
    }

    /** One exchange; {@code headers} are name-value pairs, {@code body} may be {@code null}. */
    Answer exchange(String method, String target, List<String> headers, byte[] body) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Socket socket = new Socket()) {
            socket.connect(address, (int) CONNECT_TIMEOUT.toMillis());
            socket.setTcpNoDelay(true);
            socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
            StringBuilder head = new StringBuilder(256).append(method).append(' ').append(target)
                                                       .append(" HTTP/1.1\r\nHost: ").append(host)
                                                       .append("\r\nConnection: close\r\n");
            for (int i = 0; i + 1 < headers.size(); i += 2) {
                head.append(headers.get(i)).append(": ").append(headers.get(i + 1)).append("\r\n");
            }
            if (body != null || !method.equals("GET")) {
                head.append("Content-Length: ").append(body == null ? 0 : body.length).append("\r\n");
            }
            OutputStream out = socket.getOutputStream();
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            return read(new Deadlined(new BufferedInputStream(socket.getInputStream()), deadline), method);
        }
    }

    /** A status, the header lines as received, and the body decoded from its framing. */
    record Answer(int status, List<String> headers, String body) {

        List<String> values(String name) {
            List<String> values = new ArrayList<>();
            for (String line : headers) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    values.add(line.substring(colon + 1).trim());
                }
            }
            return values;
        }
    }

    private static Answer read(Deadlined in, String method) throws IOException {
        String statusLine = line(in);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP/1.x status line: '" + statusLine + "'");
        }
        int status = Integer.parseInt(parts[1]);
        List<String> headers = new ArrayList<>();
        int headBytes = statusLine.length();
        for (String line = line(in); !line.isEmpty(); line = line(in)) {
            headBytes += line.length();
            if (headBytes > MAX_HEAD_BYTES) {
                throw new IOException("response head longer than " + MAX_HEAD_BYTES + " bytes");
            }
            headers.add(line);
        }
        Answer head = new Answer(status, headers, "");
        byte[] body;
        if (method.equals("HEAD") || status == 204 || status == 304 || status / 100 == 1) {
            body = new byte[0];
        } else if (head.values("Transfer-Encoding").stream()
                       .anyMatch(value -> value.toLowerCase(Locale.ROOT).contains("chunked"))) {
            body = chunked(in);
        } else if (!head.values("Content-Length").isEmpty()) {
            body = in.readNBytes(Integer.parseInt(head.values("Content-Length").getFirst()));
        } else {
            body = in.readAllBytes();
        }
        return new Answer(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    private static byte[] chunked(Deadlined in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = line(in);
            int semicolon = sizeLine.indexOf(';');
            int size = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
            if (size == 0) {
                while (!line(in).isEmpty()) {
                    // Trailer fields are not used by the app.
                }
                return body.toByteArray();
            }
            body.write(in.readNBytes(size));
            line(in);
        }
    }

    private static String line(Deadlined in) throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            int next = in.read();
            if (next < 0) {
                throw new EOFException("connection closed before the response was complete");
            }
            if (next == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            line.append((char) next);
            if (line.length() > MAX_HEAD_BYTES) {
                throw new IOException("line longer than " + MAX_HEAD_BYTES + " bytes");
            }
        }
    }

    /** The request timeout bounds the whole answer, not only each read, as HttpClient's does. */
    private static final class Deadlined extends InputStream {

        private final InputStream in;
        private final long deadline;

        Deadlined(InputStream in, long deadline) {
            this.in = in;
            this.deadline = deadline;
        }

        @Override
        public int read() throws IOException {
            check();
            return in.read();
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            check();
            return in.read(buffer, offset, length);
        }

        private void check() throws SocketTimeoutException {
            if (System.nanoTime() - deadline > 0) {
                throw new SocketTimeoutException("no complete answer within the request timeout");
            }
        }
    }
}
