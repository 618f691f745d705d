package dev.millions.ops.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import dev.millions.bench.AppBenchPlan;
import dev.millions.bench.CacheBench;
import dev.millions.bench.Probing;
import dev.millions.bench.fault.FaultSpec;
import dev.millions.bench.load.Schedule;
import dev.millions.bench.workload.Mix;
import dev.millions.bench.workload.SetupException;
import dev.millions.ops.node.Installation;
import dev.millions.ops.node.RunFolder;
import dev.millions.ops.supervisor.NodeState;
import dev.millions.ops.supervisor.NodeStatus;
import dev.millions.ops.supervisor.RunState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "cache", mixinStandardHelpOptions = true,
        description = { "Run the read-heavy mix (Zipfian popularity) against the running system with the cache on "
                        + "and off on every web node, in turns, and compare the database reads per request and the "
                        + "latency. Needs a topology with a cache: `./millions up cached -d`." },
        footer = { "", "It ends with a line:",
                   "  db reads per request: cached X, uncached Y (Z× fewer); p99 cached A ms, uncached B ms" })
final class CacheBenchCommand implements Callable<Integer> {

    @Option(names = "--rate", paramLabel = "OPS",
            description = { "Operations started per second (open loop), in both modes. Default: found on this "
                            + "machine: each mode's capacity is measured first, and both run at a fraction of the "
                            + "lower (--load)." })
    Double rate;

    @Mixin
    ProbeOptions probe;

    @Option(names = "--duration", defaultValue = "60s", paramLabel = "TIME",
            description = "How long each mode is measured, in four turns. Default: ${DEFAULT-VALUE}.")
    String duration;

    @Option(names = "--warmup", defaultValue = "20s", paramLabel = "TIME",
            description = "Load before each mode's turns, ramped up, left out of the numbers; each turn then "
                          + "settles for a quarter of it after the switch. Default: ${DEFAULT-VALUE}.")
    String warmup;

    @Mixin
    WorkloadOptions workload;

    @Mixin
    RunFolderOption runFolderOption;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        RunFolder runFolder = runFolderOption.runFolder(Installation.detect());
        Optional<RunState> state = RunState.read(runFolder.stateFile());
        Optional<NodeState> entry = state.flatMap(BenchCommand::entry);
        Optional<NodeState> cache = state.flatMap(s -> s.nodes().stream()
                .filter(node -> node.role().equals("redis") && node.pid() <= 0 && node.address() != null
                                && node.status() == NodeStatus.READY)
                .findFirst());
        if (entry.isEmpty() || cache.isEmpty()) {
            err.println("error: no system with a cache runs from " + runFolder.root()
                        + "; start one first with `./millions up cached -d` (or stateless)");
            return ExitCodes.NOT_RUNNING;
        }
        AppBenchPlan plan;
        Optional<Probing> probing;
        try {
            probing = rate == null ? Optional.of(probe.probing(workload.requestTimeout())) : Optional.empty();
            // Each phase warms up by itself, before it is measured; the plan's warm-up is that of a phase.
            Duration measured = FaultSpec.duration(duration, "--duration " + duration);
            Duration warm = FaultSpec.duration(warmup, "--warmup " + warmup);
            plan = new AppBenchPlan(state.get().topology(), URI.create(entry.get().url()), entry.get().name(),
                                    Mix.READ_HEAVY, Schedule.openLoop(rate == null ? 1 : rate), measured.plus(warm), warm, workload.seed,
                                    workload.users, workload.skew, workload.requestTimeout(), 0, List.of(),
                                    runFolder.benchReport("cache"));
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        try (CacheSwitch target = new CacheSwitch(cache.get().address(), () -> RunState.read(runFolder.stateFile())
                .map(RunState::nodes).orElse(List.of()))) {
            return CacheBench.run(plan, probing, target, out);
        } catch (SetupException | IllegalStateException e) {
            err.println("error: " + e.getMessage());
            return ExitCodes.FAILED;
        }
    }
}
