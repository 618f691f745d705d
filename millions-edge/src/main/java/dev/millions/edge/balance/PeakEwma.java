package dev.millions.edge.balance;

/**
 * Peak-sensitive exponentially weighted moving average of latency.
 *
 * <p>Design (Finagle's {@code PeakEwma}, described in "Balancing Requests", Twitter 2016, and used by
 * Linkerd): a sample above the average replaces it at once, so a backend that turns slow is avoided
 * immediately; a sample below decays toward it with weight {@code exp(-elapsed / tau)}, so it earns
 * traffic back gradually, and with no samples the average decays toward zero. tau is 10 s, Finagle's
 * default decay time.
 */
final class PeakEwma {

    private static final double TAU_NANOS = 10e9;
    /** Before any sample a backend looks as fast as a loopback hop, so new backends get tried. */
    private static final double INITIAL_NANOS = 1e6;

    private double value = INITIAL_NANOS;
    private long stampNanos;

    PeakEwma(long nowNanos) {
        this.stampNanos = nowNanos;
    }

    synchronized void observe(long nowNanos, long sampleNanos) {
        if (sampleNanos > value) {
            value = sampleNanos;
        } else {
            double weight = Math.exp(-Math.max(0, nowNanos - stampNanos) / TAU_NANOS);
            value = value * weight + sampleNanos * (1 - weight);
        }
        stampNanos = nowNanos;
    }

    /**
     * The average as of now: it decays toward zero while no answer comes in, as Finagle's does, so a
     * backend avoided after a slow spell is tried again after a while instead of being starved forever.
     */
    synchronized double value(long nowNanos) {
        return value * Math.exp(-Math.max(0, nowNanos - stampNanos) / TAU_NANOS);
    }
}
