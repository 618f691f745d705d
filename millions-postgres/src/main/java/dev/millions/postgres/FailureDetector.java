package dev.millions.postgres;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Decides when a node is dead from the outcomes of periodic probes, so that one lost probe, a long
 * garbage collection or a short pause never replaces a primary.
 *
 * <p>Design: a fixed-window detector in the spirit of Chandra and Toueg's eventually perfect failure
 * detector ("Unreliable Failure Detectors for Reliable Distributed Systems", JACM 1996): a node is
 * suspected after one failed probe and confirmed dead only when {@code misses} probes in a row failed
 * <em>and</em> no probe has succeeded for {@code window}. Both are needed: misses alone would let a
 * burst of fast failures (connection refused during a restart) decide within milliseconds, and a
 * window alone would let a single probe that timed out decide. Time comes from a ticker in
 * nanoseconds so tests advance it.
 */
final class FailureDetector {

    private final int misses;
    private final long windowNanos;
    private final LongSupplier ticker;
    private long lastSuccessNanos;
    private int consecutiveFailures;

    FailureDetector(int misses, Duration window, LongSupplier ticker) {
        PostgresServerBuilder.checkArgument(misses >= 2, "misses: %s (expected: >= 2)", misses);
        PostgresServerBuilder.checkArgument(window.toMillis() > 0, "window: %s (expected: > 0)", window);
        this.misses = misses;
        this.windowNanos = window.toNanos();
        this.ticker = ticker;
        this.lastSuccessNanos = ticker.getAsLong();
    }

    synchronized void success() {
        lastSuccessNanos = ticker.getAsLong();
        consecutiveFailures = 0;
    }

    synchronized void failure() {
        consecutiveFailures++;
    }

    /** Starts afresh, as if the node had just answered: after it was rebuilt or promoted. */
    synchronized void reset() {
        success();
    }

    synchronized boolean suspected() {
        return consecutiveFailures > 0;
    }

    synchronized boolean confirmedDead() {
        return consecutiveFailures >= misses && ticker.getAsLong() - lastSuccessNanos >= windowNanos;
    }

    synchronized long millisSinceSuccess() {
        return (ticker.getAsLong() - lastSuccessNanos) / 1_000_000;
    }
}
