package dev.millions.ops.cli;

import java.util.concurrent.Callable;

import dev.millions.ops.node.Installation;
import dev.millions.ops.supervisor.ControlClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "replica", mixinStandardHelpOptions = true,
        description = { "Add a replica to the replicated database, or remove one, while the system runs. A new "
                        + "replica is cloned from the primary, streams, and then counts in the quorum (unless "
                        + "--async); the web nodes start reading from it without a restart." },
        footer = { "", "Examples:", "  millions replica add", "  millions replica add --async",
                   "  millions replica remove db-4" })
final class ReplicaCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "add|remove")
    String action;

    @Parameters(index = "1", arity = "0..1", paramLabel = "NODE", description = "The replica to remove.")
    String node;

    @Option(names = "--async", description = "An asynchronous replica: it never holds up a commit and is never "
                                             + "promoted (a remote data center's).")
    boolean async;

    @Mixin
    RunFolderOption runFolderOption;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        boolean add = "add".equals(action);
        if (!add && !"remove".equals(action) || add && node != null || !add && node == null) {
            spec.commandLine().getErr().println("error: expected `replica add [--async]` or `replica remove NODE`");
            return ExitCodes.USAGE;
        }
        ControlClient control = new ControlClient(runFolderOption.runFolder(Installation.detect()));
        try {
            spec.commandLine().getOut().println(add ? control.addReplica(!async) : control.removeReplica(node));
            return ExitCodes.OK;
        } catch (IllegalStateException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return ExitCodes.FAILED;
        }
    }
}
