package dev.millions.edge.balance;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * One server behind the proxy and everything the balancer and health checks know of it. State is
 * written by the health checker, the outlier detector and the proxy's event loops at once, so every
 * field is volatile or atomic; times are nanos from the proxy's ticker.
 */
public final class Backend {

    private final String id;
    private final InetSocketAddress address;
    private final int weight;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final PeakEwma latency;
    private final BackendStats stats = new BackendStats();
    private volatile boolean healthy;
    private volatile boolean draining;
    private volatile long ejectedUntilNanos;
    private volatile long healthySinceNanos;

    public Backend(String id, InetSocketAddress address, int weight, boolean healthy, long nowNanos) {
        this.id = id;
        this.address = address;
        this.weight = weight;
        this.healthy = healthy;
        this.healthySinceNanos = healthy ? Long.MIN_VALUE / 2 : 0;
        this.latency = new PeakEwma(nowNanos);
    }

    public String id() {
        return id;
    }

    public InetSocketAddress address() {
        return address;
    }

    public int weight() {
        return weight;
    }

    /** Whether new requests may go here: healthy, not ejected, not draining. */
    public boolean available(long nowNanos) {
        return healthy && !draining && nowNanos >= ejectedUntilNanos;
    }

    public boolean healthy() {
        return healthy;
    }

    public boolean draining() {
        return draining;
    }

    public boolean ejected(long nowNanos) {
        return nowNanos < ejectedUntilNanos;
    }

    public void markHealthy(boolean nowHealthy, long nowNanos) {
        if (nowHealthy && !healthy) {
            healthySinceNanos = nowNanos;
        }
        healthy = nowHealthy;
    }

    public void drain() {
        draining = true;
    }

    public void ejectUntil(long nanos) {
        ejectedUntilNanos = nanos;
    }

    /**
     * The share of its weight a backend gets while slow-starting: it grows linearly from 10 % to 100 %
     * over {@code windowNanos} after the backend became healthy (Envoy's slow start, aggression 1).
     */
    public double slowStartFactor(long nowNanos, long windowNanos) {
        if (windowNanos <= 0) {
            return 1;
        }
        long since = nowNanos - Math.max(healthySinceNanos, ejectedUntilNanos);
        if (since >= windowNanos) {
            return 1;
        }
        return Math.max(0.1, (double) since / windowNanos);
    }

    public int inFlight() {
        return inFlight.get();
    }

    public void started() {
        inFlight.incrementAndGet();
    }

    /** A request ended; {@code latencyNanos} feeds the EWMA when it got an answer. */
    public void finished(long nowNanos, long latencyNanos, boolean answered) {
        inFlight.decrementAndGet();
        if (answered) {
            latency.observe(nowNanos, latencyNanos);
        }
    }

    public double latencyEwmaNanos(long nowNanos) {
        return latency.value(nowNanos);
    }

    public BackendStats stats() {
        return stats;
    }

    @Override
    public String toString() {
        return id + '(' + address.getHostString() + ':' + address.getPort() + ')';
    }

    /** Counters for the metrics page. */
    public static final class BackendStats {
        public final LongAdder requests = new LongAdder();
        public final LongAdder errors = new LongAdder();
        public final LongAdder retries = new LongAdder();
        public final AtomicInteger openConnections = new AtomicInteger();
        public final LatencyBuckets latency = new LatencyBuckets();
    }
}
