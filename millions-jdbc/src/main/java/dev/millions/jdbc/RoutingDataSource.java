package dev.millions.jdbc;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.logging.Logger;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

import dev.millions.jdbc.ReplicatedDataSource.NodeStatus;
import dev.millions.jdbc.ReplicatedDataSource.ReplicaChoice;
import dev.millions.jdbc.ReplicatedDataSource.Role;

/**
 * Routes by what its own probes see. The primary is the one node not in recovery; when two claim it
 * (a fenced primary that has not gone yet) neither is trusted and writers wait, which costs a little
 * availability and never sends a write to a node that lost its standbys.
 */
final class RoutingDataSource implements ReplicatedDataSource {

    private static final org.slf4j.Logger logger = LoggerFactory.getLogger(RoutingDataSource.class);
    private static final long SLOW_NODE_GRACE_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final NodeAddresses addresses;
    private final Function<String, DatabaseNode> nodeFactory;
    /** Replaced, never changed, when the node list changes. */
    private volatile List<DatabaseNode> nodes;
    private final long maxLagBytes;
    private final ReplicaChoice replicaChoice;
    private final Duration probeInterval;
    private final Duration failoverWait;
    private final ScheduledExecutorService prober;
    private final AtomicInteger roundRobin = new AtomicInteger();
    private final Object changed = new Object();
    private volatile @Nullable DatabaseNode primary;

