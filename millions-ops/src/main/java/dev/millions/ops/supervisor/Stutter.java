package dev.millions.ops.supervisor;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Latency added to a node as a stalled host, or a stop-the-world pause, adds it: the node's whole
 * process tree is stopped (SIGSTOP) for a given time out of every second, then continued. A request that
 * reaches it during a pause waits for the pause's end; the load balancer's latency estimate sees the node
 * slow down and sends it less. Why pauses and not a delay on every packet: the kernel of this machine has
 * no {@code netem} ({@code tc qdisc ... netem}: "unknown qdisc kind"), and a pause needs no privilege and
 * reaches any server, PostgreSQL, Redis or a JVM, without a proxy in front of it.
 */
public final class Stutter implements AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(Stutter.class);
    static final long PERIOD_MILLIS = 1_000;
    static final long MAX_PAUSE_MILLIS = 900;

    private final NodeSignals signals;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "stutter");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, ScheduledFuture<?>> running = new ConcurrentHashMap<>();

    public Stutter(NodeSignals signals) {
        this.signals = signals;
    }

    /**
     * Pauses {@code node} for {@code pauseMillis} of every second from now on; 0 ends it.
     *
     * @return what was done, for the timeline
     * @throws IllegalArgumentException for a pause outside 0..900 ms
     */
    public synchronized String set(String node, long pauseMillis) {
        if (pauseMillis < 0 || pauseMillis > MAX_PAUSE_MILLIS) {
            throw new IllegalArgumentException("pause: " + pauseMillis + " ms (expected: 0..." + MAX_PAUSE_MILLIS
                                               + " ms of every " + PERIOD_MILLIS + " ms; 0 ends it)");
        }
        ScheduledFuture<?> previous = running.remove(node);
        if (previous != null) {
            previous.cancel(false);
            resume(node);
        }
        if (pauseMillis == 0) {
            return previous == null ? node + " was not slowed" : node + " runs at full speed again";
        }
        running.put(node, scheduler.scheduleAtFixedRate(() -> pause(node, pauseMillis), 0, PERIOD_MILLIS,
                                                        TimeUnit.MILLISECONDS));
        return node + " paused " + pauseMillis + " ms of every " + PERIOD_MILLIS + " ms (its process tree stopped, then continued)";
    }

    private void pause(String node, long pauseMillis) {
        try {
            signals.signalTree(node, "STOP");
            scheduler.schedule(() -> resume(node), pauseMillis, TimeUnit.MILLISECONDS);
        } catch (IllegalStateException e) {
            // Not running now (restarting, say): the next second tries again.
            logger.debug("no pause for {}: {}", node, e.getMessage());
        }
    }

    private void resume(String node) {
        try {
            signals.signalTree(node, "CONT");
        } catch (IllegalStateException e) {
            logger.debug("no continue for {}: {}", node, e.getMessage());
        }
    }

    /** Ends every pause, and leaves no node stopped. */
    @Override
    public synchronized void close() {
        running.forEach((node, task) -> {
            task.cancel(false);
            resume(node);
        });
        running.clear();
        scheduler.shutdownNow();
    }
}
