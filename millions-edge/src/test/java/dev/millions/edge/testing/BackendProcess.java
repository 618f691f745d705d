package dev.millions.edge.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** A {@link TestBackend} in a JVM of its own, so that a test can {@code kill -9}, restart and pause it. */
public final class BackendProcess implements AutoCloseable {

    private final String id;
    private final int port;
    private Process process;

    private BackendProcess(String id, int port) {
        this.id = id;
        this.port = port;
    }

    public static BackendProcess start(String id) throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        BackendProcess backend = new BackendProcess(id, port);
        backend.launch();
        return backend;
    }

    private void launch() throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        process = new ProcessBuilder(java, "-Xmx64m", "-XX:TieredStopAtLevel=1", "-cp",
                                     System.getProperty("java.class.path"), TestBackend.class.getName(), id,
                                     Integer.toString(port))
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (line == null || !line.startsWith("ready")) {
            process.destroyForcibly();
            throw new IOException("test backend " + id + " did not start on port " + port + ": " + line);
        }
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

    /** Starts it again on the same port, after a {@link #kill}. */
    public void restart() throws IOException, InterruptedException {
        kill();
        launch();
    }

    /** SIGSTOP: the process holds its connections but answers nothing, like a long GC pause. */
    public void pause() throws IOException, InterruptedException {
        signal("STOP");
    }

    public void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        int exit = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor();
        if (exit != 0) {
            throw new IOException("kill -" + name + " " + process.pid() + " exited " + exit);
        }
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
