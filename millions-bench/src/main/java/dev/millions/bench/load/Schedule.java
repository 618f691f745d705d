package dev.millions.bench.load;

import static dev.millions.bench.Preconditions.checkArgument;

/**
 * When operations start.
 *
 * <ul>
 *   <li>{@link #openLoop(double)}: at a fixed arrival rate, whatever the server does. A stalled server
 *       shows up as latency, measured from when each operation was due, not as fewer requests; this is
 *       what avoids coordinated omission (Gil Tene, "How NOT to measure latency"; wrk2).</li>
 *   <li>{@link #closedLoop(int)}: N workers, each starting its next operation when the last one ended,
 *       as a fixed pool of users would; it measures capacity, and a stall lowers the rate.</li>
 * </ul>
 */
public sealed interface Schedule {

    static Schedule openLoop(double ratePerSecond) {
        checkArgument(ratePerSecond > 0 && ratePerSecond <= 1_000_000,
                      "rate: %s (expected: > 0 and <= 1000000 per second)", ratePerSecond);
        return new OpenLoop(ratePerSecond);
    }

    static Schedule closedLoop(int connections) {
        checkArgument(connections > 0 && connections <= 10_000, "connections: %s (expected: 1..10000)", connections);
        return new ClosedLoop(connections);
    }

    String describe();

    record OpenLoop(double ratePerSecond) implements Schedule {
        @Override
        public String describe() {
            return String.format("open loop, %.0f ops/s", ratePerSecond);
        }
    }

    record ClosedLoop(int connections) implements Schedule {
        @Override
        public String describe() {
            return "closed loop, " + connections + " connections";
        }
    }
}
