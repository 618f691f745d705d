package dev.millions.postgres;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.millions.postgres.ClusterTopology.Member;
import dev.millions.postgres.ClusterTopology.Role;

/** A {@link PostgresCluster} whose nodes are child processes of this one; its failover manager runs here. */
final class LaunchedPostgresCluster implements PostgresCluster {

    private static final Logger logger = LoggerFactory.getLogger(LaunchedPostgresCluster.class);
    private static final Duration STREAMING_TIMEOUT = Duration.ofSeconds(30);

    /** Replaced, never changed, when a replica is added or removed: readers need no lock. */
    private volatile Map<String, ClusterMember> members;
    private volatile List<MemberSpec> added = List.of();
    private final Function<MemberSpec, ClusterMember> memberFactory;
    private final Path stateFile;
    private final Duration probeInterval;
    private final ClusterListener listener;
    private final LongSupplier ticker;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile FailoverManager manager;
    private volatile String primary;
    private volatile long epoch;
    private ClusterTopology published;

    LaunchedPostgresCluster(List<MemberSpec> specs, Function<MemberSpec, ClusterMember> memberFactory,
                            Path stateFile, Duration probeInterval, ClusterListener listener, LongSupplier ticker) {
        Map<String, ClusterMember> initial = new LinkedHashMap<>();
        specs.forEach(spec -> initial.put(spec.name(), memberFactory.apply(spec)));
        this.members = Collections.unmodifiableMap(initial);
        this.memberFactory = memberFactory;
        this.stateFile = stateFile;
        this.probeInterval = probeInterval;
        this.listener = listener;
        this.ticker = ticker;
    }

    /** Rounds the failover manager has completed, 0 before start. */
    long managerRounds() {
        FailoverManager current = manager;
        return current == null ? 0 : current.completedRounds();
    }

    @Override
    public void start() {
        lock.lock();
        try {
            if (manager != null) {
                return;
            }
            long startNanos = System.nanoTime();
            readState();
            ClusterMember first = members.get(primary);
            first.server.start();
            for (ClusterMember member : members.values()) {
                if (member != first) {
                    startStandby(member, first);
                }
            }
            Standbys.awaitStreaming(first, members.values().stream().filter(member -> member != first)
                                                  .map(member -> member.name).toList(), STREAMING_TIMEOUT);
            Standbys.requireQuorumCommit(members.values(), primary, this::nodeEvent);
            writeState();
            members.values().forEach(member -> member.lastStreamingNanos = ticker.getAsLong());
            manager = new FailoverManager(this, probeInterval, listener, ticker);
            manager.start();
            logger.info("cluster of {} ready in {} ms, primary {}", members.keySet(),
                        (System.nanoTime() - startNanos) / 1_000_000, primary);
            publish();
        } catch (RuntimeException e) {
            stopNodes();
            throw e;
        } finally {
            lock.unlock();
        }
    }

