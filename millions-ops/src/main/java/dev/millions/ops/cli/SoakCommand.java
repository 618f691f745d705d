package dev.millions.ops.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import dev.millions.bench.AppBenchPlan;
import dev.millions.bench.fault.FaultSpec;
import dev.millions.bench.load.Schedule;
import dev.millions.bench.soak.SoakDrill;
import dev.millions.bench.workload.Mix;
import dev.millions.bench.workload.SetupException;
import dev.millions.ops.drill.NodeFootprints;
import dev.millions.ops.supervisor.RunState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "soak", mixinStandardHelpOptions = true,
        description = { "Run mixed traffic (reads, photo uploads, follows, log-ins), half of it on a new TCP "
                        + "connection per request, against the running system for a long while. Every sample "
                        + "period it records each node's resident memory, heap after a full GC (JVM nodes), open "
                        + "files and threads. It fails when a node's footprint keeps growing after the warm-up, "
                        + "a node restarts, a request fails, or an acknowledged write is lost. Meant for the "
                        + "stateless stage: `./millions up stateless -d`." },
        footer = { "", "Ends with: soak: N requests, E errors, rss growth per node lb +X MB, web-1 +Y MB, ...",
                   "", "Example: millions drill soak --duration 30m" })
final class SoakCommand implements Callable<Integer> {

    @Option(names = "--duration", defaultValue = "30m", paramLabel = "TIME",
            description = "How long the traffic runs. Default: ${DEFAULT-VALUE}.")
    String duration;

    @Option(names = "--warmup", paramLabel = "TIME",
            description = "Samples before this are shown but not judged: JVMs compiling, pools and caches filling. "
                          + "Default: a sixth of the duration.")
    String warmup;

    @Option(names = "--sample", defaultValue = "60s", paramLabel = "TIME",
            description = "How often every node's footprint is read. Default: ${DEFAULT-VALUE}.")
    String sample;

    @Option(names = "--rate", defaultValue = "30", paramLabel = "OPS",
            description = "Operations started per second (open loop). Default: ${DEFAULT-VALUE}, a load a 2-core "
                          + "machine holds with room to spare: a soak looks for growth over time, not for capacity.")
    double rate;

    @Option(names = "--fresh-connections", defaultValue = "50", paramLabel = "PERCENT",
            description = "Requests in a hundred sent on a new TCP connection each. Default: ${DEFAULT-VALUE}.")
    int freshConnections;

    @Mixin
    WorkloadOptions workload;

    @Mixin
    RunFolderOption runFolderOption;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException, IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Optional<RunningSystem> system = RunningSystem.find(runFolderOption, err, "./millions up stateless -d");
        if (system.isEmpty()) {
            return ExitCodes.NOT_RUNNING;
        }
        AppBenchPlan plan;
        Duration period;
        try {
            Duration total = FaultSpec.duration(duration, "--duration " + duration);
            Duration judgedAfter = warmup == null ? total.dividedBy(6) : FaultSpec.duration(warmup, "--warmup " + warmup);
            period = FaultSpec.duration(sample, "--sample " + sample);
            if (period.toMillis() < 1000 || period.compareTo(total) > 0) {
                throw new IllegalArgumentException("--sample " + sample + " (expected: at least 1s and at most the "
                                                   + "duration " + duration + ")");
            }
            plan = system.get().plan(workload, Mix.MIXED, Schedule.openLoop(rate), total, judgedAfter,
                                     freshConnections, List.of(), "soak");
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        NodeFootprints footprints = new NodeFootprints(() -> RunState.read(system.get().runFolder().stateFile())
                                                                     .map(RunState::nodes).orElse(List.of()));
        try {
            return SoakDrill.run(plan, period, footprints, out);
        } catch (SetupException | IllegalStateException e) {
            err.println("error: " + e.getMessage());
            return ExitCodes.FAILED;
        }
    }
}
