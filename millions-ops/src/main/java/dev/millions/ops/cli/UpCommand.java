package dev.millions.ops.cli;

import java.util.concurrent.Callable;

import dev.millions.ops.node.Installation;
import dev.millions.ops.node.OsProcess;
import dev.millions.ops.node.Roles;
import dev.millions.ops.node.RunFolder;
import dev.millions.ops.supervisor.RunState;
import dev.millions.ops.topology.Topology;
import dev.millions.ops.topology.TopologyException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "up", mixinStandardHelpOptions = true,
        description = "Start every node of a topology, each as its own process, in dependency order.")
final class UpCommand implements Callable<Integer> {

    @Parameters(index = "0", defaultValue = "single", paramLabel = "PRESET|FILE",
            description = "A preset (single) or a topology YAML file. Default: ${DEFAULT-VALUE}.")
    String topologyName;

    @Option(names = { "-d", "--detach" }, description = "Run in the background; stop with `millions down`.")
    boolean detach;

    @Option(names = "--fresh", description = "Delete the data, media and logs of earlier runs first.")
    boolean fresh;

    @Option(names = "--with-prometheus", description = "Also run the machine's Prometheus (apt-get install prometheus) "
                                                         + "as a node, scraping every node of the run.")
    boolean withPrometheus;

    @Mixin
    RunFolderOption runFolderOption;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ConsoleProgress progress = new ConsoleProgress(spec.commandLine().getOut());
        Topology topology;
        try {
            topology = load(topologyName, withPrometheus);
        } catch (TopologyException e) {
            progress.error(e.getMessage());
            return ExitCodes.USAGE;
        }
        Installation installation = Installation.detect();
        RunFolder runFolder = runFolderOption.runFolder(installation);
        RunState running = RunState.read(runFolder.stateFile()).orElse(null);
        if (running != null && new OsProcess(running.supervisorPid(), running.supervisorStart()).isAlive()) {
            progress.error("a system already runs from " + runFolder.root() + " (" + running.topology()
                           + ", supervisor pid " + running.supervisorPid()
                           + "): see `millions status`, or stop it with `millions down`");
            return ExitCodes.FAILED;
        }
        spec.commandLine().getOut().printf("Starting %s (%s) from %s%n", topology.name(), topology.description(),
                                           runFolder.root());
        if (detach) {
            return Detached.start(topologyName, withPrometheus, topology, runFolder, fresh, installation, progress);
        }
        return Foreground.run(topology, runFolder, fresh, progress, false);
    }

    /** The preset or file, with a Prometheus node added when asked for. */
    static Topology load(String topologyName, boolean withPrometheus) {
        Topology topology = Roles.topologies().load(topologyName);
        return withPrometheus ? Roles.topologies().withNode(topology, "prometheus") : topology;
    }
}
