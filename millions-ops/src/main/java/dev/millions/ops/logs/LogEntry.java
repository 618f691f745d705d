package dev.millions.ops.logs;

import java.time.Instant;

/** A line of a node's log, with the time it was written (or its predecessor's, when it has none). */
public record LogEntry(Instant time, String node, String line) {}
