package dev.millions.ops.cli;

import java.time.Duration;

import dev.millions.bench.Probing;
import dev.millions.bench.fault.FaultSpec;
import dev.millions.bench.load.CapacityProbe;
import picocli.CommandLine.Option;

/** How a bench finds the capacity it loads a fraction of, when no --rate is given. */
final class ProbeOptions {

    private static final double START_RATE = 20;
    private static final double MAX_RATE = 5_000;

    @Option(names = "--p99-bound", defaultValue = "250ms", paramLabel = "TIME",
            description = "A rate is held while the p99 latency stays under this, with no errors. "
                          + "Default: ${DEFAULT-VALUE}.")
    String p99Bound;

    @Option(names = "--load", defaultValue = "50", paramLabel = "PERCENT",
            description = "The load, in percent of the capacity found. Default: ${DEFAULT-VALUE}.")
    int loadPercent;

    @Option(names = "--probe-step", defaultValue = "5s", paramLabel = "TIME",
            description = "How long each rate is tried while the capacity is found. Default: ${DEFAULT-VALUE}.")
    String probeStep;

    Probing probing(Duration requestTimeout) {
        if (loadPercent < 1 || loadPercent > 100) {
            throw new IllegalArgumentException("--load " + loadPercent + " (expected: 1..100)");
        }
        CapacityProbe probe = CapacityProbe.of(FaultSpec.duration(p99Bound, "--p99-bound " + p99Bound),
                                               FaultSpec.duration(probeStep, "--probe-step " + probeStep), START_RATE,
                                               MAX_RATE, requestTimeout.plusSeconds(5));
        return new Probing(probe, loadPercent / 100.0);
    }
}
