package dev.millions.ops.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.stream.Stream;

import dev.millions.common.files.FileTrees;

/**
 * The one folder that holds a system's data, logs and state, so that a second {@code up} finds
 * everything the first one left:
 *
 * <pre>
 * run/
 *   state.json        what runs now: the supervisor and each node (pid, address, status)
 *   control.json      the supervisor's control API: loopback port and token (mode 0600)
 *   prometheus/       a scrape configuration for a Prometheus of one's own: prometheus.yml, targets.json
 *   bench/RUN/        a bench run's report: summary, series, plots
 *   data/NODE/        a node's data (PostgreSQL's data directory, ...)
 *   media/            the uploaded photos, shared by the web nodes
 *   logs/NODE.log     a node's output; logs/supervisor.log, the supervisor's own JSON log
 * </pre>
 */
public record RunFolder(Path root) {

    private static final DateTimeFormatter REPORT_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    public RunFolder {
        root = root.toAbsolutePath().normalize();
    }

    public Path dataDirectory(String node) {
        return root.resolve("data").resolve(node);
    }

    /**
     * Where each CDN edge writes its admin address, token and origin when it starts, for the web nodes'
     * purges and the page's photo fallback.
     */
    public Path cdnEdgesFile() {
        return root.resolve("cdn-edges.json");
    }

    public Path logFile(String node) {
        return root.resolve("logs").resolve(node + ".log");
    }

    /** Where a JVM node writes its heap when it runs out of memory: one dump per node, never overwritten. */
    public Path heapDump(String node) {
        return root.resolve("dumps").resolve(node + ".hprof");
    }

    public Path supervisorLog() {
        return logFile("supervisor");
    }

    public Path stateFile() {
        return root.resolve("state.json");
    }

    /** Where {@code up} writes a Prometheus scrape configuration and its targets, kept current. */
    public Path prometheusFolder() {
        return root.resolve("prometheus");
    }

    /** Where the supervisor's control API listens and its token: readable by the owner only. */
    public Path controlFile() {
        return root.resolve("control.json");
    }

    /**
     * The replicated database whose first primary is {@code primary}, as its failover manager last
     * published it: roles, addresses, epoch.
     */
    public Path clusterFile(String primary) {
        return root.resolve(primary + "-cluster.json");
    }

    /** The same database's members as {@code host:port} lines, for clients that route over them. */
    public Path clusterNodesFile(String primary) {
        return root.resolve(primary + "-cluster.nodes");
    }

    /** Where {@code millions bench} writes a folder per run. */
    public Path benchReports() {
        return root.resolve("bench");
    }

    /** A new folder name for one bench run, e.g. {@code bench/20261124-150302-lb}. */
    public Path benchReport(String kind) {
        return benchReports().resolve(LocalDateTime.now().format(REPORT_TIME) + '-' + kind);
    }

    public Path lockFile() {
        return root.resolve(".lock");
    }

    public void create() throws IOException {
        Files.createDirectories(root.resolve("data"));
        Files.createDirectories(root.resolve("logs"));
    }

    /** Deletes the data and logs of earlier runs (and their media folder, from before photos moved into the database): {@code up --fresh}. */
    public void wipe() throws IOException {
        for (String part : new String[] { "data", "media", "logs", "dumps" }) {
            Path dir = root.resolve(part);
            if (!Files.exists(dir)) {
                continue;
            }
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    if (Files.isSymbolicLink(path) && Files.isDirectory(path)) {
                        // Data kept outside the run folder (see the PostgreSQL launcher) goes too.
                        FileTrees.delete(path.toRealPath());
                    }
                    Files.deleteIfExists(path);
                }
            }
        }
    }
}