    private void startStandby(ClusterMember member, ClusterMember source) {
        LaunchedPostgresServer server = member.server;
        server.standbyOf(source.server);
        if (server.hasData() && !server.hasStandbyData()) {
            // It was a primary once and may hold WAL the current primary never saw.
            nodeEvent(member.name, "holds a former primary's data: cloned afresh from " + source.name);
            server.rebuildAsStandbyOf(source.server);
            return;
        }
        server.start();
        try {
            server.follow(source.server);
        } catch (SQLException e) {
            throw new PostgresException("cannot point " + member.name + " at " + source.name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void stop() {
        // Outside the lock: a manager round that waits for it must be able to finish.
        FailoverManager running = manager;
        if (running != null) {
            running.stop();
        }
        lock.lock();
        try {
            manager = null;
            stopNodes();
        } finally {
            lock.unlock();
        }
    }

    private void stopNodes() {
        List<ClusterMember> order = new ArrayList<>(members.values());
        // Replicas first: a primary that stops first would leave them retrying for nothing.
        order.sort((a, b) -> Boolean.compare(a.name.equals(primary), b.name.equals(primary)));
        for (ClusterMember member : order) {
            member.closeProbeConnection();
            member.server.stop();
        }
    }

    @Override
    public ClusterTopology topology() {
        List<Member> list = new ArrayList<>();
        ClusterMember current = members.get(primary);
        long primaryLsn = current != null && current.last != null ? current.last.lsn() : -1;
        for (ClusterMember member : members.values()) {
            ClusterMember.Probe probe = member.last;
            Role role = member.rebuilding ? Role.REBUILDING
                        : member.detector.suspected() || probe == null || !member.processAlive() ? Role.DOWN
                        : member.name.equals(primary) ? Role.PRIMARY
                        : probe.inRecovery() ? Role.REPLICA : Role.DOWN;
            long lsn = probe == null ? -1 : role == Role.PRIMARY ? probe.lsn() : probe.replayLsn();
            long lag = role == Role.REPLICA && primaryLsn >= 0 && lsn >= 0 ? Math.max(0, primaryLsn - lsn) : -1;
            list.add(new Member(member.name, member.server.host(), member.server.port(), role, member.synchronous,
                                lsn, lag));
        }
        return new ClusterTopology(epoch, primary, list);
    }

    @Override
    public PostgresServer node(String name) {
        return member(name).server;
    }

    @Override
    public List<String> nodeNames() {
        return List.copyOf(members.keySet());
    }

    @Override
    public ClusterTopology switchover() {
        awaitSettled();
        lock.lock();
        try {
            checkRunning();
            ClusterMember old = members.get(primary);
            long startNanos = System.nanoTime();
            List<ClusterMember> candidates = manager.candidates();
            if (candidates.isEmpty()) {
                throw new PostgresException("no synchronous replica is streaming to take over from " + old.name
                                            + ": " + describe());
            }
            // A clean shutdown waits until the standbys have every WAL record, the shutdown checkpoint too.
            old.rebuilding = true;
            old.closeProbeConnection();
            old.server.stop();
            manager.promote(old, "switchover", 0, startNanos);
            // Published now, not at the manager's next round: whoever asked reads the new primary at once.
            publish();
            return topology();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public ClusterTopology addReplica(String name, Path dataDirectory, Path logFile, int port, boolean synchronous) {
        checkRunning();
        awaitSettled();
        if (members.containsKey(name)) {
            throw new IllegalArgumentException("a node '" + name + "' is already in the cluster " + members.keySet());
        }
        MemberSpec spec = new MemberSpec(name, dataDirectory.toAbsolutePath().normalize(),
                                         logFile == null ? null : logFile.toAbsolutePath().normalize(), port,
                                         synchronous);
        ClusterMember member = memberFactory.apply(spec);
        // Cloned outside the lock: the manager goes on watching the others meanwhile.
        ClusterMember source = members.get(primary);
        member.server.standbyOf(source.server);
        member.server.start();
        try {
            Standbys.awaitStreaming(source, List.of(name), STREAMING_TIMEOUT);
        } catch (PostgresException e) {
            member.server.kill();
            throw new PostgresException(e.getMessage() + "; see " + member.server.logFile(), e);
        }
        lock.lock();
        try {
            Map<String, ClusterMember> all = new LinkedHashMap<>(members);
            all.put(name, member);
            members = Collections.unmodifiableMap(all);
            List<MemberSpec> specs = new ArrayList<>(added);
            specs.add(new MemberSpec(name, spec.dataDirectory(), member.server.logFile(), member.server.port(),
                                     synchronous));
            added = List.copyOf(specs);
            member.lastStreamingNanos = ticker.getAsLong();
            member.detector.reset();
            if (synchronous) {
                Standbys.requireQuorumCommit(members.values(), primary, this::nodeEvent);
            }
            writeState();
            nodeEvent(name, "added as a " + (synchronous ? "synchronous" : "asynchronous") + " replica of " + primary);
            publish();
            return topology();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public ClusterTopology removeReplica(String name) {
        checkRunning();
        ClusterMember member;
        lock.lock();
        try {
            member = member(name);
            if (name.equals(primary)) {
                throw new IllegalArgumentException(name + " is the primary: switch over first (millions switchover)");
            }
            if (members.size() <= 2) {
                throw new IllegalArgumentException("a cluster keeps at least one replica (nodes: " + members.keySet()
                                                   + ')');
            }
            Map<String, ClusterMember> all = new LinkedHashMap<>(members);
            all.remove(name);
            members = Collections.unmodifiableMap(all);
            added = added.stream().filter(spec -> !spec.name().equals(name)).toList();
            // Out of the quorum first, so that no commit waits for a node that is going away.
            if (member.synchronous) {
                Standbys.requireQuorumCommit(members.values(), primary, this::nodeEvent);
            }
            writeState();
        } finally {
            lock.unlock();
        }
        member.closeProbeConnection();
        member.server.stop();
        nodeEvent(name, "removed from the cluster and stopped; its data folder is kept");
        lock.lock();
        try {
            publish();
            return topology();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until no member is being rebuilt: a switchover meanwhile could promote the only streaming
     * replica and leave the new primary with no standby to acknowledge its commits.
     */
    private void awaitSettled() {
        long deadline = System.nanoTime() + STREAMING_TIMEOUT.toNanos();
        while (members.values().stream().anyMatch(member -> member.rebuilding)
               || topology().replicas().size() < members.size() - 1) {
            if (System.nanoTime() > deadline) {
                throw new PostgresException("the cluster did not settle (every member up, none being rebuilt) "
                                            + "within " + STREAMING_TIMEOUT.toSeconds() + " s: " + describe());
            }
            sleep(50);
        }
    }

    @Override
    public void rebuild(String name) {
        lock.lock();
        try {
            checkRunning();
            ClusterMember member = member(name);
            if (name.equals(primary)) {
                throw new IllegalArgumentException(name + " is the primary: switch over first (millions switchover)");
            }
            manager.scheduleRebuild(member, "rebuild requested");
        } finally {
            lock.unlock();
        }
    }

    /** Gives one member the current quorum rule: every node keeps it, so a promoted one has it. */
    void applyQuorumRule(ClusterMember member) throws SQLException {
        Standbys.applyQuorumRule(member, members.values());
    }

    void publish() {
        ClusterTopology now = topology();
        ClusterTopology shape = now.withoutPositions();
        if (!shape.equals(published)) {
            published = shape;
            listener.topologyChanged(now);
        }
    }

    void nodeEvent(String node, String message) {
        logger.info("{}: {}", node, message);
        listener.nodeEvent(node, message);
    }

    String describe() {
        return topology().members().stream().map(m -> m.name() + '=' + m.role().id())
                         .collect(Collectors.joining(", "));
    }

    private ClusterMember member(String name) {
        ClusterMember member = members.get(name);
        if (member == null) {
            throw new IllegalArgumentException("no node '" + name + "' in the cluster (nodes: "
                                               + String.join(", ", members.keySet()) + ')');
        }
        return member;
    }

    private void checkRunning() {
        if (manager == null) {
            throw new IllegalStateException("the cluster is not running");
        }
    }

    /** The members now; replaced, never changed, when one is added or removed. */
    Map<String, ClusterMember> members() {
        return members;
    }

    String primary() {
        return primary;
    }

    /** Held by every decision: a manager round, a failover, a switchover, a membership change. */
    ReentrantLock lock() {
        return lock;
    }

    /** Records a promotion: the new primary, the next epoch, both on disk. Returns the epoch. */
    long promoted(String newPrimary) {
        primary = newPrimary;
        epoch++;
        writeState();
        return epoch;
    }

    private void readState() {
        ClusterState state = ClusterState.read(stateFile, members.keySet().iterator().next());
        Map<String, ClusterMember> all = new LinkedHashMap<>(members);
        for (MemberSpec spec : state.added()) {
            all.putIfAbsent(spec.name(), memberFactory.apply(spec));
        }
        if (!all.containsKey(state.primary())) {
            throw new PostgresException("the cluster state " + stateFile + " names primary '" + state.primary()
                                        + "', which is not a node of this cluster " + all.keySet());
        }
        members = Collections.unmodifiableMap(all);
        added = state.added();
        primary = state.primary();
        epoch = state.epoch();
    }

    private void writeState() {
        try {
            new ClusterState(primary, epoch, added).write(stateFile);
        } catch (IOException e) {
            logger.error("cannot record the cluster state in {}: {}", stateFile, e.toString());
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PostgresException("interrupted while waiting for the cluster to settle", e);
        }
    }
}
