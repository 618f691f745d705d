package dev.millions.bench.load;

import static dev.millions.bench.Preconditions.checkArgument;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The highest open-loop rate the system holds on the machine it runs on: a bench that loads at a fixed
 * rate overloads a slower machine and idles a faster one, and an overloaded system's latency is its
 * queue's, not the design's.
 *
 * <p>Design note: as wrk2's author advises (Gil Tene, "How NOT to Measure Latency"), capacity is the
 * highest <em>arrival</em> rate at which the latency still meets a bound, measured with an open loop so
 * that a slow answer cannot slow the arrivals down (no coordinated omission). The rate rises
 * geometrically, each step measured on its own; the first step that misses the p99 bound, fails a
 * request or leaves one unfinished ends the climb, and one step at the geometric mean of the last rate
 * held and the first lost narrows the answer. The climb is also the system's warm-up, from cold: the
 * first rate is tried up to {@value #FIRST_STEP_TRIES} times, since a JVM that is still compiling its
 * code misses a bound at a load it holds a minute later.
 */
public final class CapacityProbe {

    private static final double GROWTH = 1.5;
    private static final int FIRST_STEP_TRIES = 4;
    private static final int MAX_IN_FLIGHT = 10_000;

    private final Duration p99Bound;
    private final Duration step;
    private final double startRate;
    private final double maxRate;
    private final Duration drainTimeout;

    /** One step of the climb, and whether the system held it. */
    public record Step(double rate, LatencyStats latency, long errors, int unfinished, boolean held) {

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%.0f ops/s: p99 %.1f ms, %d errors%s -> %s", rate, latency.p99(),
                                 errors, unfinished == 0 ? "" : ", " + unfinished + " unfinished",
                                 held ? "held" : "lost");
        }
    }

    /** @param capacity the highest rate held, 0 when not even the first was */
    public record Result(double capacity, List<Step> steps) {}

    private CapacityProbe(Duration p99Bound, Duration step, double startRate, double maxRate, Duration drainTimeout) {
        this.p99Bound = p99Bound;
        this.step = step;
        this.startRate = startRate;
        this.maxRate = maxRate;
        this.drainTimeout = drainTimeout;
    }

    /**
     * @param p99Bound the latency a held rate keeps its 99th percentile under
     * @param step how long each rate is measured
     * @param startRate the first rate tried, in operations per second
     * @param maxRate where the climb stops even if the system still holds (the client's own limit)
     * @param drainTimeout how long a step waits for its operations still in flight
     */
    public static CapacityProbe of(Duration p99Bound, Duration step, double startRate, double maxRate,
                                   Duration drainTimeout) {
        checkArgument(p99Bound.toMillis() >= 1, "p99 bound: %s (expected: >= 1ms)", p99Bound);
        checkArgument(step.toMillis() >= 1000, "step: %s (expected: >= 1s)", step);
        checkArgument(startRate > 0 && startRate <= maxRate, "start rate: %s (expected: > 0 and <= max rate %s)",
                      startRate, maxRate);
        return new CapacityProbe(p99Bound, step, startRate, maxRate, drainTimeout);
    }

    public Duration p99Bound() {
        return p99Bound;
    }

    /** Climbs until a step is lost or the maximum rate is held, telling {@code progress} of each step. */
    public Result find(OperationSource source, long seed, Consumer<Step> progress) throws InterruptedException {
        return climb((rate, n) -> measure(source, rate, seed + n), progress);
    }

    /** The climb alone, with the measurement of a step given. */
    Result climb(Measurement measurement, Consumer<Step> progress) throws InterruptedException {
        List<Step> steps = new ArrayList<>();
        double held = 0;
        double lost = 0;
        for (double rate = startRate; rate <= maxRate; rate = Math.min(maxRate, rate * GROWTH)) {
            Step step = measurement.measure(rate, steps.size());
            steps.add(step);
            progress.accept(step);
            if (!step.held() && rate == startRate && steps.size() < FIRST_STEP_TRIES) {
                rate /= GROWTH;
                continue;
            }
            if (!step.held()) {
                lost = rate;
                break;
            }
            held = rate;
            if (rate == maxRate) {
                break;
            }
        }
        if (held > 0 && lost > 0) {
            Step between = measurement.measure(Math.sqrt(held * lost), steps.size());
            steps.add(between);
            progress.accept(between);
            held = between.held() ? between.rate() : held;
        }
        return new Result(held, List.copyOf(steps));
    }

    @FunctionalInterface
    interface Measurement {
        Step measure(double rate, int stepNumber) throws InterruptedException;
    }

    private Step measure(OperationSource source, double rate, long seed) throws InterruptedException {
        Recorder recorder = new Recorder(System.nanoTime() + 100_000_000L, 0);
        int unfinished = LoadGenerator.of(Schedule.openLoop(rate), step, seed, MAX_IN_FLIGHT, drainTimeout)
                                      .run(source, recorder);
        long errors = recorder.errors().values().stream().mapToLong(Long::longValue).sum();
        LatencyStats latency = recorder.total();
        boolean held = errors == 0 && unfinished == 0 && latency.count() > 0
                       && latency.p99() <= p99Bound.toNanos() / 1e6;
        return new Step(rate, latency, errors, unfinished, held);
    }
}
