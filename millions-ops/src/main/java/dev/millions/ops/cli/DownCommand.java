package dev.millions.ops.cli;

import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;

import dev.millions.ops.node.Installation;
import dev.millions.ops.node.OsProcess;
import dev.millions.ops.node.RunFolder;
import dev.millions.ops.supervisor.Leftovers;
import dev.millions.ops.supervisor.NodeState;
import dev.millions.ops.supervisor.RunState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "down", mixinStandardHelpOptions = true,
        description = "Stop a system started with `up -d`: every node, the last started first.")
final class DownCommand implements Callable<Integer> {

    private static final long SUPERVISOR_TIMEOUT_MILLIS = 120_000;

    @Mixin
    RunFolderOption runFolderOption;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        ConsoleProgress progress = new ConsoleProgress(out);
        RunFolder runFolder = runFolderOption.runFolder(Installation.detect());
        RunState state = RunState.read(runFolder.stateFile()).orElse(null);
        if (state == null) {
            out.println("nothing runs from " + runFolder.root());
            return ExitCodes.OK;
        }
        OsProcess supervisor = new OsProcess(state.supervisorPid(), state.supervisorStart());
        if (supervisor.isAlive()) {
            out.printf("Stopping %s (supervisor pid %d)%n", state.topology(), supervisor.pid());
            supervisor.signal("TERM");
            if (!followUntilExit(supervisor, runFolder, progress)) {
                progress.error("the supervisor (pid " + supervisor.pid() + ") did not stop within "
                               + SUPERVISOR_TIMEOUT_MILLIS / 1000 + " s; see " + runFolder.supervisorLog());
                return ExitCodes.FAILED;
            }
        }
        // Nodes a dead supervisor left behind, or that outlived a supervisor that timed out on them.
        Leftovers.stopAll(runFolder, progress::node);
        out.println("Stopped. The data stays in " + runFolder.root() + " for the next `up`.");
        out.flush();
        return ExitCodes.OK;
    }

    private static boolean followUntilExit(OsProcess supervisor, RunFolder runFolder, ConsoleProgress progress) {
        Map<String, NodeState> shown = new HashMap<>();
        long deadline = System.nanoTime() + SUPERVISOR_TIMEOUT_MILLIS * 1_000_000;
        boolean exited = false;
        while (!exited && System.nanoTime() < deadline) {
            exited = supervisor.awaitExit(100);
            RunState.read(runFolder.stateFile()).ifPresent(state -> state.nodes().forEach(node -> {
                // Only the outcomes: polling could show one node's "stopping" after another's "stopped".
                if (node.status().isFinal() && !Objects.equals(shown.put(node.name(), node), node)) {
                    progress.node(node);
                }
            }));
        }
        return exited;
    }
}
