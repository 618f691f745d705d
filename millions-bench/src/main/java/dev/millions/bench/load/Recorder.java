package dev.millions.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.HdrHistogram.Histogram;

/**
 * Collects what the generator measures, from many threads: a histogram of successful latencies per
 * operation and in all (operations due during warm-up left out), errors by kind, and a per-second
 * series.
 *
 * <p>Latency runs from when an operation was due to when it ended, so time spent waiting behind a
 * stalled server counts.
 */
public final class Recorder {

    /** An hour: anything longer is recorded as an hour. */
    private static final long HIGHEST_MICROS = TimeUnit.HOURS.toMicros(1);

    private final long zeroNanos;
    private final long warmupNanos;
    private final Map<String, Histogram> byOperation = new ConcurrentHashMap<>();
    private final Map<String, Map<String, LongAdder>> errorsByOperation = new ConcurrentHashMap<>();
    private final Histogram all = histogram();
    private final ConcurrentSkipListMap<Integer, Bucket> seconds = new ConcurrentSkipListMap<>();

    /**
     * @param zeroNanos the {@link System#nanoTime()} at which the run starts: second 0 of the series
     * @param warmupNanos how long after zero operations are due before they count in the summary
     */
    public Recorder(long zeroNanos, long warmupNanos) {
        this.zeroNanos = zeroNanos;
        this.warmupNanos = warmupNanos;
    }

    public long zeroNanos() {
        return zeroNanos;
    }

    public long warmupNanos() {
        return warmupNanos;
    }

    /** An operation became due (the arrival side of the series). */
    public void due(long dueNanos) {
        bucket(dueNanos).due.increment();
    }

    /** An operation ended. */
    public void record(String operation, long dueNanos, long endNanos, Outcome outcome) {
        Bucket bucket = bucket(endNanos);
        boolean counted = dueNanos - zeroNanos >= warmupNanos;
        if (outcome.ok()) {
            long micros = Math.min(HIGHEST_MICROS, Math.max(0, (endNanos - dueNanos) / 1000));
            bucket.ok.increment();
            synchronized (bucket.latency) {
                bucket.latency.recordValue(micros);
            }
            if (counted) {
                Histogram histogram = byOperation.computeIfAbsent(operation, name -> histogram());
                synchronized (histogram) {
                    histogram.recordValue(micros);
                }
                synchronized (all) {
                    all.recordValue(micros);
                }
            }
        } else {
            bucket.errors.computeIfAbsent(outcome.errorKind(), kind -> new LongAdder()).increment();
            if (counted) {
                errorsByOperation.computeIfAbsent(operation, name -> new ConcurrentHashMap<>())
                                 .computeIfAbsent(outcome.errorKind(), kind -> new LongAdder()).increment();
                byOperation.computeIfAbsent(operation, name -> histogram());
            }
        }
    }

    /** Latency of every successful operation after warm-up. */
    public LatencyStats total() {
        synchronized (all) {
            return LatencyStats.of(all);
        }
    }

    /** A copy of the whole histogram after warm-up, for the report's percentile distribution. */
    public Histogram totalHistogram() {
        synchronized (all) {
            return all.copy();
        }
    }

    /** A copy of each operation's histogram after warm-up, by name. */
    public Map<String, Histogram> operationHistograms() {
        Map<String, Histogram> copies = new TreeMap<>();
        byOperation.forEach((name, histogram) -> {
            synchronized (histogram) {
                copies.put(name, histogram.copy());
            }
        });
        return copies;
    }

    /** Per operation, in name order: its latency and errors after warm-up. */
    public List<OperationSummary> operations() {
        List<OperationSummary> summaries = new ArrayList<>();
        for (String name : new TreeMap<>(byOperation).keySet()) {
            Histogram histogram = byOperation.get(name);
            LatencyStats stats;
            synchronized (histogram) {
                stats = LatencyStats.of(histogram);
            }
            summaries.add(new OperationSummary(name, stats, counts(errorsByOperation.getOrDefault(name, Map.of()))));
        }
        return summaries;
    }

    /** Errors after warm-up by kind, over all operations. */
    public Map<String, Long> errors() {
        Map<String, Long> total = new TreeMap<>();
        errorsByOperation.values().forEach(kinds -> kinds.forEach((kind, count) -> total.merge(kind, count.sum(),
                                                                                             Long::sum)));
        return total;
    }

    /** The per-second series from second 0 to the last second anything happened in, gaps filled. */
    public List<Second> series() {
        List<Second> series = new ArrayList<>();
        if (seconds.isEmpty()) {
            return series;
        }
        int last = seconds.lastKey();
        for (int second = 0; second <= last; second++) {
            Bucket bucket = seconds.get(second);
            if (bucket == null) {
                series.add(new Second(second, 0, 0, Map.of(), LatencyStats.EMPTY));
                continue;
            }
            LatencyStats latency;
            synchronized (bucket.latency) {
                latency = LatencyStats.of(bucket.latency);
            }
            series.add(new Second(second, bucket.due.sum(), bucket.ok.sum(), counts(bucket.errors), latency));
        }
        return series;
    }

    private Bucket bucket(long nanos) {
        int second = (int) Math.max(0, (nanos - zeroNanos) / 1_000_000_000L);
        return seconds.computeIfAbsent(second, s -> new Bucket());
    }

    private static Map<String, Long> counts(Map<String, LongAdder> adders) {
        Map<String, Long> counts = new TreeMap<>();
        adders.forEach((kind, adder) -> counts.put(kind, adder.sum()));
        return counts;
    }

    private static Histogram histogram() {
        return new Histogram(HIGHEST_MICROS, 3);
    }

    /** Latency and errors of one operation after warm-up. */
    public record OperationSummary(String name, LatencyStats latency, Map<String, Long> errors) {
        public long errorCount() {
            return errors.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private static final class Bucket {
        final LongAdder due = new LongAdder();
        final LongAdder ok = new LongAdder();
        final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
        final Histogram latency = histogram();
    }
}
