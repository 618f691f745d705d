package dev.millions.edge.balance;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Smooth weighted round robin (nginx's {@code ngx_http_upstream_get_peer}): every pick adds each
 * backend's weight to its running score, takes the highest, and subtracts the total from it. Weights
 * 5, 1, 1 give a a b a c a a, never a burst of five in a row.
 */
final class WeightedRoundRobin implements Balancer {

    private final Map<Backend, Double> current = new IdentityHashMap<>();
    private final long slowStartNanos;

    WeightedRoundRobin(long slowStartNanos) {
        this.slowStartNanos = slowStartNanos;
    }

    @Override
    public synchronized Backend pick(List<Backend> candidates, String hashKey, long nowNanos) {
        double total = 0;
        Backend best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (Backend backend : candidates) {
            double weight = backend.weight() * backend.slowStartFactor(nowNanos, slowStartNanos);
            double score = current.getOrDefault(backend, 0.0) + weight;
            current.put(backend, score);
            total += weight;
            if (score > bestScore) {
                bestScore = score;
                best = backend;
            }
        }
        current.put(best, bestScore - total);
        if (current.size() > candidates.size() * 2) {
            current.keySet().retainAll(candidates);
        }
        return best;
    }
}
