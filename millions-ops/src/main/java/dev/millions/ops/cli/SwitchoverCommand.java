package dev.millions.ops.cli;

import java.util.concurrent.Callable;

import dev.millions.ops.node.Installation;
import dev.millions.ops.supervisor.ControlClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "switchover", mixinStandardHelpOptions = true,
        description = { "Move the replicated database's primary to its most advanced replica, as for maintenance: "
                        + "the primary shuts down cleanly (its replicas get every WAL record), a synchronous "
                        + "replica is promoted, and the old primary is re-cloned as a replica." },
        footer = { "", "Example: millions switchover" })
final class SwitchoverCommand implements Callable<Integer> {

    @Mixin
    RunFolderOption runFolderOption;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ControlClient control = new ControlClient(runFolderOption.runFolder(Installation.detect()));
        try {
            spec.commandLine().getOut().println(control.switchover());
            return ExitCodes.OK;
        } catch (IllegalStateException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return ExitCodes.FAILED;
        }
    }
}
