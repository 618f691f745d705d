package dev.millions.bench.load;

import static dev.millions.bench.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs operations on a {@link Schedule} for a while and records them.
 *
 * <p>In the open loop one thread walks the arrival times {@code zero + i / rate} and hands each
 * operation to a virtual thread of its own when it is due, never waiting for earlier ones to finish:
 * the arrival rate holds however slowly the server answers. Only a bound on operations in flight
 * ({@code maxInFlight}) stops it, and an operation refused for that is recorded as the error
 * {@value #CLIENT_LIMIT}, so nothing silently goes unmeasured.
 */
public final class LoadGenerator {

    public static final String CLIENT_LIMIT = "client in-flight limit";

    private final Schedule schedule;
    private final Duration duration;
    private final long seed;
    private final int maxInFlight;
    private final Duration drainTimeout;

    private LoadGenerator(Schedule schedule, Duration duration, long seed, int maxInFlight, Duration drainTimeout) {
        this.schedule = schedule;
        this.duration = duration;
        this.seed = seed;
        this.maxInFlight = maxInFlight;
        this.drainTimeout = drainTimeout;
    }

    /**
     * @param duration how long operations keep arriving (warm-up included)
     * @param maxInFlight the most operations running at once
     * @param drainTimeout how long to wait for operations still running at the end
     */
    public static LoadGenerator of(Schedule schedule, Duration duration, long seed, int maxInFlight,
                                   Duration drainTimeout) {
        requireNonNull(schedule, "schedule");
        checkArgument(!duration.isNegative() && !duration.isZero(), "duration: %s (expected: > 0)", duration);
        checkArgument(maxInFlight > 0, "maxInFlight: %s (expected: > 0)", maxInFlight);
        return new LoadGenerator(schedule, duration, seed, maxInFlight, drainTimeout);
    }

    /**
     * Runs until the duration has passed from {@code recorder.zeroNanos()} and the operations in flight
     * have ended (or the drain timeout passed).
     *
     * @return how many operations were still running when the drain timeout ran out
     */
    public int run(OperationSource source, Recorder recorder) throws InterruptedException {
        long endNanos = recorder.zeroNanos() + duration.toNanos();
        Semaphore inFlight = new Semaphore(maxInFlight);
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            switch (schedule) {
                case Schedule.OpenLoop open -> openLoop(open.ratePerSecond(), source, recorder, endNanos, executor,
                                                        inFlight);
                case Schedule.ClosedLoop closed -> closedLoop(closed.connections(), source, recorder, endNanos,
                                                              executor, inFlight);
            }
            executor.shutdown();
            if (!executor.awaitTermination(drainTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                int stuck = maxInFlight - inFlight.availablePermits();
                executor.shutdownNow();
                return stuck;
            }
            return 0;
        }
    }

    private void openLoop(double rate, OperationSource source, Recorder recorder, long endNanos,
                          ExecutorService executor, Semaphore inFlight) throws InterruptedException {
        SplittableRandom random = new SplittableRandom(seed);
        double intervalNanos = 1e9 / rate;
        for (long i = 0; ; i++) {
            long due = recorder.zeroNanos() + (long) (i * intervalNanos);
            if (due >= endNanos) {
                return;
            }
            parkUntil(due);
            Operation operation = source.next(random);
            recorder.due(due);
            if (!inFlight.tryAcquire()) {
                recorder.record(operation.name(), due, System.nanoTime(), Outcome.error(CLIENT_LIMIT));
                continue;
            }
            executor.execute(() -> {
                try {
                    Outcome outcome = callSafely(operation);
                    recorder.record(operation.name(), due, System.nanoTime(), outcome);
                } finally {
                    inFlight.release();
                }
            });
        }
    }

    private void closedLoop(int connections, OperationSource source, Recorder recorder, long endNanos,
                            ExecutorService executor, Semaphore inFlight) throws InterruptedException {
        SplittableRandom random = new SplittableRandom(seed);
        parkUntil(recorder.zeroNanos());
        for (int c = 0; c < connections; c++) {
            // Each worker draws from a stream of its own, so a run stays repeatable across thread timing.
            SplittableRandom own = random.split();
            inFlight.acquire();
            executor.execute(() -> {
                try {
                    while (System.nanoTime() < endNanos && !Thread.currentThread().isInterrupted()) {
                        Operation operation = source.next(own);
                        long due = System.nanoTime();
                        recorder.due(due);
                        Outcome outcome = callSafely(operation);
                        recorder.record(operation.name(), due, System.nanoTime(), outcome);
                    }
                } finally {
                    inFlight.release();
                }
            });
        }
    }

    private static Outcome callSafely(Operation operation) {
        try {
            return operation.call();
        } catch (RuntimeException e) {
            return Outcome.error("client bug: " + e.getClass().getSimpleName());
        }
    }

    private static void parkUntil(long nanos) throws InterruptedException {
        long remaining;
        while ((remaining = nanos - System.nanoTime()) > 0) {
            LockSupport.parkNanos(remaining);
            if (Thread.interrupted()) {
                throw new InterruptedException("load generator interrupted");
            }
        }
    }
}
