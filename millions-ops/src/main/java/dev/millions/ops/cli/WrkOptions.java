package dev.millions.ops.cli;

import picocli.CommandLine.Option;

/** How each wrk run goes, the same options for every side-by-side bench. */
final class WrkOptions {

    @Option(names = "--seconds", defaultValue = "10", description = "Length of each wrk run. Default: ${DEFAULT-VALUE}.")
    int seconds;

    @Option(names = "--runs", defaultValue = "3",
            description = "Runs per target (and concurrency), interleaved. Default: ${DEFAULT-VALUE}.")
    int runs;

    @Option(names = "--client-cpu", paramLabel = "LIST",
            description = "Pin wrk to these CPUs (a taskset list such as 0), the same for every target.")
    String clientCpu;

    String clientCpuOr(String fallback) {
        return clientCpu != null ? clientCpu : fallback;
    }
}
