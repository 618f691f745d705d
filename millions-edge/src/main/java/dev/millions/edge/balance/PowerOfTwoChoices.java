package dev.millions.edge.balance;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Power of two choices with peak-EWMA latency.
 *
 * <p>Design: Mitzenmacher, "The Power of Two Choices in Randomized Load Balancing" (2001): two
 * backends at random, the less loaded one wins, which avoids both the herd behaviour of "least
 * loaded" and the blindness of random. Load is Finagle's and Linkerd's cost: latency EWMA times
 * (requests in flight + 1), divided by the effective weight, so a slow backend sees its share shrink
 * as soon as it slows.
 */
final class PowerOfTwoChoices implements Balancer {

    private final long slowStartNanos;

    PowerOfTwoChoices(long slowStartNanos) {
        this.slowStartNanos = slowStartNanos;
    }

    @Override
    public Backend pick(List<Backend> candidates, String hashKey, long nowNanos) {
        int size = candidates.size();
        if (size == 1) {
            return candidates.get(0);
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int first = random.nextInt(size);
        int second = random.nextInt(size - 1);
        if (second >= first) {
            second++;
        }
        Backend a = candidates.get(first);
        Backend b = candidates.get(second);
        return cost(a, nowNanos) <= cost(b, nowNanos) ? a : b;
    }

    private double cost(Backend backend, long nowNanos) {
        return backend.latencyEwmaNanos(nowNanos) * (backend.inFlight() + 1)
               / (backend.weight() * backend.slowStartFactor(nowNanos, slowStartNanos));
    }
}
