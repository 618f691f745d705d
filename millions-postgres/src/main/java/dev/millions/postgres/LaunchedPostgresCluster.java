package dev.millions.postgres;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.millions.postgres.ClusterListener.Failover;
import dev.millions.postgres.ClusterTopology.Member;
import dev.millions.postgres.ClusterTopology.Role;

/** A {@link PostgresCluster} whose nodes are child processes of this one; its failover manager runs here. */
final class LaunchedPostgresCluster implements PostgresCluster {

    private static final Logger logger = LoggerFactory.getLogger(LaunchedPostgresCluster.class);
    private static final Duration STREAMING_TIMEOUT = Duration.ofSeconds(30);
    /** A standby that has not streamed for this long (its history forked, say) is cloned afresh. */
    private static final long NOT_STREAMING_NANOS = TimeUnit.SECONDS.toNanos(15);
    private static final long REBUILD_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(5);

    /** Replaced, never changed, when a replica is added or removed: readers need no lock. */
    private volatile Map<String, ClusterMember> members;
    private volatile List<MemberSpec> added = List.of();
    private final Function<MemberSpec, ClusterMember> memberFactory;
    private final Path stateFile;
    private final Duration probeInterval;
    private final ClusterListener listener;
    /** Held by every decision: a probe round, a failover, a switchover, a rebuild request. */
    private final ReentrantLock lock = new ReentrantLock();
    private volatile ScheduledExecutorService manager;
    private volatile ExecutorService rebuilder;
    private volatile String primary;
    private volatile long epoch;
    private ClusterTopology published;

