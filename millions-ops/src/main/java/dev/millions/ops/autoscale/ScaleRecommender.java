package dev.millions.ops.autoscale;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The node count a role should have, by Kubernetes' HorizontalPodAutoscaler algorithm
 * (kubernetes.io/docs/concepts/workloads/autoscaling/horizontal-pod-autoscale, "Algorithm details"
 * and "Stabilization window"): {@code desired = ceil(current * value / target)}, no change while the
 * ratio is within a 10 % tolerance of 1, clamped to the policy's bounds. A scale-up goes to the lowest
 * recommendation of the scale-up window, a scale-down to the highest of the scale-down window, so a
 * short spike or dip moves nothing; and nothing moves within the cooldown after the last change. Time
 * is the caller's (nanoseconds of any ticker), so that tests advance it.
 */
final class ScaleRecommender {

    static final double TOLERANCE = 0.1;

    private record Recommendation(long nanos, int count) {}

    private final AutoscalePolicy policy;
    private final Deque<Recommendation> recent = new ArrayDeque<>();
    private long lastChangeNanos;
    private boolean changedOnce;

    ScaleRecommender(AutoscalePolicy policy) {
        this.policy = policy;
    }

    AutoscalePolicy policy() {
        return policy;
    }

    /** The count to scale to now: {@code current} when nothing should change. */
    int recommend(long nanos, int current, double value) {
        int desired = desired(current, value);
        recent.addLast(new Recommendation(nanos, desired));
        long longest = Math.max(policy.scaleUpWindow().toNanos(), policy.scaleDownWindow().toNanos());
        while (nanos - recent.getFirst().nanos() > longest) {
            recent.removeFirst();
        }
        if (changedOnce && nanos - lastChangeNanos < policy.cooldown().toNanos()) {
            return current;
        }
        if (desired > current) {
            return Math.max(current, lowestWithin(nanos, policy.scaleUpWindow().toNanos()));
        }
        if (desired < current) {
            return Math.min(current, highestWithin(nanos, policy.scaleDownWindow().toNanos()));
        }
        return current;
    }

    /** Starts the cooldown: a change finished at {@code nanos}. */
    void changed(long nanos) {
        lastChangeNanos = nanos;
        changedOnce = true;
    }

    private int desired(int current, double value) {
        int bounded = Math.max(policy.min(), Math.min(policy.max(), current));
        if (bounded != current) {
            return bounded;
        }
        double ratio = value / policy.target();
        if (Math.abs(ratio - 1) <= TOLERANCE) {
            return current;
        }
        return Math.max(policy.min(), Math.min(policy.max(), (int) Math.ceil(current * ratio)));
    }

    private int lowestWithin(long nanos, long window) {
        return recent.stream().filter(recommendation -> nanos - recommendation.nanos() <= window)
                     .mapToInt(Recommendation::count).min().orElse(Integer.MAX_VALUE);
    }

    private int highestWithin(long nanos, long window) {
        return recent.stream().filter(recommendation -> nanos - recommendation.nanos() <= window)
                     .mapToInt(Recommendation::count).max().orElse(0);
    }
}
