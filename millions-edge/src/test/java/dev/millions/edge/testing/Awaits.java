package dev.millions.edge.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a condition, never for a time: a slow machine waits longer, a fast one not at all. */
public final class Awaits {

    private static final Duration LIMIT = Duration.ofSeconds(60);

    private Awaits() {}

    public static void until(BooleanSupplier condition, String what) throws InterruptedException {
        long start = System.nanoTime();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - start > LIMIT.toNanos()) {
                throw new AssertionError("no " + what + " within " + LIMIT.toSeconds() + " s");
            }
            Thread.sleep(10);
        }
    }
}
