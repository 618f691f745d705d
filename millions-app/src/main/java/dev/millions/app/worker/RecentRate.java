package dev.millions.app.worker;

import java.time.Clock;

/**
 * Events per second over the last ten whole seconds, kept in one counter per second of a ring: what
 * {@code status} shows as a partition's processing rate without scraping twice. Prometheus users take
 * {@code rate()} of the counters instead.
 */
final class RecentRate {

    static final int WINDOW_SECONDS = 10;

    private final Clock clock;
    private final long[] counts = new long[WINDOW_SECONDS];
    private final long[] seconds = new long[WINDOW_SECONDS];

    RecentRate(Clock clock) {
        this.clock = clock;
    }

    synchronized void add() {
        long second = Math.floorDiv(clock.millis(), 1000);
        int slot = (int) Math.floorMod(second, WINDOW_SECONDS);
        if (seconds[slot] != second) {
            seconds[slot] = second;
            counts[slot] = 0;
        }
        counts[slot]++;
    }

    synchronized double perSecond() {
        long now = Math.floorDiv(clock.millis(), 1000);
        long sum = 0;
        for (int slot = 0; slot < WINDOW_SECONDS; slot++) {
            if (now - seconds[slot] < WINDOW_SECONDS) {
                sum += counts[slot];
            }
        }
        return sum / (double) WINDOW_SECONDS;
    }
}
