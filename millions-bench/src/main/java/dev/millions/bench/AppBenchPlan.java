package dev.millions.bench;

import static dev.millions.bench.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.millions.bench.fault.FaultSpec;
import dev.millions.bench.load.Schedule;
import dev.millions.bench.workload.Mix;

/**
 * What a bench of the photo app runs, checked once when made.
 *
 * @param entry where clients reach the system (the load balancer, or the only web node)
 * @param entryNode the name of the node behind {@code entry}
 * @param duration how long operations arrive, warm-up included
 * @param freshConnectionPercent how many requests in a hundred go on a new TCP connection each; the
 *                               others share the client's kept-alive connections
 * @param reports the run's report folder, new for each run, e.g. {@code run/bench/20261124-150302}
 */
public record AppBenchPlan(String topology, URI entry, String entryNode, Mix mix, Schedule schedule,
                           Duration duration, Duration warmup, long seed, int users, double skew,
                           Duration requestTimeout, int freshConnectionPercent, List<FaultSpec> faults,
                           Path reports) {

    public AppBenchPlan {
        requireNonNull(entry, "entry");
        requireNonNull(mix, "mix");
        requireNonNull(schedule, "schedule");
        checkArgument(duration.toMillis() >= 1000, "duration: %s (expected: >= 1s)", duration);
        checkArgument(!warmup.isNegative() && warmup.compareTo(duration) < 0,
                      "warmup: %s (expected: >= 0 and shorter than the duration %s)", warmup, duration);
        checkArgument(users >= 2 && users <= 100_000, "users: %s (expected: 2..100000)", users);
        checkArgument(skew >= 0 && skew < 1, "skew: %s (expected: >= 0 and < 1)", skew);
        checkArgument(requestTimeout.toMillis() >= 1, "request timeout: %s (expected: > 0)", requestTimeout);
        checkArgument(freshConnectionPercent >= 0 && freshConnectionPercent <= 100,
                      "fresh connections: %s %% (expected: 0..100)", freshConnectionPercent);
        for (FaultSpec fault : faults) {
            checkArgument(fault.at().compareTo(duration) <= 0, "fault %s: at %s, after the run ends (duration %s)",
                          fault, fault.at(), duration);
        }
        faults = List.copyOf(faults);
    }

    /** The same plan at another load. */
    public AppBenchPlan withSchedule(Schedule newSchedule) {
        return new AppBenchPlan(topology, entry, entryNode, mix, newSchedule, duration, warmup, seed, users, skew,
                                requestTimeout, freshConnectionPercent, faults, reports);
    }
}
