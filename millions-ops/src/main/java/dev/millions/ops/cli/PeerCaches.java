package dev.millions.ops.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import dev.millions.common.files.FileTrees;
import dev.millions.common.process.Ports;

/**
 * The processes of {@code millions bench cdn} but our edge: one nginx origin serving generated static
 * files (and {@code /slow/*} through {@link SlowOrigin}), and the peer caches in front of it, nginx with
 * {@code proxy_cache} and Varnish. All of them run pinned to the proxy CPUs through {@link PeerProxies},
 * which owns and stops the processes. The origin logs only the {@code /slow} requests, so that the
 * coalescing test can count each cache's fetches without a log line for every request of the other phases.
 * What the caches store, and the origin's objects, live in a scratch folder in memory (see {@link
 * #scratch}); configs and logs in the report folder.
 */
final class PeerCaches implements AutoCloseable {

    static final List<String> PROGRAMS = List.of("nginx", "varnishd", "wrk", "taskset");
    static final int SMALL_OBJECTS = 100;
    static final int SMALL_BYTES = 1024;
    static final int LARGE_OBJECTS = 8;
    static final int LARGE_BYTES = 1 << 20;
    /** Each cache's memory: Varnish's malloc store, nginx's max_size, our memory tier. */
    static final long CACHE_BYTES = 512L << 20;

    private static final String FETCH_LOG = "origin-fetches.log";
    private static final long MARKER_TIMEOUT_MILLIS = 5_000;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                                                     .connectTimeout(Duration.ofSeconds(2)).build();

    private final Path folder;
    private final Path scratch;
    private final PeerProxies processes;
    private int originPort = -1;
    private int markers;

    /**
     * @param folder the report folder: configs and logs
     * @param scratch where the caches store and the objects are written; deleted on {@link #close}
     */
    PeerCaches(Path folder, Path scratch, PeerProxies processes) {
        this.folder = folder;
        this.scratch = scratch;
        this.processes = processes;
    }

    /** Writes the objects and starts the origin; returns its port. */
    int startOrigin(int slowPort) throws IOException {
        writeObjects("small", SMALL_OBJECTS, SMALL_BYTES);
        writeObjects("large", LARGE_OBJECTS, LARGE_BYTES);
        int port = Ports.free("127.0.0.1");
        Files.writeString(folder.resolve("origin.conf"), originConfig(folder, scratch, port, slowPort));
        processes.start("origin", "nginx", "-p", folder.toString(), "-c", folder.resolve("origin.conf").toString());
        processes.awaitPort(port);
        originPort = port;
        awaitAnswer(port, "/small/0");
        return port;
    }

    int startNginxCache(int origin) throws IOException {
        int port = Ports.free("127.0.0.1");
        Files.createDirectories(scratch.resolve("nginx-cache"));
        Files.writeString(folder.resolve("nginx-cache.conf"), nginxCacheConfig(folder, scratch, port, origin));
        processes.start("nginx-cache", "nginx", "-p", folder.toString(), "-c",
                        folder.resolve("nginx-cache.conf").toString());
        processes.awaitPort(port);
        awaitAnswer(port, "/small/0");
        return port;
    }

    /**
     * Varnish in the foreground ({@code -F}), so that stopping the process stops its child too. {@code -j
     * none}: as root, varnishd's default jail switches to a {@code varnish} user, which cannot work in a
     * report folder owned by root; the bench runs it without a jail instead. {@code -T none}: no
     * management port, nothing here uses it. Its working folder ({@code -n}) holds its shared memory log,
     * which Varnish's docs want on tmpfs: on a disk, writing it back stalls the cache.
     */
    int startVarnish(int origin) throws IOException {
        int port = Ports.free("127.0.0.1");
        Path vcl = folder.resolve("varnish.vcl");
        Files.writeString(vcl, vcl(origin));
        processes.start("varnish", "varnishd", "-F", "-j", "none", "-n", scratch.resolve("varnish-work").toString(),
                        "-a", "127.0.0.1:" + port, "-f", vcl.toString(), "-s", "malloc," + (CACHE_BYTES >> 20) + "m",
                        "-T", "none",
                        // The coalescing test opens 1000 connections at once: Varnish's default accept queue
                        // (1024) and its queue of sessions waiting for a thread (20) would drop some.
                        "-p", "listen_depth=4096", "-p", "thread_queue_limit=2000");
        processes.awaitPort(port);
        awaitAnswer(port, "/small/0");
        return port;
    }

