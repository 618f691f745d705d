package dev.millions.edge.balance;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/** Each backend in turn. A slow-starting backend's turn is skipped with the probability it lacks. */
final class RoundRobin implements Balancer {

    private final AtomicInteger next = new AtomicInteger();
    private final long slowStartNanos;

    RoundRobin(long slowStartNanos) {
        this.slowStartNanos = slowStartNanos;
    }

    @Override
    public Backend pick(List<Backend> candidates, String hashKey, long nowNanos) {
        int size = candidates.size();
        for (int attempt = 0; attempt < size; attempt++) {
            Backend backend = candidates.get(Math.floorMod(next.getAndIncrement(), size));
            double factor = backend.slowStartFactor(nowNanos, slowStartNanos);
            if (factor >= 1 || ThreadLocalRandom.current().nextDouble() < factor) {
                return backend;
            }
        }
        return candidates.get(Math.floorMod(next.getAndIncrement(), size));
    }
}
