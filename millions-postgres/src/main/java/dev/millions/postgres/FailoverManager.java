package dev.millions.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.millions.postgres.ClusterListener.Failover;

/**
 * The automated recovery script of a {@link LaunchedPostgresCluster}: probes every member each
 * interval, fails over when the primary is confirmed dead, and re-clones dead or stray replicas. It
 * decides under the cluster's lock, so a switchover or a membership change never runs beside it.
 */
final class FailoverManager {

    private static final Logger logger = LoggerFactory.getLogger(FailoverManager.class);
    /** A standby that has not streamed for this long (its history forked, say) is cloned afresh. */
    private static final long NOT_STREAMING_NANOS = TimeUnit.SECONDS.toNanos(15);
    private static final long REBUILD_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final LaunchedPostgresCluster cluster;
    private final Duration probeInterval;
    private final ClusterListener listener;
    private final LongSupplier ticker;
    private final AtomicLong completedRounds = new AtomicLong();
    private final ScheduledExecutorService rounds;
    private final ExecutorService rebuilder;

    FailoverManager(LaunchedPostgresCluster cluster, Duration probeInterval, ClusterListener listener,
                    LongSupplier ticker) {
        this.cluster = cluster;
        this.probeInterval = probeInterval;
        this.listener = listener;
        this.ticker = ticker;
        this.rounds = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("failover-manager").daemon().factory());
        this.rebuilder = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("cluster-rebuild").daemon().factory());
    }

    /** Rounds completed since start: a test waits for some to pass instead of sleeping. */
    long completedRounds() {
        return completedRounds.get();
    }

    void start() {
        rounds.scheduleWithFixedDelay(this::tick, probeInterval.toMillis(), probeInterval.toMillis(),
                                      TimeUnit.MILLISECONDS);
    }

    /** Stops the rounds and the rebuilds; called without the cluster's lock, which a round may wait for. */
    void stop() {
        shutdown(rounds);
        shutdown(rebuilder);
    }

    /** One round of the failover manager: probe every node, then act on what the probes say. */
    private void tick() {
        cluster.lock().lock();
        try {
            probeAll();
            ClusterMember current = cluster.members().get(cluster.primary());
            if (!current.rebuilding && (!current.processAlive() || current.detector.confirmedDead())) {
                failOver(current);
            }
            for (ClusterMember member : cluster.members().values()) {
                if (member == current || member.rebuilding) {
                    continue;
                }
                boolean dead = !member.processAlive() || member.detector.confirmedDead();
                long now = ticker.getAsLong();
                boolean stale = now - member.lastStreamingNanos > NOT_STREAMING_NANOS;
                if ((dead || stale) && now - member.lastRebuildNanos > REBUILD_BACKOFF_NANOS) {
                    scheduleRebuild(member, dead ? "dead for " + member.detector.millisSinceSuccess() + " ms"
                                                 : "not streaming from " + cluster.primary() + " for 15 s");
                }
            }
            cluster.publish();
        } catch (RuntimeException e) {
            logger.error("failover manager round failed: {}", e.toString(), e);
        } finally {
            completedRounds.incrementAndGet();
            cluster.lock().unlock();
        }
    }

    private void probeAll() {
        Map<ClusterMember, CompletableFuture<ClusterMember.Probe>> probes = new LinkedHashMap<>();
        for (ClusterMember member : cluster.members().values()) {
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
                    member.lastStreamingNanos = ticker.getAsLong();
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
        long decidedNanos = ticker.getAsLong();
        long detectionMillis = old.detector.millisSinceSuccess();
        String reason = old.processAlive() ? "no answer for " + detectionMillis + " ms" : "process exited";
        if (candidates().isEmpty()) {
            cluster.nodeEvent(old.name, "primary is down (" + reason + ") but no synchronous replica is streaming; "
                                + "waiting: " + cluster.describe());
            return;
        }
        old.rebuilding = true;
        old.server.kill();
        old.closeProbeConnection();
        cluster.nodeEvent(old.name, "fenced (SIGKILL): primary down, " + reason);
        promote(old, reason, detectionMillis, decidedNanos);
    }

    void promote(ClusterMember old, String reason, long detectionMillis, long decidedNanos) {
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
                cluster.nodeEvent(candidate.name, "left out of the election: " + e.getMessage());
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
        long epoch = cluster.promoted(best.name);
        best.detector.reset();
        for (ClusterMember member : cluster.members().values()) {
            if (member != best && member != old && !member.rebuilding) {
                try {
                    member.server.follow(best.server);
                } catch (SQLException e) {
                    scheduleRebuild(member, "could not be pointed at " + best.name + ": " + e.getMessage());
                }
            }
        }
        long promotionMillis = (ticker.getAsLong() - decidedNanos) / 1_000_000;
        Failover failover = new Failover(old.name, best.name, reason, detectionMillis, promotionMillis, epoch);
        logger.warn("failover {} -> {} ({}): promoted at LSN {} in {} ms after detection, epoch {}", old.name,
                    best.name, reason, Lsn.format(bestLsn), promotionMillis, epoch);
        listener.failedOver(failover);
        old.rebuilding = false;
        scheduleRebuild(old, "rejoins as a replica of " + best.name);
    }

    List<ClusterMember> candidates() {
        return cluster.members().values().stream()
                      .filter(member -> !member.name.equals(cluster.primary()) && member.synchronous
                                        && !member.rebuilding && member.processAlive() && !member.detector.suspected()
                                        && member.last != null && member.last.inRecovery())
                      .toList();
    }

    void scheduleRebuild(ClusterMember member, String why) {
        if (member.rebuilding) {
            return;
        }
        member.rebuilding = true;
        member.lastRebuildNanos = ticker.getAsLong();
        member.closeProbeConnection();
        cluster.nodeEvent(member.name, "re-cloning from " + cluster.primary() + ": " + why);
        rebuilder.execute(() -> {
            long startNanos = System.nanoTime();
            try {
                ClusterMember source = cluster.members().get(cluster.primary());
                member.server.rebuildAsStandbyOf(source.server);
                if (!source.name.equals(cluster.primary())) {
                    // The primary changed while it was cloned: the repointing skipped it.
                    member.server.follow(cluster.members().get(cluster.primary()).server);
                }
                // The quorum may have changed while it was cloned, after its copy of the rule was taken.
                cluster.applyQuorumRule(member);
                cluster.nodeEvent(member.name, "rebuilt as a replica of " + cluster.primary() + " in "
                                       + (System.nanoTime() - startNanos) / 1_000_000 + " ms");
            } catch (RuntimeException | SQLException e) {
                cluster.nodeEvent(member.name, "rebuild failed, tried again in 5 s: " + e.getMessage());
            } finally {
                member.detector.reset();
                member.lastStreamingNanos = ticker.getAsLong();
                member.rebuilding = false;
            }
        });
    }

    private static void shutdown(ExecutorService executor) {
        executor.shutdownNow();
        try {
            executor.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
