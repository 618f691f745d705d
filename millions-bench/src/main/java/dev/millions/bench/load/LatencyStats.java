package dev.millions.bench.load;

import org.HdrHistogram.Histogram;

/**
 * Percentiles of one histogram, in milliseconds. Values are recorded in microseconds with three
 * significant digits, so a percentile is within 0.1 % of the true value.
 */
public record LatencyStats(long count, double mean, double p50, double p90, double p99, double p999, double max) {

    public static final LatencyStats EMPTY = new LatencyStats(0, 0, 0, 0, 0, 0, 0);

    public static LatencyStats of(Histogram micros) {
        if (micros.getTotalCount() == 0) {
            return EMPTY;
        }
        return new LatencyStats(micros.getTotalCount(), micros.getMean() / 1000.0,
                                millis(micros, 50), millis(micros, 90), millis(micros, 99), millis(micros, 99.9),
                                micros.getMaxValue() / 1000.0);
    }

    private static double millis(Histogram micros, double percentile) {
        return micros.getValueAtPercentile(percentile) / 1000.0;
    }
}
