package dev.millions.ops.dashboard;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The last {@value #CAPACITY} scrapes of one node (15 minutes at one a second), and what the dashboard
 * derives from them over a recent window: rates from counters, a p99 from histogram buckets, CPU from
 * the process tree's CPU time. A counter that went down (the node restarted) counts from zero again.
 *
 * <p>The p99 is Prometheus' {@code histogram_quantile} over the window's bucket increases: the rank's
 * bucket is found and the value interpolated linearly inside it (prometheus/promql/quantile.go).
 */
final class NodeHistory {

    static final int CAPACITY = 900;

    /** One scrape: when (nanos of the supervisor's ticker), the readings, and the process tree's use. */
    record Tick(long nanos, Map<String, Double> readings, double cpuSeconds, long rssBytes) {}

    private final Deque<Tick> ticks = new ArrayDeque<>();

    void add(Tick tick) {
        if (ticks.size() == CAPACITY) {
            ticks.removeFirst();
        }
        ticks.addLast(tick);
    }

    int size() {
        return ticks.size();
    }

    /** The newest reading of a gauge, or NaN. */
    double gauge(String key) {
        return ticks.isEmpty() ? Double.NaN : ticks.getLast().readings().getOrDefault(key, Double.NaN);
    }

    /** The mean of a gauge over the scrapes in the window, or NaN when none has it. */
    double average(String key, long windowNanos) {
        if (ticks.isEmpty()) {
            return Double.NaN;
        }
        long newest = ticks.getLast().nanos();
        return ticks.stream().filter(tick -> newest - tick.nanos() <= windowNanos)
                    .map(tick -> tick.readings().get(key)).filter(value -> value != null && !value.isNaN())
                    .mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    long rssBytes() {
        return ticks.isEmpty() ? 0 : ticks.getLast().rssBytes();
    }

    /** Per second over the window, or NaN before two scrapes or when the node does not export it. */
    double rate(String key, long windowNanos) {
        Tick[] span = span(windowNanos);
        if (span == null || !span[1].readings().containsKey(key)) {
            return Double.NaN;
        }
        return increase(span, key) / seconds(span);
    }

    /** Every counter whose key starts with {@code prefix}, with its rate over the window (the prefix cut). */
    Map<String, Double> rates(String prefix, long windowNanos) {
        Map<String, Double> rates = new TreeMap<>();
        Tick[] span = span(windowNanos);
        if (span == null) {
            return rates;
        }
        span[1].readings().keySet().stream().filter(key -> key.startsWith(prefix))
               .forEach(key -> rates.put(key.substring(prefix.length()), increase(span, key) / seconds(span)));
        return rates;
    }

    /** CPU in use over the window, as a share of one core (1.0 = one core busy), or NaN. */
    double cpu(long windowNanos) {
        Tick[] span = span(windowNanos);
        if (span == null || Double.isNaN(span[0].cpuSeconds()) || Double.isNaN(span[1].cpuSeconds())) {
            return Double.NaN;
        }
        return Math.max(0, span[1].cpuSeconds() - span[0].cpuSeconds()) / seconds(span);
    }

    /** The 99th percentile, in seconds, of what the window's histogram buckets counted; NaN when none. */
    double p99(long windowNanos) {
        Tick[] span = span(windowNanos);
        if (span == null) {
            return Double.NaN;
        }
        TreeMap<Double, Double> buckets = new TreeMap<>();
        span[1].readings().forEach((key, value) -> {
            if (key.startsWith(Readings.BUCKET)) {
                buckets.put(upperBound(key.substring(Readings.BUCKET.length())), increase(span, key));
            }
        });
        return quantile(0.99, buckets);
    }

    /** A bucket's {@code le}: a number, or {@code +Inf}, which Java does not parse. */
    private static double upperBound(String le) {
        return le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
    }

    /**
     * @param cumulative each bucket's upper bound and how many fell at or below it ({@code +Inf} included)
     */
    static double quantile(double q, TreeMap<Double, Double> cumulative) {
        if (cumulative.isEmpty() || cumulative.lastEntry().getValue() <= 0) {
            return Double.NaN;
        }
        double rank = q * cumulative.lastEntry().getValue();
        double lowerBound = 0;
        double lowerCount = 0;
        for (Map.Entry<Double, Double> bucket : cumulative.entrySet()) {
            if (bucket.getValue() >= rank) {
                if (bucket.getKey().isInfinite()) {
                    return lowerBound;
                }
                double inBucket = bucket.getValue() - lowerCount;
                return inBucket <= 0 ? bucket.getKey()
                                     : lowerBound + (bucket.getKey() - lowerBound) * (rank - lowerCount) / inBucket;
            }
            lowerBound = bucket.getKey();
            lowerCount = bucket.getValue();
        }
        return lowerBound;
    }

    /** The values of a counter's rate at each of the last {@code points} scrapes, oldest first. */
    List<Double> recentRates(String key, int points) {
        List<Tick> all = new ArrayList<>(ticks);
        List<Double> rates = new ArrayList<>();
        for (int i = Math.max(1, all.size() - points); i < all.size(); i++) {
            Tick[] pair = {all.get(i - 1), all.get(i)};
            rates.add(increase(pair, key) / seconds(pair));
        }
        return rates;
    }

    /** The oldest tick inside the window and the newest, or null before two scrapes. */
    private Tick[] span(long windowNanos) {
        if (ticks.size() < 2) {
            return null;
        }
        Tick newest = ticks.getLast();
        Tick oldest = null;
        for (Iterator<Tick> it = ticks.descendingIterator(); it.hasNext(); ) {
            Tick tick = it.next();
            if (tick != newest) {
                oldest = tick;
                if (newest.nanos() - tick.nanos() >= windowNanos) {
                    break;
                }
            }
        }
        return new Tick[] {oldest, newest};
    }

    private static double increase(Tick[] span, String key) {
        double now = span[1].readings().getOrDefault(key, 0.0);
        double before = span[0].readings().getOrDefault(key, 0.0);
        return now >= before ? now - before : now;
    }

    private static double seconds(Tick[] span) {
        return Math.max(1e-3, (span[1].nanos() - span[0].nanos()) / 1e9);
    }
}