    /** Starts our edge (or any command) pinned like the peers. */
    void start(String name, String... command) throws IOException {
        processes.start(name, command);
    }

    void awaitPort(int port) throws IOException {
        processes.awaitPort(port);
    }

    /**
     * Waits until {@code path} through {@code port} answers 200: a cache listens before its first origin
     * health check passes (ours), so a port that answers is not yet a cache that serves.
     */
    void awaitAnswer(int port, String path) throws IOException {
        long started = System.nanoTime();
        String last = "no answer yet";
        while (System.nanoTime() - started < 30_000_000_000L) {
            try {
                int status = get(port, path);
                if (status == 200) {
                    return;
                }
                last = "status " + status;
            } catch (IOException e) {
                last = e.toString();
            }
            pause();
        }
        throw new IOException("GET " + path + " on port " + port + " did not answer 200 after "
                              + (System.nanoTime() - started) / 1_000_000 + " ms (last: " + last + "); see the logs in "
                              + folder);
    }

    /**
     * How many requests for {@code path} reached the origin. First a marker request goes to the origin
     * itself and the log is read until it shows: nginx writes a request's line when it ends, so a cache
     * may hold its answer a moment before the origin's line for it is written; the marker comes after.
     */
    long originFetches(String path) throws IOException {
        String marker = "/slow-done?" + (++markers);
        int status = get(originPort, marker);
        if (status != 204) {
            throw new IOException("the origin answered " + status + " to " + marker + " (expected 204)");
        }
        Path log = folder.resolve(FETCH_LOG);
        long started = System.nanoTime();
        while (true) {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            if (fetches(lines, marker) > 0) {
                return fetches(lines, path);
            }
            if (System.nanoTime() - started > MARKER_TIMEOUT_MILLIS * 1_000_000) {
                throw new IOException("the origin's log " + log + " shows no line for " + marker + " after "
                                      + MARKER_TIMEOUT_MILLIS + " ms (" + lines.size() + " lines)");
            }
            pause();
        }
    }

    /** The lines of the origin's fetch log ({@code $request_uri $status}) for exactly {@code path}. */
    static long fetches(List<String> logLines, String path) {
        return logLines.stream().filter(line -> {
            int space = line.indexOf(' ');
            return (space < 0 ? line : line.substring(0, space)).equals(path);
        }).count();
    }

    /** The origin: static files with a one-hour freshness; {@code /slow/} passed to the slow server. */
    static String originConfig(Path folder, Path scratch, int port, int slowPort) {
        return nginxMain(folder, "origin", false) + "http {\n"
               + "  default_type application/octet-stream;\n  sendfile on;\n  keepalive_requests 1000000;\n"
               // The miss phase asks for a new URL each time: without this, each is an open() and fstat().
               + "  open_file_cache max=1000;\n"
               + "  map $uri $fetch { ~^/slow 1; default 0; }\n"
               + "  log_format fetch '$request_uri $status';\n"
               + "  access_log " + folder.resolve(FETCH_LOG) + " fetch if=$fetch;\n"
               + "  upstream slow {\n    server 127.0.0.1:" + slowPort + ";\n    keepalive 64;\n  }\n"
               + "  server {\n    listen 127.0.0.1:" + port + " reuseport backlog=4096;\n"
               + "    location / {\n      root " + scratch.resolve("origin") + ";\n"
               + "      add_header Cache-Control \"public, max-age=3600\";\n    }\n"
               + "    location /slow/ {\n      proxy_pass http://slow;\n      proxy_http_version 1.1;\n"
               + "      proxy_set_header Connection \"\";\n    }\n"
               + "    location = /slow-done { return 204; }\n"
               + "    location = /health { return 200 \"ok\\n\"; }\n"
               + "  }\n}\n";
    }

