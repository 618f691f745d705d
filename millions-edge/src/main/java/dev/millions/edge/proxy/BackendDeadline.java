package dev.millions.edge.proxy;

import java.util.function.LongSupplier;

/**
 * The time a backend has to send the next part of its answer. It counts only while the edge waits on
 * the backend, as nginx's {@code proxy_read_timeout} counts between two reads: from each part asked for
 * until it arrives, and from each part of a request body the backend took in. An answer that streams
 * for longer (large, or to a slow client) is not cut off while its parts keep coming; while the edge
 * waits for the client, nothing counts. Time comes from the proxy's ticker, in nanoseconds.
 */
final class BackendDeadline {

    private final LongSupplier ticker;
    private final long timeoutNanos;
    /** When the wait runs out; 0 while nothing is awaited from the backend. */
    private long deadlineNanos;

    BackendDeadline(LongSupplier ticker, long timeoutNanos) {
        this.ticker = ticker;
        this.timeoutNanos = timeoutNanos;
    }

    /** The edge waits on the backend from now. */
    void arm() {
        long deadline = ticker.getAsLong() + timeoutNanos;
        deadlineNanos = deadline == 0 ? 1 : deadline;
    }

    /** The edge waits on the backend from now, if it was waiting already (it took in a part). */
    void extend() {
        if (deadlineNanos != 0) {
            arm();
        }
    }

    /** Nothing is awaited from the backend. */
    void cancel() {
        deadlineNanos = 0;
    }

    boolean passed(long nowNanos) {
        return deadlineNanos != 0 && nowNanos - deadlineNanos > 0;
    }
}
