package dev.millions.bench.soak;

import static dev.millions.bench.Preconditions.checkArgument;

/**
 * Whether a series of samples keeps growing, as a leak does, or settles, as a JVM, a connection pool or
 * PostgreSQL's caches do once they reach their working size.
 *
 * <p>Design note: over the samples taken after the warm-up, the growth is the least-squares line's
 * slope times their time span: simple linear regression, as Prometheus' {@code deriv()} and
 * {@code predict_linear()} fit it, the usual basis of a memory-leak alert. A series keeps growing when that growth
 * passes a threshold <em>and</em> the last third of the samples still sits above the middle third: a
 * one-time step (a cache filling up, a pool reaching its size) passes the first test but not the
 * second, while a steady climb passes both. The threshold is the larger of an absolute floor and a
 * share of where the series started, so that neither a small node's noise nor a large node's
 * ordinary churn counts as a leak.
 */
public record Growth(String metric, long floor, double share) {

    public static final Growth RSS = new Growth("rss", 32L << 20, 0.10);
    public static final Growth HEAP_AFTER_GC = new Growth("heap after gc", 16L << 20, 0.20);
    public static final Growth OPEN_FILES = new Growth("open files", 64, 0.25);
    public static final Growth THREADS = new Growth("threads", 32, 0.25);

    public Growth {
        checkArgument(floor > 0, "floor: %s (expected: > 0)", floor);
        checkArgument(share > 0, "share: %s (expected: > 0)", share);
    }

    /**
     * @param seconds when each sample was taken, increasing
     * @param values the samples
     * @return the fitted growth over the samples' span, in the values' unit
     */
    public static double fitted(double[] seconds, double[] values) {
        checkArgument(seconds.length == values.length && seconds.length >= 2,
                      "samples: %s times, %s values (expected: the same number, at least 2)", seconds.length,
                      values.length);
        double meanT = 0;
        double meanV = 0;
        for (int i = 0; i < seconds.length; i++) {
            meanT += seconds[i] / seconds.length;
            meanV += values[i] / values.length;
        }
        double covariance = 0;
        double variance = 0;
        for (int i = 0; i < seconds.length; i++) {
            covariance += (seconds[i] - meanT) * (values[i] - meanV);
            variance += (seconds[i] - meanT) * (seconds[i] - meanT);
        }
        return variance == 0 ? 0 : covariance / variance * (seconds[seconds.length - 1] - seconds[0]);
    }

    /** At least three samples are needed to tell a step from a climb. */
    public boolean keepsGrowing(double[] seconds, double[] values) {
        if (values.length < 3) {
            return false;
        }
        double threshold = threshold(values[0]);
        int third = values.length / 3;
        double middle = mean(values, third, values.length - third);
        double last = mean(values, values.length - third, values.length);
        return fitted(seconds, values) > threshold && last - middle > threshold / 4;
    }

    public double threshold(double start) {
        return Math.max(floor, share * start);
    }

    private static double mean(double[] values, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += values[i];
        }
        return sum / (to - from);
    }
}
