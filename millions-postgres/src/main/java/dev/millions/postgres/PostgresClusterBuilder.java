package dev.millions.postgres;

import static dev.millions.postgres.PostgresServerBuilder.checkArgument;
import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongSupplier;

/** Builds a {@link PostgresCluster}; the first node added is the primary of a new cluster. */
public final class PostgresClusterBuilder {

    /**
     * Settings every node gets. WAL is kept long enough for a clone to catch up without slots (a slot
     * would keep WAL for a dead replica until the disk fills); a standby whose primary vanished asks
     * the new one again after 100 ms instead of the default 5 s, which would hold up every commit
     * waiting for it; hot standby feedback keeps replica reads from being cancelled by vacuum.
     */
    private static final Map<String, String> REPLICATION_SETTINGS = Map.of(
            "wal_keep_size", "256MB",
            "wal_retrieve_retry_interval", "100ms",
            "wal_receiver_status_interval", "1s",
            "hot_standby_feedback", "on");

    private final List<MemberSpec> nodes = new ArrayList<>();
    private final Map<String, String> settings = new LinkedHashMap<>(REPLICATION_SETTINGS);
    private String listenAddress = "127.0.0.1";
    private Path stateFile;
    private Duration probeInterval = Duration.ofMillis(100);
    private Duration detectionWindow = Duration.ofMillis(500);
    private int misses = 3;
    private ClusterListener listener = ClusterListener.NONE;
    private LongSupplier ticker = System::nanoTime;

    PostgresClusterBuilder() {}

    /**
     * Where the failover manager's time comes from (nanoseconds, as {@link System#nanoTime()}): its
     * failure detection window, its rebuild back-off and its durations. Tests pass a fake one.
     */
    public PostgresClusterBuilder ticker(LongSupplier ticker) {
        this.ticker = requireNonNull(ticker, "ticker");
        return this;
    }

    /**
     * Adds a node.
     *
     * @param logFile where its output goes, or {@code null} for {@code <dataDirectory>.log}
     * @param port its TCP port, 0 for a free one (kept across restarts and re-clones)
     * @param synchronous whether its acknowledgement counts for a commit ({@code ANY 1} of the
     *                    synchronous nodes must have the WAL on disk); only such a node is promoted. An
     *                    asynchronous replica (a remote data center) never holds up a commit.
     */
    public PostgresClusterBuilder node(String name, Path dataDirectory, Path logFile, int port, boolean synchronous) {
        requireNonNull(name, "name");
        requireNonNull(dataDirectory, "dataDirectory");
        checkArgument(nodes.stream().noneMatch(node -> node.name().equals(name)), "name: %s (expected: unique)", name);
        checkArgument(nodes.size() > 0 || synchronous, "%s: the first node is the primary (expected: synchronous)",
                      name);
        nodes.add(new MemberSpec(name, dataDirectory, logFile, port, synchronous));
        return this;
    }

    public PostgresClusterBuilder listenAddress(String listenAddress) {
        this.listenAddress = requireNonNull(listenAddress, "listenAddress");
        return this;
    }

    /** A PostgreSQL setting for every node, passed as {@code -c name=value}. */
    public PostgresClusterBuilder setting(String name, String value) {
        checkArgument(!name.equals("synchronous_standby_names") && !name.equals("primary_conninfo"),
                      "setting: %s (expected: not one the failover manager changes)", name);
        settings.put(name, requireNonNull(value, "value"));
        return this;
    }

    /**
     * Where the cluster records its primary and epoch, so that a restart knows which node holds the
     * newest data; by default {@code cluster.state} beside the first node's data directory.
     */
    public PostgresClusterBuilder stateFile(Path stateFile) {
        this.stateFile = requireNonNull(stateFile, "stateFile").toAbsolutePath().normalize();
        return this;
    }

    /**
     * How the manager decides that a node died: it probes every {@code probeInterval}, and a node is
     * dead after {@code misses} failed probes in a row spanning at least {@code detectionWindow}. A
     * primary paused for less than the window is never replaced.
     */
    public PostgresClusterBuilder detection(Duration probeInterval, int misses, Duration detectionWindow) {
        checkArgument(probeInterval.toMillis() >= 10, "probeInterval: %s (expected: >= 10 ms)", probeInterval);
        checkArgument(misses >= 2, "misses: %s (expected: >= 2, one lost probe must not decide)", misses);
        checkArgument(detectionWindow.compareTo(probeInterval.multipliedBy(misses - 1)) >= 0,
                      "detectionWindow: %s (expected: >= probeInterval x (misses - 1) = %s)", detectionWindow,
                      probeInterval.multipliedBy(misses - 1));
        this.probeInterval = probeInterval;
        this.misses = misses;
        this.detectionWindow = detectionWindow;
        return this;
    }

    public PostgresClusterBuilder listener(ClusterListener listener) {
        this.listener = requireNonNull(listener, "listener");
        return this;
    }

    public PostgresCluster build() {
        if (nodes.size() < 2) {
            throw new IllegalStateException("a cluster needs at least 2 nodes (has " + nodes.size() + ')');
        }
        Path state = stateFile != null ? stateFile : nodes.getFirst().dataDirectory().toAbsolutePath().normalize()
                                                          .resolveSibling("cluster.state");
        Map<String, String> nodeSettings = Map.copyOf(settings);
        String address = listenAddress;
        int missesToDie = misses;
        Duration window = detectionWindow;
        LongSupplier time = ticker;
        Function<MemberSpec, ClusterMember> memberFactory = node -> {
            PostgresServerBuilder server = PostgresServer.builder().nodeName(node.name())
                                                         .dataDirectory(node.dataDirectory())
                                                         .listenAddress(address).port(node.port());
            if (node.logFile() != null) {
                server.logFile(node.logFile());
            }
            nodeSettings.forEach(server::setting);
            return new ClusterMember(node.name(), (LaunchedPostgresServer) server.build(), node.synchronous(),
                                     new FailureDetector(missesToDie, window, time), time);
        };
        return new LaunchedPostgresCluster(List.copyOf(nodes), memberFactory, state, probeInterval, listener, time);
    }
}
