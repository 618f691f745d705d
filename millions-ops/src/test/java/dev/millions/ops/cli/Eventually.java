package dev.millions.ops.cli;

import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/** Waits for a condition of the running system, with a deadline generous enough for a slow, busy machine. */
final class Eventually {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private Eventually() {}

    /** Returns the first value that {@code done} accepts; fails with the last one seen after the deadline. */
    static <T> T await(String what, Callable<T> probe, Predicate<T> done) throws Exception {
        long start = System.nanoTime();
        T last = probe.call();
        while (!done.test(last)) {
            if (System.nanoTime() - start > DEADLINE.toNanos()) {
                fail("%s: not within %d s; last seen:%n%s", what, DEADLINE.toSeconds(), last);
            }
            Thread.sleep(100);
            last = probe.call();
        }
        return last;
    }
}
