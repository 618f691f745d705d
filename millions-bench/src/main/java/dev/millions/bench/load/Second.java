package dev.millions.bench.load;

import java.util.Map;

/**
 * One second of a run, for the time series: operations that were due in it ({@code due}), and those
 * that ended in it, successful ({@code ok}, with their latencies) or not (by kind).
 */
public record Second(int second, long due, long ok, Map<String, Long> errors, LatencyStats latency) {

    public long errorCount() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }
}
