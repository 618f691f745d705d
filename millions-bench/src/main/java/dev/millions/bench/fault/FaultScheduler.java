package dev.millions.bench.fault;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;

/**
 * Injects a run's faults at their times, from a thread of its own, and records when each happened.
 * Faults that share a time run in the order given.
 */
public final class FaultScheduler implements AutoCloseable {

    private final List<FaultSpec> faults;
    private final FaultTarget target;
    private final List<FaultEvent> events = new CopyOnWriteArrayList<>();
    private Thread thread;

    public FaultScheduler(List<FaultSpec> faults, FaultTarget target) {
        List<FaultSpec> sorted = new ArrayList<>(faults);
        sorted.sort(Comparator.comparing(FaultSpec::at));
        this.faults = List.copyOf(sorted);
        this.target = target;
    }

    /** Checks every node name before the run, so that a typo fails at once rather than mid-run. */
    public void validate() {
        for (FaultSpec fault : faults) {
            target.resolve(fault.node());
        }
    }

    /** Starts injecting; times count from {@code zeroNanos}. */
    public void start(long zeroNanos) {
        thread = Thread.ofPlatform().name("fault-scheduler").daemon().start(() -> {
            for (FaultSpec fault : faults) {
                long due = zeroNanos + fault.at().toNanos();
                long remaining;
                while ((remaining = due - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(remaining);
                    if (Thread.currentThread().isInterrupted()) {
                        return;
                    }
                }
                long atMillis = millisSince(zeroNanos);
                try {
                    String result = target.inject(fault.action(), target.resolve(fault.node()), fault.argument());
                    events.add(new FaultEvent(fault, atMillis, millisSince(zeroNanos), true, result));
                } catch (RuntimeException e) {
                    events.add(new FaultEvent(fault, atMillis, millisSince(zeroNanos), false,
                                              String.valueOf(e.getMessage())));
                }
            }
        });
    }

    private static long millisSince(long zeroNanos) {
        return (System.nanoTime() - zeroNanos) / 1_000_000;
    }

    public List<FaultEvent> events() {
        return List.copyOf(events);
    }

    /** Waits for faults still due (at most {@code timeoutMillis}), then stops. */
    public void await(long timeoutMillis) throws InterruptedException {
        if (thread != null) {
            thread.join(timeoutMillis);
        }
    }

    @Override
    public void close() {
        if (thread != null) {
            thread.interrupt();
        }
    }
}
