package dev.millions.ops.cli;

import java.util.concurrent.Callable;

import dev.millions.ops.node.Installation;
import dev.millions.ops.supervisor.ControlClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "dashboard", mixinStandardHelpOptions = true,
        description = { "Print the address of the live dashboard that the supervisor serves on loopback: the "
                        + "topology, each node's health, rates, p99, CPU and memory, updated every second, a "
                        + "timeline of what happened, and buttons to kill, pause, restart and scale. The "
                        + "address carries the run's token; keep it to yourself." })
final class DashboardCommand implements Callable<Integer> {

    @Mixin
    RunFolderOption runFolderOption;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        try {
            spec.commandLine().getOut().println(new ControlClient(runFolderOption.runFolder(Installation.detect()))
                                                        .dashboardUrl());
            return ExitCodes.OK;
        } catch (IllegalStateException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return ExitCodes.NOT_RUNNING;
        }
    }
}
