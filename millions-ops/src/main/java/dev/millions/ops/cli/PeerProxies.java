package dev.millions.ops.cli;

import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.millions.common.process.Ports;

/**
 * The processes of {@code millions bench lb}: two nginx backends answering 1 KiB, and HAProxy and
 * nginx set up as round-robin proxies over them with keep-alive, as in FACTS.md's measurement. Each
 * runs pinned to the CPUs given, in the foreground of a process this class owns and stops.
 */
final class PeerProxies implements AutoCloseable {

    static final List<String> PROGRAMS = List.of("nginx", "haproxy", "wrk", "taskset");

    private final Path folder;
    private final String cpus;
    private final List<Process> processes = new ArrayList<>();

    PeerProxies(Path folder, String cpus) {
        this.folder = folder;
        this.cpus = cpus;
    }

    /** Starts the two backends on free ports and returns their addresses. */
    List<String> startBackends() throws IOException {
        int one = Ports.free("127.0.0.1");
        int two = Ports.free("127.0.0.1");
        String body = "x".repeat(1024);
        write("backends.conf", nginxMain("backends") + "http {\n  access_log off;\n  keepalive_requests 1000000;\n"
                               + server(one, "return 200 '" + body + "';") + server(two, "return 200 '" + body + "';")
                               + "}\n");
        start("backends", "nginx", "-p", folder.toString(), "-c", folder.resolve("backends.conf").toString());
        awaitPort(one);
        awaitPort(two);
        return List.of("127.0.0.1:" + one, "127.0.0.1:" + two);
    }

    /** HAProxy checks the backends' health as ours does: a new connection and a GET every second. */
    int startHaproxy(List<String> backends) throws IOException {
        int port = Ports.free("127.0.0.1");
        StringBuilder config = new StringBuilder("""
                global
                  nbthread 1
                  maxconn 8000
                defaults
                  mode http
                  timeout connect 2s
                  timeout client 30s
                  timeout server 30s
                  option http-keep-alive
                  http-reuse always
                """);
        config.append("frontend fe\n  bind 127.0.0.1:").append(port).append("\n  default_backend be\nbackend be\n")
              .append("  balance roundrobin\n  option httpchk GET /\n  timeout check 1s\n");
        for (int i = 0; i < backends.size(); i++) {
            config.append("  server s").append(i).append(' ').append(backends.get(i)).append(" maxconn 2000 check inter 1s rise 2 fall 2\n");
        }
        write("haproxy.cfg", config.toString());
        start("haproxy", "haproxy", "-db", "-f", folder.resolve("haproxy.cfg").toString());
        awaitPort(port);
        return port;
    }

    int startNginxProxy(List<String> backends) throws IOException {
        int port = Ports.free("127.0.0.1");
        StringBuilder upstream = new StringBuilder("  upstream be {\n");
        backends.forEach(backend -> upstream.append("    server ").append(backend).append(";\n"));
        upstream.append("    keepalive 1024;\n  }\n");
        write("proxy.conf", nginxMain("proxy") + "http {\n  access_log off;\n  keepalive_requests 1000000;\n" + upstream
                            + server(port, "proxy_pass http://be; proxy_http_version 1.1; proxy_set_header Connection \"\";")
                            + "}\n");
        start("nginx-proxy", "nginx", "-p", folder.toString(), "-c", folder.resolve("proxy.conf").toString());
        awaitPort(port);
        return port;
    }

    /** Starts any command pinned like the peers, e.g. our own load balancer. */
    void start(String name, String... command) throws IOException {
        List<String> pinned = new ArrayList<>(List.of("taskset", "-c", cpus));
        pinned.addAll(List.of(command));
        Process process = new ProcessBuilder(pinned).redirectErrorStream(true)
                                                    .redirectOutput(Redirect.appendTo(folder.resolve(name + ".log").toFile()))
                                                    .redirectInput(Redirect.from(new File("/dev/null"))).start();
        processes.add(process);
    }

    void awaitPort(int port) throws IOException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException e) {
                for (Process process : processes) {
                    if (!process.isAlive()) {
                        throw new IOException("a peer exited with " + process.exitValue() + "; see the logs in " + folder);
                    }
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", interrupted);
                }
            }
        }
        throw new IOException("nothing listens on port " + port + " after 30 s; see the logs in " + folder);
    }

    private String nginxMain(String name) {
        return "worker_processes 1;\ndaemon off;\nmaster_process off;\npid " + folder.resolve(name + ".pid") + ";\nerror_log "
               + folder.resolve(name + ".error.log") + " warn;\nevents { worker_connections 8000; }\n";
    }

    private static String server(int port, String location) {
        return "  server {\n    listen 127.0.0.1:" + port + " reuseport;\n    location / { " + location + " }\n  }\n";
    }

    private void write(String name, String text) throws IOException {
        Files.writeString(folder.resolve(name), text);
    }

    @Override
    public void close() {
        for (Process process : processes) {
            process.destroy();
        }
        for (Process process : processes) {
            try {
                if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