    RoutingDataSource(NodeAddresses addresses, String database, String username, String password, int poolSize,
                      long maxLagBytes, ReplicaChoice replicaChoice, Duration probeInterval, Duration failoverWait,
                      String applicationName) {
        this.addresses = addresses;
        this.nodeFactory = address -> new DatabaseNode(address, database, username, password, poolSize,
                                                       applicationName);
        this.nodes = addresses.initial().stream().map(nodeFactory).toList();
        this.maxLagBytes = maxLagBytes;
        this.replicaChoice = replicaChoice;
        this.probeInterval = probeInterval;
        this.failoverWait = failoverWait;
        probeRound();
        this.prober = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("db-routing-probe").daemon().factory());
        prober.scheduleWithFixedDelay(this::probeRound, probeInterval.toMillis(), probeInterval.toMillis(),
                                      TimeUnit.MILLISECONDS);
    }

    @Override
    public Connection getConnection() throws SQLException {
        long startNanos = System.nanoTime();
        long deadline = startNanos + failoverWait.toNanos();
        SQLException last = null;
        while (true) {
            DatabaseNode target = primary;
            if (target != null) {
                try {
                    Connection connection = target.connection();
                    if (connection != null) {
                        return connection;
                    }
                    last = target.lastError;
                    setPrimary(null);
                } catch (SQLException busy) {
                    // Every connection is in use, or a new one is still being made: try again while time
                    // is left, as the pool itself would.
                    last = busy;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new SQLTransientConnectionException(
                        "no primary for " + (System.nanoTime() - startNanos) / 1_000_000 + " ms (nodes: " + describe()
                        + ')' + (last == null ? "" : "; last error: " + last.getMessage()), "08001", last);
            }
            awaitChange(Math.min(left, probeInterval.toNanos()));
        }
    }

    /**
     * A fit replica by the last probe; failing that, for read-your-writes, the replica closest to the
     * position if its replay has reached it by now (one query on the connection: the probe is up to
     * an interval old, and a commit reaches a synchronous replica's replay within milliseconds);
     * failing that, the primary.
     */
    @Override
    public Connection readConnection(long minPosition) throws SQLException {
        DatabaseNode target = pickReplica(minPosition);
        Connection connection = target == null ? null : target.connection();
        if (connection == null && minPosition > 0) {
            target = pickReplica(0);
            connection = caughtUpReplica(target, minPosition);
        }
        if (connection == null) {
            connection = getConnection();
            target = primary;
        }
        if (target != null) {
            target.reads.increment();
        }
        return connection;
    }

    private static @Nullable Connection caughtUpReplica(@Nullable DatabaseNode closest, long minPosition) throws SQLException {
        Connection connection = closest == null ? null : closest.connection();
        if (connection == null) {
            return null;
        }
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT (pg_last_wal_replay_lsn() - '0/0'::pg_lsn)::bigint")) {
            if (row.next() && row.getLong(1) >= minPosition) {
                return connection;
            }
        } catch (SQLException e) {
            // A replica that cannot answer this cannot serve the read either.
        }
        connection.close();
        return null;
    }

    private @Nullable DatabaseNode pickReplica(long minPosition) {
        DatabaseNode current = primary;
        long primaryPosition = current == null ? -1 : current.position;
        List<DatabaseNode> fit = new ArrayList<>();
        for (DatabaseNode node : nodes) {
            long position = node.position;
            if (node.role == Role.REPLICA && position >= minPosition && primaryPosition >= 0
                && primaryPosition - position <= maxLagBytes) {
                fit.add(node);
            }
        }
        if (fit.isEmpty()) {
            return null;
        }
        return replicaChoice == ReplicaChoice.LEAST_LAG
               ? fit.stream().max(Comparator.comparingLong(node -> node.position)).orElseThrow()
               : fit.get(Math.floorMod(roundRobin.getAndIncrement(), fit.size()));
    }

    @Override
    public List<NodeStatus> nodes() {
        DatabaseNode current = primary;
        long primaryPosition = current == null ? -1 : current.position;
        return nodes.stream().map(node -> node.status(primaryPosition)).toList();
    }

    private void probeRound() {
        addresses.changed().ifPresent(this::updateNodes);
        List<DatabaseNode> nodes = this.nodes;
        List<CompletableFuture<Void>> probes = nodes.stream().map(DatabaseNode::probe).toList();
        try {
            CompletableFuture.allOf(probes.toArray(CompletableFuture[]::new))
                             .get(probeInterval.toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (Exception e) {
            // A probe that failed marked its node down at once (refused, reset: the node is gone). One
            // that is only slow (a busy machine) keeps the node's role for a while: a server that
            // answers late is not a reason to stop all writes.
            long now = System.nanoTime();
            for (int i = 0; i < nodes.size(); i++) {
                if (!probes.get(i).isDone() && now - nodes.get(i).lastAnswerNanos > SLOW_NODE_GRACE_NANOS) {
                    nodes.get(i).markDown();
                }
            }
        }
        List<DatabaseNode> claimants = nodes.stream().filter(node -> node.role == Role.PRIMARY).toList();
        setPrimary(claimants.size() == 1 ? claimants.getFirst() : null);
    }

    private void updateNodes(List<String> now) {
        List<DatabaseNode> before = nodes;
        List<DatabaseNode> after = now.stream()
                                      .map(address -> before.stream().filter(node -> node.address.equals(address))
                                                            .findFirst().orElseGet(() -> nodeFactory.apply(address)))
                                      .toList();
        nodes = after;
        for (DatabaseNode node : before) {
            if (!after.contains(node)) {
                if (node == primary) {
                    setPrimary(null);
                }
                node.close();
            }
        }
        logger.info("database nodes now {}", now);
    }

    private void setPrimary(@Nullable DatabaseNode next) {
        DatabaseNode previous = primary;
        if (previous == next) {
            return;
        }
        primary = next;
        if (previous != null) {
            previous.evictConnections();
        }
        logger.info("primary {} -> {} (nodes: {})", previous == null ? "none" : previous.address,
                    next == null ? "none" : next.address, describe());
        synchronized (changed) {
            changed.notifyAll();
        }
    }

    private void awaitChange(long nanos) throws SQLException {
        synchronized (changed) {
            try {
                TimeUnit.NANOSECONDS.timedWait(changed, nanos);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLTransientConnectionException("interrupted while waiting for a primary", "08001", e);
            }
        }
    }

    private String describe() {
        return nodes.stream().map(node -> node.address + '=' + node.role.name().toLowerCase())
                    .collect(Collectors.joining(", "));
    }

    @Override
    public void close() {
        prober.shutdownNow();
        nodes.forEach(DatabaseNode::close);
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("the credentials are fixed when the data source is built");
    }

    @Override
    public @Nullable PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {}

    @Override
    public void setLoginTimeout(int seconds) {}

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("logs go through SLF4J");
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("not a wrapper of " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }
}