    LaunchedPostgresCluster(List<MemberSpec> specs, Function<MemberSpec, ClusterMember> memberFactory,
                            Path stateFile, Duration probeInterval, ClusterListener listener) {
        Map<String, ClusterMember> initial = new LinkedHashMap<>();
        specs.forEach(spec -> initial.put(spec.name(), memberFactory.apply(spec)));
        this.members = Collections.unmodifiableMap(initial);
        this.memberFactory = memberFactory;
        this.stateFile = stateFile;
        this.probeInterval = probeInterval;
        this.listener = listener;
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
            awaitStreaming(first);
            requireQuorumCommit();
            writeState();
            members.values().forEach(member -> member.lastStreamingNanos = System.nanoTime());
            rebuilder = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("cluster-rebuild").daemon().factory());
            manager = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().name("failover-manager").daemon().factory());
            manager.scheduleWithFixedDelay(this::tick, probeInterval.toMillis(), probeInterval.toMillis(),
                                           TimeUnit.MILLISECONDS);
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
        shutdown(manager);
        shutdown(rebuilder);
        lock.lock();
        try {
            manager = null;
            rebuilder = null;
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
            List<ClusterMember> candidates = candidates();
            if (candidates.isEmpty()) {
                throw new PostgresException("no synchronous replica is streaming to take over from " + old.name
                                            + ": " + describe());
            }
            // A clean shutdown waits until the standbys have every WAL record, the shutdown checkpoint too.
            old.rebuilding = true;
            old.closeProbeConnection();
            old.server.stop();
            promote(old, "switchover", 0, startNanos);
            return topology();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public ClusterTopology addReplica(String name, Path dataDirectory, Path logFile, int port, boolean synchronous) {
        checkRunning();
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
        long deadline = System.nanoTime() + STREAMING_TIMEOUT.toNanos();
        while (!streamingStandbys(source).contains(name)) {
            if (System.nanoTime() > deadline) {
                member.server.kill();
                throw new PostgresException(name + " did not stream from " + source.name + " within "
                                            + STREAMING_TIMEOUT.toSeconds() + " s; see " + member.server.logFile());
            }
            sleep(50);
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
            member.lastStreamingNanos = System.nanoTime();
            member.detector.reset();
            if (synchronous) {
                requireQuorumCommit();
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
                requireQuorumCommit();
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
                throw new PostgresException("the cluster did not settle within " + STREAMING_TIMEOUT.toSeconds()
                                            + " s, so no switchover: " + describe());
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
            scheduleRebuild(member, "rebuild requested");
        } finally {
            lock.unlock();
        }
    }

    /** One round of the failover manager: probe every node, then act on what the probes say. */
    private void tick() {
        lock.lock();
        try {
            probeAll();
            ClusterMember current = members.get(primary);
            if (!current.rebuilding && (!current.processAlive() || current.detector.confirmedDead())) {
                failOver(current);
            }
            for (ClusterMember member : members.values()) {
                if (member == current || member.rebuilding) {
                    continue;
                }
                boolean dead = !member.processAlive() || member.detector.confirmedDead();
                boolean stale = System.nanoTime() - member.lastStreamingNanos > NOT_STREAMING_NANOS;
                if ((dead || stale) && System.nanoTime() - member.lastRebuildNanos > REBUILD_BACKOFF_NANOS) {
                    scheduleRebuild(member, dead ? "dead for " + member.detector.millisSinceSuccess() + " ms"
                                                 : "not streaming from " + primary + " for 15 s");
                }
            }
            publish();
        } catch (RuntimeException e) {
            logger.error("failover manager round failed: {}", e.toString(), e);
        } finally {
            lock.unlock();
        }
    }

    private void probeAll() {
        Map<ClusterMember, java.util.concurrent.CompletableFuture<ClusterMember.Probe>> probes = new LinkedHashMap<>();
        for (ClusterMember member : members.values()) {
            if (!member.rebuilding) {
                probes.put(member, member.probe());
            }
        }
        long deadline = System.nanoTime() + probeInterval.toNanos() * 2;
        probes.forEach((member, probe) -> {
            try {
                ClusterMember.Probe result = probe.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                member.last = result;
                member.detector.success();
                if (!result.inRecovery() || result.streaming()) {
                    member.lastStreamingNanos = System.nanoTime();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                member.detector.failure();
            }
        });
    }

    /**
     * The automated recovery script. Order matters: the old primary is fenced before anything else, so
     * two writers never exist; candidates are asked for their WAL position after the fence, when it
     * can no longer grow; only a synchronous replica may win, as only those hold every acknowledged
     * commit (a commit waits until {@code ANY 1} of them has flushed it).
     */
    private void failOver(ClusterMember old) {
        long decidedNanos = System.nanoTime();
        long detectionMillis = old.detector.millisSinceSuccess();
        String reason = old.processAlive() ? "no answer for " + detectionMillis + " ms" : "process exited";
        if (candidates().isEmpty()) {
            nodeEvent(old.name, "primary is down (" + reason + ") but no synchronous replica is streaming; "
                                + "waiting: " + describe());
            return;
        }
        old.rebuilding = true;
        old.server.kill();
        old.closeProbeConnection();
        nodeEvent(old.name, "fenced (SIGKILL): primary down, " + reason);
        promote(old, reason, detectionMillis, decidedNanos);
    }

    private void promote(ClusterMember old, String reason, long detectionMillis, long decidedNanos) {
        ClusterMember best = null;
        long bestLsn = -1;
        for (ClusterMember candidate : candidates()) {
            try {
                long lsn = candidate.receivedLsn();
                if (lsn > bestLsn) {
                    best = candidate;
                    bestLsn = lsn;
                }
            } catch (SQLException e) {
                nodeEvent(candidate.name, "left out of the election: " + e.getMessage());
            }
        }
        if (best == null) {
            old.rebuilding = false;
            throw new PostgresException("no synchronous replica answered to be promoted in place of " + old.name);
        }
        try (Connection connection = best.server.connectAdmin(); Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_promote(true, 30)");
        } catch (SQLException e) {
            old.rebuilding = false;
            throw new PostgresException("cannot promote " + best.name + ": " + e.getMessage(), e);
        }
        primary = best.name;
        epoch++;
        best.detector.reset();
        writeState();
        for (ClusterMember member : members.values()) {
            if (member != best && member != old && !member.rebuilding) {
                try {
                    member.server.follow(best.server);
                } catch (SQLException e) {
                    scheduleRebuild(member, "could not be pointed at " + best.name + ": " + e.getMessage());
                }
            }
        }
        long promotionMillis = (System.nanoTime() - decidedNanos) / 1_000_000;
        Failover failover = new Failover(old.name, best.name, reason, detectionMillis, promotionMillis, epoch);
        logger.warn("failover {} -> {} ({}): promoted at LSN {} in {} ms after detection, epoch {}", old.name,
                    best.name, reason, Lsn.format(bestLsn), promotionMillis, epoch);
        listener.failedOver(failover);
        old.rebuilding = false;
        scheduleRebuild(old, "rejoins as a replica of " + best.name);
    }

    private List<ClusterMember> candidates() {
        return members.values().stream()
                      .filter(member -> !member.name.equals(primary) && member.synchronous && !member.rebuilding
                                        && member.processAlive() && !member.detector.suspected()
                                        && member.last != null && member.last.inRecovery())
                      .toList();
    }

    private void scheduleRebuild(ClusterMember member, String why) {
        if (member.rebuilding) {
            return;
        }
        member.rebuilding = true;
        member.lastRebuildNanos = System.nanoTime();
        member.closeProbeConnection();
        nodeEvent(member.name, "re-cloning from " + primary + ": " + why);
        rebuilder.execute(() -> {
            long startNanos = System.nanoTime();
            try {
                ClusterMember source = members.get(primary);
                member.server.rebuildAsStandbyOf(source.server);
                if (!source.name.equals(primary)) {
                    // The primary changed while it was cloned: the repointing skipped it.
                    member.server.follow(members.get(primary).server);
                }
                nodeEvent(member.name, "rebuilt as a replica of " + primary + " in "
                                       + (System.nanoTime() - startNanos) / 1_000_000 + " ms");
            } catch (RuntimeException | SQLException e) {
                nodeEvent(member.name, "rebuild failed, tried again in 5 s: " + e.getMessage());
            } finally {
                member.detector.reset();
                member.lastStreamingNanos = System.nanoTime();
                member.rebuilding = false;
            }
        });
    }

    private void awaitStreaming(ClusterMember source) {
        long deadline = System.nanoTime() + STREAMING_TIMEOUT.toNanos();
        List<String> wanted = members.values().stream().filter(member -> member != source).map(member -> member.name)
                                     .toList();
        List<String> streaming = List.of();
        while (System.nanoTime() < deadline) {
            streaming = streamingStandbys(source);
            if (streaming.containsAll(wanted)) {
                return;
            }
            sleep(50);
        }
        throw new PostgresException("standbys " + wanted + " did not all stream from " + source.name + " within "
                                    + STREAMING_TIMEOUT.toSeconds() + " s (streaming: " + streaming + ')');
    }

    private static List<String> streamingStandbys(ClusterMember source) {
        try (Connection connection = source.server.connectAdmin();
             Statement statement = connection.createStatement();
             var rows = statement.executeQuery("SELECT application_name FROM pg_stat_replication "
                                               + "WHERE state = 'streaming'")) {
            List<String> names = new ArrayList<>();
            while (rows.next()) {
                names.add(rows.getString(1));
            }
            return names;
        } catch (SQLException e) {
            throw new PostgresException("cannot ask " + source.name + " for its standbys: " + e.getMessage(), e);
        }
    }

    /**
     * Quorum commit on every node, so a promoted one keeps the rule. Set only now: a rule in force
     * before any standby streams would hold up every write, {@code CREATE ROLE} included.
     */
    private void requireQuorumCommit() {
        String names = members.values().stream().filter(member -> member.synchronous)
                              .map(member -> '"' + member.name + '"').collect(Collectors.joining(", "));
        String rule = "ANY 1 (" + names + ')';
        for (ClusterMember member : members.values()) {
            try (Connection connection = member.server.connectAdmin();
                 Statement statement = connection.createStatement()) {
                statement.execute("ALTER SYSTEM SET synchronous_standby_names = " + StandbyClone.quote(rule));
                statement.execute("SELECT pg_reload_conf()");
            } catch (SQLException e) {
                throw new PostgresException("cannot set synchronous_standby_names on " + member.name + ": "
                                            + e.getMessage(), e);
            }
        }
    }

    private void publish() {
        ClusterTopology now = topology();
        ClusterTopology shape = withoutPositions(now);
        if (!shape.equals(published)) {
            published = shape;
            listener.topologyChanged(now);
        }
    }

    private static ClusterTopology withoutPositions(ClusterTopology topology) {
        return new ClusterTopology(topology.epoch(), topology.primary(), topology.members().stream()
                .map(m -> new Member(m.name(), m.host(), m.port(), m.role(), m.synchronous(), 0, 0)).toList());
    }

    private void nodeEvent(String node, String message) {
        logger.info("{}: {}", node, message);
        listener.nodeEvent(node, message);
    }

    private String describe() {
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

    private static void shutdown(ExecutorService executor) {
        if (executor == null) {
            return;
        }
        executor.shutdownNow();
        try {
            executor.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PostgresException("interrupted while waiting for the standbys to stream", e);
        }
    }
}
