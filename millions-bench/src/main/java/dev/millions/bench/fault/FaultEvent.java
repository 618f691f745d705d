package dev.millions.bench.fault;

/**
 * A fault as it happened.
 *
 * @param atMillis when it was injected, from the start of the run
 * @param doneMillis when the injection returned (a restart returns once the node is ready)
 * @param result what was done, or why it could not be
 */
public record FaultEvent(FaultSpec spec, long atMillis, long doneMillis, boolean done, String result) {}
