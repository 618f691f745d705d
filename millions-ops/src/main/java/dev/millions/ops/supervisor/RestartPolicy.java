package dev.millions.ops.supervisor;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * When to start again a node that exited on its own, as systemd's {@code Restart=on-failure} with
 * {@code RestartSec}, {@code RestartSteps}/{@code RestartMaxDelaySec} and {@code StartLimitBurst}/
 * {@code StartLimitIntervalSec}: after a delay that doubles with each exit in a row (1 s, 2 s, 4 s, up to
 * 30 s by default), and no more once a node has exited {@code burst} times within {@code interval}, so a
 * node that cannot stay up is shown failed instead of flapping forever. A node that stayed up a whole
 * {@code interval} starts again from the first delay. Time comes from a ticker, in nanoseconds.
 */
final class RestartPolicy {

    static final Duration FIRST_DELAY = Duration.ofSeconds(1);
    static final Duration MAX_DELAY = Duration.ofSeconds(30);
    static final int BURST = 5;
    static final Duration INTERVAL = Duration.ofMinutes(2);

    private final LongSupplier ticker;
    private final long firstDelayNanos;
    private final long maxDelayNanos;
    private final int burst;
    private final long intervalNanos;
    private final Map<String, ArrayDeque<Long>> exits = new HashMap<>();

    RestartPolicy(LongSupplier ticker, Duration firstDelay, Duration maxDelay, int burst, Duration interval) {
        if (firstDelay.isNegative() || maxDelay.compareTo(firstDelay) < 0) {
            throw new IllegalArgumentException("firstDelay: " + firstDelay + ", maxDelay: " + maxDelay
                                               + " (expected: 0 <= firstDelay <= maxDelay)");
        }
        if (burst < 1) {
            throw new IllegalArgumentException("burst: " + burst + " (expected: > 0)");
        }
        this.ticker = ticker;
        this.firstDelayNanos = firstDelay.toNanos();
        this.maxDelayNanos = maxDelay.toNanos();
        this.burst = burst;
        this.intervalNanos = interval.toNanos();
    }

    static RestartPolicy systemdLike(LongSupplier ticker) {
        return new RestartPolicy(ticker, FIRST_DELAY, MAX_DELAY, BURST, INTERVAL);
    }

    /**
     * Records that {@code node} exited now.
     *
     * @return the ticker time at which to start it again, or {@code -1} when it exited too often
     */
    long exited(String node) {
        long now = ticker.getAsLong();
        ArrayDeque<Long> recent = exits.computeIfAbsent(node, n -> new ArrayDeque<>());
        while (!recent.isEmpty() && now - recent.peekFirst() > intervalNanos) {
            recent.pollFirst();
        }
        recent.addLast(now);
        if (recent.size() > burst) {
            return -1;
        }
        long delay = firstDelayNanos;
        for (int i = 1; i < recent.size() && delay < maxDelayNanos; i++) {
            delay *= 2;
        }
        return now + Math.min(delay, maxDelayNanos);
    }

    /** Exits within the interval that count toward the limit. */
    int recentExits(String node) {
        ArrayDeque<Long> recent = exits.get(node);
        return recent == null ? 0 : recent.size();
    }

    /** Forgets a node's exits: a person restarted it, or it was removed. */
    void forget(String node) {
        exits.remove(node);
    }

    boolean due(long restartAt) {
        return ticker.getAsLong() - restartAt >= 0;
    }

    Duration interval() {
        return Duration.ofNanos(intervalNanos);
    }
}
