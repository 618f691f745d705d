package dev.millions.postgres;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/** One node of a cluster as the failover manager sees it: its server, its probe and what it last said. */
final class ClusterMember {

    private static final String PROBE = """
            SELECT pg_is_in_recovery(),
                   (CASE WHEN pg_is_in_recovery() THEN pg_last_wal_receive_lsn() ELSE pg_current_wal_lsn() END)::text,
                   pg_last_wal_replay_lsn()::text,
                   EXISTS (SELECT 1 FROM pg_stat_wal_receiver WHERE status = 'streaming')""";

    final String name;
    final LaunchedPostgresServer server;
    final boolean synchronous;
    final FailureDetector detector;
    private volatile Connection probeConnection;
    private CompletableFuture<Probe> inFlight;
    volatile Probe last;
    volatile boolean rebuilding;
    volatile long lastStreamingNanos;
    volatile long lastRebuildNanos;

    ClusterMember(String name, LaunchedPostgresServer server, boolean synchronous, FailureDetector detector,
                  LongSupplier ticker) {
        this.lastStreamingNanos = ticker.getAsLong();
        this.lastRebuildNanos = ticker.getAsLong() - TimeUnit.HOURS.toNanos(1);
        this.name = name;
        this.server = server;
        this.synchronous = synchronous;
        this.detector = detector;
    }

    /**
     * What the node said to one probe.
     *
     * @param lsn the WAL written (primary) or received (standby)
     * @param replayLsn the WAL replayed (standby), -1 on a primary
     */
    record Probe(boolean inRecovery, long lsn, long replayLsn, boolean streaming) {}

    /**
     * Starts a probe unless the last one still runs (a paused server holds it), and returns it; the
     * caller waits for it as long as a probe may take.
     */
    synchronized CompletableFuture<Probe> probe() {
        if (inFlight != null && !inFlight.isDone()) {
            return inFlight;
        }
        inFlight = CompletableFuture.supplyAsync(this::probeNow, Thread::startVirtualThread);
        return inFlight;
    }

    private Probe probeNow() {
        try {
            if (probeConnection == null) {
                probeConnection = server.connectAdmin();
            }
            try (Statement statement = probeConnection.createStatement();
                 ResultSet row = statement.executeQuery(PROBE)) {
                row.next();
                return new Probe(row.getBoolean(1), Lsn.parse(row.getString(2)), Lsn.parse(row.getString(3)),
                                 row.getBoolean(4));
            }
        } catch (SQLException e) {
            closeProbeConnection();
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /**
     * Drops the probe's connection without waiting: a probe stuck on a paused server holds the
     * connection's lock, and {@code close()} would wait for it as long as the pause lasts.
     */
    void closeProbeConnection() {
        Connection connection = probeConnection;
        probeConnection = null;
        if (connection != null) {
            try {
                connection.abort(Thread::startVirtualThread);
            } catch (SQLException e) {
                // It is being dropped because it failed.
            }
        }
    }

    /** The WAL this standby received, asked afresh: how the manager picks whom to promote. */
    long receivedLsn() throws SQLException {
        try (Connection connection = server.connectAdmin();
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT pg_last_wal_receive_lsn()::text, "
                                                    + "pg_last_wal_replay_lsn()::text")) {
            row.next();
            return Math.max(Lsn.parse(row.getString(1)), Lsn.parse(row.getString(2)));
        }
    }

    boolean processAlive() {
        return server.pid() > 0;
    }
}
