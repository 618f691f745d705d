package dev.millions.ops.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import dev.millions.bench.AppBench;
import dev.millions.bench.AppBenchPlan;
import dev.millions.bench.Probing;
import dev.millions.bench.fault.FaultException;
import dev.millions.bench.fault.FaultSpec;
import dev.millions.bench.load.Schedule;
import dev.millions.bench.workload.Mix;
import dev.millions.bench.workload.SetupException;
import dev.millions.ops.chaos.NodeFaults;
import dev.millions.ops.supervisor.NodeState;
import dev.millions.ops.supervisor.RunState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = { "Load the running system through its entry point with the photo app's real API, inject "
                        + "faults on a schedule, check that no acknowledged write was lost, and write a report "
                        + "with plots to run/bench/." },
        subcommands = { BenchWrkCommand.class, LbBenchCommand.class, CdnBenchCommand.class, CacheBenchCommand.class,
                        QueueBenchCommand.class, FeedBenchCommand.class, ScalingBenchCommand.class },
        footer = { "", "Example: kill the web node at 10 s and bring it back at 20 s:",
                   "  millions bench --mix read-heavy --rate 200 --duration 40s \\",
                   "      --fault kill:web-1@10s --fault restart:web-1@20s" })
final class BenchCommand implements Callable<Integer> {

    @Option(names = "--mix", defaultValue = "read-heavy", paramLabel = "MIX",
            description = "read-heavy (95 %% reads), write-heavy (70 %% writes), mixed (30 %% writes) or login-churn. "
                          + "Default: ${DEFAULT-VALUE}.")
    String mix;

    @Option(names = "--rate", paramLabel = "OPS",
            description = "Open loop: operations started per second, whatever the system does. Default: found on "
                          + "this machine: the system's capacity is measured first, and the bench runs at a fraction "
                          + "of it (--load).")
    Double rate;

    @Mixin
    ProbeOptions probe;

    @Option(names = "--connections", paramLabel = "N",
            description = "Closed loop instead: N clients, each starting its next operation when the last ended.")
    Integer connections;

    @Option(names = "--duration", defaultValue = "30s", paramLabel = "TIME",
            description = "How long operations arrive, warm-up included. Default: ${DEFAULT-VALUE}.")
    String duration;

    @Option(names = "--warmup", defaultValue = "5s", paramLabel = "TIME",
            description = "Left out of the summary (still plotted and checked). Default: ${DEFAULT-VALUE}.")
    String warmup;

    @Option(names = "--fresh-connections", defaultValue = "0", paramLabel = "PERCENT",
            description = "Requests in a hundred sent on a new TCP connection each (Connection: close), as scripts "
                          + "and simple clients send them; the others share kept-alive connections. "
                          + "Default: ${DEFAULT-VALUE}.")
    int freshConnections;

    @Option(names = "--fault", paramLabel = "ACTION:NODE[=TIME]@TIME",
            description = "A fault during the run: kill, stop, cont, restart, or delay (=200ms), e.g. kill:web-1@10s. "
                          + "Repeatable.")
    List<String> faults = new ArrayList<>();

    @Mixin
    WorkloadOptions workload;

    @Mixin
    RunFolderOption runFolderOption;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Optional<RunningSystem> system = RunningSystem.find(runFolderOption, err, "./millions up -d");
        if (system.isEmpty()) {
            return ExitCodes.NOT_RUNNING;
        }
        AppBenchPlan plan;
        Optional<Probing> probing;
        try {
            probing = rate == null && connections == null ? Optional.of(probe.probing(workload.requestTimeout()))
                                                          : Optional.empty();
            List<FaultSpec> specs = faults.stream().map(FaultSpec::parse).toList();
            Mix chosen = Mix.of(mix);
            plan = system.get().plan(workload, chosen, connections != null ? Schedule.closedLoop(connections)
                                                                           : Schedule.openLoop(rate == null ? 1 : rate),
                                     time(duration, "--duration"), time(warmup, "--warmup"), freshConnections, specs,
                                     chosen.id());
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        try {
            return AppBench.run(plan, probing, new NodeFaults(system.get().runFolder()), out);
        } catch (FaultException e) {
            err.println("error: " + e.getMessage());
            return ExitCodes.USAGE;
        } catch (SetupException e) {
            err.println("error: " + e.getMessage());
            return ExitCodes.FAILED;
        }
    }

    /** Where clients come in: the load balancer once there is one, else the first ready web node. */
    static Optional<NodeState> entry(RunState state) {
        return Entry.of(state.nodes());
    }

    private static Duration time(String text, String option) {
        return FaultSpec.duration(text, option + ' ' + text);
    }
}
