package dev.millions.bench.history;

/** What a client saw, with when it started and ended ({@link System#nanoTime()}). */
public sealed interface Event {

    String client();

    long startNanos();

    long endNanos();

    /**
     * A write and what became of it.
     *
     * @param key what it wrote; for a write that was not acknowledged, what it tried to write, when known
     * @param detail the error, for a write that was not acknowledged
     */
    record Write(String client, WriteKey key, WriteStatus status, long startNanos, long endNanos, String detail)
            implements Event {}

    /** A read of one written thing that got a definite answer: found, or not found. */
    record Read(String client, WriteKey key, boolean found, long startNanos, long endNanos) implements Event {}
}
