package dev.millions.edge.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** A {@link TestBackend} in a JVM of its own, so that a test can {@code kill -9} it. */
public final class BackendProcess implements AutoCloseable {

    private final String id;
    private final Process process;
    private final int port;

    private BackendProcess(String id, Process process, int port) {
        this.id = id;
        this.process = process;
        this.port = port;
    }

    public static BackendProcess start(String id) throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-Xmx64m", "-XX:TieredStopAtLevel=1", "-cp",
                                             System.getProperty("java.class.path"), TestBackend.class.getName(), id,
                                             Integer.toString(port))
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (line == null || !line.startsWith("ready")) {
            process.destroyForcibly();
            throw new IOException("test backend " + id + " did not start: " + line);
        }
        return new BackendProcess(id, process, port);
    }

    public String id() {
        return id;
    }

    public String address() {
        return "127.0.0.1:" + port;
    }

    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
