package dev.millions.edge.health;

/**
 * Rise and fall counting for active checks (HAProxy's {@code rise}/{@code fall}): a backend turns
 * healthy after {@code rise} passing checks in a row and unhealthy after {@code fall} failing ones, so
 * a single lost probe changes nothing.
 */
final class HealthState {

    private final int rise;
    private final int fall;
    private boolean healthy;
    private int streak;

    HealthState(int rise, int fall, boolean healthy) {
        this.rise = rise;
        this.fall = fall;
        this.healthy = healthy;
    }

    /** Records a check and returns whether the backend is healthy now. */
    synchronized boolean observe(boolean passed) {
        if (passed == healthy) {
            streak = 0;
        } else if (++streak >= (passed ? rise : fall)) {
            healthy = passed;
            streak = 0;
        }
        return healthy;
    }
}