    /**
     * nginx as a cache. A master process this time: its cache manager is what holds the cache to
     * {@code max_size}, as Varnish and ours evict to stay in their memory, and the master runs workers
     * as nobody unless told {@code user root} (the report folder is root's). {@code proxy_cache_lock}
     * is off by default; on, nginx coalesces misses as Varnish and ours do. Its files go to the scratch
     * folder, in memory like the other two caches' stores, rather than to a disk that would make the miss
     * phase measure file creation on this machine's disk.
     */
    static String nginxCacheConfig(Path folder, Path scratch, int port, int originPort) {
        return "user root;\n" + nginxMain(folder, "nginx-cache", true) + "http {\n  access_log off;\n"
               + "  sendfile on;\n  keepalive_requests 1000000;\n"
               // keys_zone: 1 MiB holds about 8000 keys; the miss phase stores hundreds of thousands.
               + "  proxy_cache_path " + scratch.resolve("nginx-cache") + " levels=1:2 keys_zone=cdn:64m max_size="
               + (CACHE_BYTES >> 20) + "m inactive=1h use_temp_path=off;\n"
               + "  upstream origin {\n    server 127.0.0.1:" + originPort + ";\n    keepalive 1024;\n  }\n"
               + "  server {\n    listen 127.0.0.1:" + port + " reuseport backlog=4096;\n"
               + "    location / {\n      proxy_pass http://origin;\n      proxy_http_version 1.1;\n"
               + "      proxy_set_header Connection \"\";\n      proxy_cache cdn;\n      proxy_cache_lock on;\n"
               + "      proxy_cache_lock_timeout 10s;\n      proxy_cache_lock_age 10s;\n"
               + "      add_header X-Cache-Status $upstream_cache_status;\n    }\n  }\n}\n";
    }

    /** Varnish's built-in VCL does the rest: it caches by URL and Host, and coalesces misses. */
    static String vcl(int originPort) {
        return "vcl 4.1;\n\nbackend origin {\n  .host = \"127.0.0.1\";\n  .port = \"" + originPort + "\";\n"
               + "  .first_byte_timeout = 10s;\n}\n";
    }

    private static String nginxMain(Path folder, String name, boolean master) {
        return "worker_processes 1;\ndaemon off;\nmaster_process " + (master ? "on" : "off") + ";\npid "
               + folder.resolve(name + ".pid") + ";\nerror_log " + folder.resolve(name + ".error.log")
               + " warn;\nevents { worker_connections 8000; }\n";
    }

    private void writeObjects(String kind, int count, int bytes) throws IOException {
        Path dir = scratch.resolve("origin").resolve(kind);
        Files.createDirectories(dir);
        byte[] body = new byte[bytes];
        for (int i = 0; i < count; i++) {
            Arrays.fill(body, (byte) ('a' + i % 26));
            Files.write(dir.resolve(Integer.toString(i)), body);
        }
    }

    private static int get(int port, String path) throws IOException {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                        .timeout(Duration.ofSeconds(5)).build(),
                             HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted during GET " + path + " on port " + port, e);
        }
    }

    private static void pause() throws IOException {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /**
     * A new scratch folder in {@code /dev/shm} (tmpfs: memory, as Varnish's and our stores are), or in the
     * report folder where there is none.
     */
    static Path scratch(Path folder) throws IOException {
        Path shm = Path.of("/dev/shm");
        return Files.isDirectory(shm) && Files.isWritable(shm) ? Files.createTempDirectory(shm, "millions-bench-cdn-")
                                                                : Files.createDirectories(folder.resolve("scratch"));
    }

    /**
     * Stops every process, then deletes the scratch folder: nginx's cache files (hundreds of thousands
     * after the miss phase), Varnish's shared memory log and the origin's objects. Configs and logs stay.
     */
    @Override
    public void close() throws IOException {
        processes.close();
        FileTrees.delete(scratch);
    }
}
