package dev.millions.edge.balance;

import java.util.List;

/**
 * Chooses a backend for a request among the available ones. Implementations are thread-safe: every
 * event loop calls them.
 */
public interface Balancer {

    /**
     * @param candidates the available backends, never empty
     * @param hashKey the request's affinity key, for consistent hashing; may be {@code null}
     */
    Backend pick(List<Backend> candidates, String hashKey, long nowNanos);

    static Balancer of(String algorithm, long slowStartNanos) {
        return switch (algorithm) {
            case "round-robin" -> new RoundRobin(slowStartNanos);
            case "weighted-round-robin" -> new WeightedRoundRobin(slowStartNanos);
            case "least-connections" -> new LeastConnections(slowStartNanos);
            case "p2c-ewma" -> new PowerOfTwoChoices(slowStartNanos);
            case "consistent-hash" -> new ConsistentHash(new RoundRobin(slowStartNanos));
            default -> throw new IllegalArgumentException("balancer: '" + algorithm + "' (expected one of: round-robin, "
                                                          + "weighted-round-robin, least-connections, p2c-ewma, "
                                                          + "consistent-hash)");
        };
    }
}
