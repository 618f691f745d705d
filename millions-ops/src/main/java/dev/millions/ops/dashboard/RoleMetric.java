package dev.millions.ops.dashboard;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What an autoscaler can hold a role's nodes to, each node's value averaged over the role's ready nodes. */
public enum RoleMetric {
    /** The node's process tree's CPU over the last 5 s, in percent of one core. */
    CPU("cpu"),
    /** A web node's requests in flight, averaged over the last 5 s of scrapes. */
    IN_FLIGHT("in-flight"),
    /** A worker's consumer lag, in messages, summed over its partitions. */
    LAG("lag");

    private final String id;

    RoleMetric(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /**
     * @throws IllegalArgumentException naming the metrics there are
     */
    public static RoleMetric of(String id) {
        return Arrays.stream(values()).filter(metric -> metric.id.equals(id.toLowerCase(Locale.ROOT))).findFirst()
                     .orElseThrow(() -> new IllegalArgumentException("metric: " + id + " (expected one of: "
                             + Arrays.stream(values()).map(RoleMetric::id).collect(Collectors.joining(", ")) + ')'));
    }

    double of(NodeHistory history, long windowNanos) {
        return switch (this) {
            case CPU -> history.cpu(windowNanos) * 100;
            case IN_FLIGHT -> history.average(Readings.IN_FLIGHT, windowNanos);
            case LAG -> history.gauge(Readings.LAG);
        };
    }
}
