package dev.millions.ops.cli;

import java.time.Duration;

import dev.millions.bench.fault.FaultSpec;
import picocli.CommandLine.Option;

/** The photo app's workload, as the benches that drive it take it: who, how popular, how patient. */
final class WorkloadOptions {

    @Option(names = "--users", defaultValue = "100", description = "Users to create first. Default: ${DEFAULT-VALUE}.")
    int users;

    @Option(names = "--skew", defaultValue = "0.99",
            description = "Zipfian exponent of user and post popularity, in [0, 1). Default: ${DEFAULT-VALUE}.")
    double skew;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--timeout", defaultValue = "5s", paramLabel = "TIME",
            description = "Per-request timeout. Default: ${DEFAULT-VALUE}.")
    String timeout;

    Duration requestTimeout() {
        return FaultSpec.duration(timeout, "--timeout " + timeout);
    }
}
