package dev.millions.ops.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

import dev.millions.bench.AppBenchPlan;
import dev.millions.bench.ScalingBench;
import dev.millions.bench.load.Schedule;
import dev.millions.bench.workload.Mix;
import dev.millions.bench.workload.SetupException;
import dev.millions.ops.node.Installation;
import dev.millions.ops.node.RunFolder;
import dev.millions.ops.supervisor.ControlClient;
import dev.millions.ops.supervisor.NodeState;
import dev.millions.ops.supervisor.NodeStatus;
import dev.millions.ops.supervisor.RunState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "scaling", mixinStandardHelpOptions = true,
        description = { "Vertical and horizontal scaling, measured: the read-heavy mix in a closed loop (the "
                        + "capacity) against one web node pinned to one core, the same node on every core, then two "
                        + "and three web nodes behind the load balancer; each turn warmed up, then measured, with how "
                        + "busy the machine was. Writes a plot, states where the ceiling is and why, and puts the web "
                        + "tier back as it found it. Needs a stage with a load balancer: `./millions up lb -d` "
                        + "(or stateless)." },
        footer = { "", "It ends with a line: ceiling: N ok/s with CONFIGURATION; why" })
final class ScalingBenchCommand implements Callable<Integer> {

    @Option(names = "--connections", defaultValue = "32", paramLabel = "N",
            description = "Clients in the closed loop, each sending its next request when the last is answered. "
                          + "Default: ${DEFAULT-VALUE}.")
    int connections;

    @Option(names = "--duration", defaultValue = "30s", converter = TimeConverter.class,
            description = "How long each configuration is measured. Default: ${DEFAULT-VALUE}.")
    Duration duration;

    @Option(names = "--warmup", defaultValue = "10s", converter = TimeConverter.class,
            description = "Load before each configuration is measured, left out. Default: ${DEFAULT-VALUE}.")
    Duration warmup;

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
        Optional<NodeState> balancer = state.flatMap(s -> s.nodes().stream()
                .filter(node -> node.role().equals("lb") && node.status() == NodeStatus.READY).findFirst());
        if (balancer.isEmpty()) {
            err.println("error: no load balancer runs from " + runFolder.root()
                        + "; start a stage with one first: `./millions up lb -d` (or stateless)");
            return ExitCodes.NOT_RUNNING;
        }
        if (connections < 1 || connections > 1024) {
            err.println("error: --connections " + connections + " (expected: 1..1024)");
            return ExitCodes.USAGE;
        }
        int cores = Runtime.getRuntime().availableProcessors();
        int before = webNodes(runFolder).size();
        Path reports = runFolder.benchReport("scaling");
        AppBenchPlan plan = new AppBenchPlan(state.get().topology(), URI.create(balancer.get().url()),
                                             balancer.get().name(), Mix.READ_HEAVY, Schedule.closedLoop(connections),
                                             duration.plus(warmup), warmup, workload.seed, workload.users, workload.skew,
                                             workload.requestTimeout(), 0, List.of(), reports);
        ControlClient control = new ControlClient(runFolder);
        String allCores = "0-" + (cores - 1);
        List<ScalingBench.Configuration> configurations = List.of(
                new ScalingBench.Configuration("1 node, 1 core", () -> {
                    control.scale("web", 1, Map.of());
                    pin(runFolder, "0");
                }),
                new ScalingBench.Configuration("1 node, " + cores + " cores", () -> pin(runFolder, allCores)),
                new ScalingBench.Configuration("2 nodes", () -> control.scale("web", 2, Map.of())),
                new ScalingBench.Configuration("3 nodes", () -> control.scale("web", 3, Map.of())));
        try {
            List<ScalingBench.Result> results = ScalingBench.run(plan, configurations, out);
            Path plot = reports.resolve("scaling.svg");
            ScalingBench.plot(results, plot);
            out.println();
            out.print(ScalingBench.table(results));
            out.printf("%nplot: %s%n", plot);
            out.println(ScalingBench.verdict(results, cores));
            return results.stream().allMatch(result -> result.errors() == 0) ? ExitCodes.OK : ExitCodes.FAILED;
        } catch (SetupException | IllegalStateException e) {
            err.println("error: " + e.getMessage());
            return ExitCodes.FAILED;
        } finally {
            pin(runFolder, allCores);
            control.scale("web", Math.max(1, before), Map.of());
        }
    }

    private static List<NodeState> webNodes(RunFolder runFolder) {
        return RunState.read(runFolder.stateFile()).map(state -> state.nodes().stream()
                .filter(node -> node.role().equals("web") && node.status() == NodeStatus.READY).toList()).orElse(List.of());
    }

    /** Every thread of every web node to these cores ({@code taskset -a}: a JVM's threads are each pinned). */
    private static void pin(RunFolder runFolder, String cores) {
        for (NodeState node : webNodes(runFolder)) {
            try {
                Process taskset = new ProcessBuilder("taskset", "-a", "-cp", cores, Long.toString(node.pid()))
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (taskset.waitFor() != 0) {
                    throw new IllegalStateException("taskset -a -cp " + cores + ' ' + node.pid() + " (" + node.name()
                                                    + ") exited with " + taskset.exitValue());
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot run taskset (util-linux) to pin " + node.name() + ": "
                                                + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while pinning " + node.name(), e);
            }
        }
    }
}
