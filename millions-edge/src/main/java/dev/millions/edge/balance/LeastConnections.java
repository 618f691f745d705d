package dev.millions.edge.balance;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The backend with the fewest requests in flight per unit of weight; ties are broken at random so
 * that an idle pool does not send everything to the first backend.
 */
final class LeastConnections implements Balancer {

    private final long slowStartNanos;

    LeastConnections(long slowStartNanos) {
        this.slowStartNanos = slowStartNanos;
    }

    @Override
    public Backend pick(List<Backend> candidates, String hashKey, long nowNanos) {
        int size = candidates.size();
        int offset = ThreadLocalRandom.current().nextInt(size);
        Backend best = null;
        double bestLoad = Double.POSITIVE_INFINITY;
        for (int i = 0; i < size; i++) {
            Backend backend = candidates.get((offset + i) % size);
            double load = (backend.inFlight() + 1) / (backend.weight() * backend.slowStartFactor(nowNanos, slowStartNanos));
            if (load < bestLoad) {
                bestLoad = load;
                best = backend;
            }
        }
        return best;
    }
}
