package dev.millions.edge.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;

/**
 * Clients as simple scripts and browsers make them, on raw sockets: most requests on a new connection
 * closed after the answer, uploads among them, some on a kept-alive connection, and some that hang up
 * in the middle of their request or of the answer. Every request carries its own token, which the
 * backend's {@code /echo} returns in the body and in a {@code Set-Cookie}, so an answer meant for
 * another client is caught.
 */
public final class ChurnClients {

    private final InetSocketAddress proxy;
    private final LongAdder answered = new LongAdder();
    private final LongAdder failedStatus = new LongAdder();
    private final LongAdder ioErrors = new LongAdder();
    private final LongAdder hangUps = new LongAdder();
    private final List<String> mismatches = new ArrayList<>();
    private final Map<Integer, LongAdder> statuses = new TreeMap<>();

    public ChurnClients(InetSocketAddress proxy) {
        this.proxy = proxy;
    }

    /** Runs {@code clients} threads of {@code requestsEach} requests and returns when all are done. */
    public ChurnClients run(int clients, int requestsEach) throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            threads.add(Thread.ofPlatform().name("churn-" + c).start(() -> loop(client, requestsEach)));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        return this;
    }

    private void loop(int client, int requests) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        Socket keptAlive = null;
        try {
            for (int i = 0; i < requests; i++) {
                String token = "c" + client + "r" + i + "x" + Long.toHexString(random.nextLong());
                int kind = random.nextInt(100);
                try {
                    if (kind < 45) {
                        once(token, upload(token, 100 + random.nextInt(4_000), true));
                    } else if (kind < 65) {
                        once(token, get("/echo?token=" + token, true));
                    } else if (kind < 85) {
                        if (keptAlive == null || keptAlive.isClosed()) {
                            keptAlive = open();
                        }
                        send(keptAlive, random.nextBoolean() ? get("/echo?token=" + token, false)
                                                             : upload(token, 100 + random.nextInt(4_000), false));
                        if (!check(token, read(keptAlive.getInputStream()))) {
                            keptAlive.close();
                        }
                    } else if (kind < 93) {
                        hangUpMidRequest(token);
                    } else {
                        hangUpMidResponse();
                    }
                } catch (IOException e) {
                    ioErrors.increment();
                    if (keptAlive != null) {
                        closeQuietly(keptAlive);
                        keptAlive = null;
                    }
                }
                if (random.nextInt(20) == 0) {
                    // A pause now and then lets pooled backend connections go stale and be swept.
                    Thread.sleep(random.nextInt(1, 60));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (keptAlive != null) {
                closeQuietly(keptAlive);
            }
        }
    }

    private Socket open() throws IOException {
        Socket socket = new Socket(proxy.getAddress(), proxy.getPort());
        socket.setSoTimeout(30_000);
        return socket;
    }

    private void once(String token, byte[] request) throws IOException {
        try (Socket socket = open()) {
            send(socket, request);
            check(token, read(socket.getInputStream()));
        }
    }

    private void hangUpMidRequest(String token) throws IOException {
        try (Socket socket = open()) {
            String head = "POST /echo?token=" + token + " HTTP/1.1\r\nHost: lb\r\nContent-Type: application/octet-stream\r\n"
                          + "Content-Length: 50000\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().write(new byte[1_000]);
            socket.getOutputStream().flush();
        }
        hangUps.increment();
    }

    private void hangUpMidResponse() throws IOException {
        try (Socket socket = open()) {
            send(socket, get("/big?bytes=" + (256 << 10), true));
            socket.getInputStream().readNBytes(2_000);
        }
        hangUps.increment();
    }

    private static void send(Socket socket, byte[] request) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(request);
        out.flush();
    }

    private static byte[] get(String target, boolean close) {
        return ("GET " + target + " HTTP/1.1\r\nHost: lb\r\n" + (close ? "Connection: close\r\n" : "") + "\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A multipart upload, as a browser form sends a photo and its caption. */
    private static byte[] upload(String token, int photoBytes, boolean close) throws IOException {
        String boundary = "----churn" + token;
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"caption\"\r\n\r\ntoken " + token
                    + "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"p.png\"\r\n"
                    + "Content-Type: image/png\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        byte[] photo = new byte[photoBytes];
        ThreadLocalRandom.current().nextBytes(photo);
        body.write(photo);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.write(("POST /echo?token=" + token + " HTTP/1.1\r\nHost: lb\r\n" + (close ? "Connection: close\r\n" : "")
                       + "Content-Type: multipart/form-data; boundary=" + boundary + "\r\nContent-Length: " + body.size()
                       + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        body.writeTo(request);
        return request.toByteArray();
    }

    /** Checks an answer; true when it was the request's own 200. */
    private boolean check(String token, Answer answer) {
        synchronized (statuses) {
            statuses.computeIfAbsent(answer.status, s -> new LongAdder()).increment();
        }
        if (answer.status != 200) {
            failedStatus.increment();
            return false;
        }
        answered.increment();
        String cookie = answer.headers.getOrDefault("set-cookie", "");
        if (!answer.body.startsWith(token + ' ') || !cookie.startsWith("token=" + token + ';')) {
            synchronized (mismatches) {
                mismatches.add("sent " + token + ", got body '" + answer.body + "', Set-Cookie '" + cookie + "'");
            }
            return false;
        }
        return true;
    }

    private record Answer(int status, Map<String, String> headers, String body) {}

    private static Answer read(InputStream raw) throws IOException {
        InputStream in = new BufferedInputStream(raw);
        String statusLine = line(in);
        if (statusLine == null) {
            throw new IOException("connection closed before an answer");
        }
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, String> headers = new TreeMap<>();
        String line;
        while ((line = line(in)) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
        }
        byte[] body;
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int size;
            while ((size = Integer.parseInt(line(in).split(";")[0].strip(), 16)) > 0) {
                out.write(in.readNBytes(size));
                line(in);
            }
            line(in);
            body = out.toByteArray();
        } else {
            body = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
        }
        return new Answer(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            line.append((char) b);
        }
        return line.isEmpty() ? null : line.toString();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Closing is all that was left to do.
        }
    }

    public long answered() {
        return answered.sum();
    }

    public long failedStatus() {
        return failedStatus.sum();
    }

    public long ioErrors() {
        return ioErrors.sum();
    }

    public long hangUps() {
        return hangUps.sum();
    }

    public List<String> mismatches() {
        synchronized (mismatches) {
            return List.copyOf(mismatches);
        }
    }

    @Override
    public String toString() {
        synchronized (statuses) {
            return answered.sum() + " matched answers, statuses " + statuses + ", " + ioErrors.sum() + " I/O errors, "
                   + hangUps.sum() + " hang-ups, " + mismatches().size() + " mismatches";
        }
    }
}
