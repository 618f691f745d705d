package dev.millions.edge.health;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import dev.millions.edge.balance.Backend;
import dev.millions.edge.balance.BackendSet;

/**
 * Passive health: a backend that fails several requests in a row (connect failure, reset, 5xx,
 * timeout) is ejected for a while, longer each time it happens again, but never so many backends that
 * more than a set share of the pool is out.
 *
 * <p>Design: Envoy's outlier detection ({@code consecutive_5xx}, {@code base_ejection_time} times the
 * number of ejections, {@code max_ejection_percent}), with time from an injected ticker.
 */
public final class OutlierDetector {

    private static final long MAX_EJECTION_NANOS = 30_000_000_000L;

    private final BackendSet backends;
    private final int consecutiveFailures;
    private final long baseEjectionNanos;
    private final int maxEjectionPercent;
    private final LongSupplier ticker;
    private final Map<Backend, State> states = new ConcurrentHashMap<>();

    public OutlierDetector(BackendSet backends, int consecutiveFailures, long baseEjectionNanos,
                           int maxEjectionPercent, LongSupplier ticker) {
        this.backends = backends;
        this.consecutiveFailures = consecutiveFailures;
        this.baseEjectionNanos = baseEjectionNanos;
        this.maxEjectionPercent = maxEjectionPercent;
        this.ticker = ticker;
    }

    public void success(Backend backend) {
        State state = states.get(backend);
        if (state != null) {
            synchronized (state) {
                state.failures = 0;
                if (!backend.ejected(ticker.getAsLong())) {
                    state.ejections = Math.max(0, state.ejections - 1);
                }
            }
        }
    }

    /** @return whether this failure ejected the backend */
    public boolean failure(Backend backend) {
        State state = states.computeIfAbsent(backend, b -> new State());
        long now = ticker.getAsLong();
        synchronized (state) {
            if (++state.failures < consecutiveFailures || backend.ejected(now) || !mayEject(now)) {
                return false;
            }
            state.failures = 0;
            state.ejections++;
            long ejection = Math.min(MAX_EJECTION_NANOS, baseEjectionNanos * state.ejections);
            backend.ejectUntil(now + ejection);
            return true;
        }
    }

    private boolean mayEject(long now) {
        int total = 0;
        int ejected = 0;
        for (Backend backend : backends.all()) {
            total++;
            if (backend.ejected(now)) {
                ejected++;
            }
        }
        return (ejected + 1) * 100 <= total * maxEjectionPercent;
    }

    private static final class State {
        int failures;
        int ejections;
    }
}
