package dev.millions.ops.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import dev.millions.bench.AppBenchPlan;
import dev.millions.bench.fault.FaultSpec;
import dev.millions.bench.load.Schedule;
import dev.millions.bench.workload.Mix;
import dev.millions.ops.node.Installation;
import dev.millions.ops.node.RunFolder;
import dev.millions.ops.supervisor.NodeState;
import dev.millions.ops.supervisor.RunState;

/** The system a bench or a drill loads through its entry point, as {@code state.json} has it now. */
record RunningSystem(RunFolder runFolder, RunState state, NodeState entry) {

    /**
     * The running system, or empty after telling {@code err} how to start one.
     *
     * @param upCommand what to run first, e.g. {@code ./millions up stateless -d}
     */
    static Optional<RunningSystem> find(RunFolderOption option, PrintWriter err, String upCommand) {
        RunFolder runFolder = option.runFolder(Installation.detect());
        Optional<RunState> state = RunState.read(runFolder.stateFile());
        Optional<NodeState> entry = state.flatMap(BenchCommand::entry);
        if (entry.isEmpty()) {
            err.println("error: no web node is ready in " + runFolder.root() + "; start the system first with `"
                        + upCommand + '`');
            return Optional.empty();
        }
        return Optional.of(new RunningSystem(runFolder, state.get(), entry.get()));
    }

    /** A plan of the photo app's workload through the entry point, reported in {@code run/bench/}. */
    AppBenchPlan plan(WorkloadOptions workload, Mix mix, Schedule schedule, Duration duration, Duration warmup,
                      int freshConnectionPercent, List<FaultSpec> faults, String reportName) {
        return new AppBenchPlan(state.topology(), URI.create(entry.url()), entry.name(), mix, schedule, duration,
                                warmup, workload.seed, workload.users, workload.skew, workload.requestTimeout(),
                                freshConnectionPercent, faults, runFolder.benchReport(reportName));
    }
}
