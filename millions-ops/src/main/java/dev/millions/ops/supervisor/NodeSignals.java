package dev.millions.ops.supervisor;

import java.util.List;

import dev.millions.ops.node.OsProcess;
import dev.millions.ops.node.RunFolder;

/**
 * Signals to the nodes of the system that runs from a run folder. Each goes straight to the node's
 * process, known by pid and start time from {@code state.json}, so a recycled pid is never hit.
 */
public final class NodeSignals {

    private final RunFolder runFolder;

    public NodeSignals(RunFolder runFolder) {
        this.runFolder = runFolder;
    }

    /**
     * @return what was done ({@code SIGKILL to web-1 (pid 42)})
     * @throws IllegalStateException when the node does not run, or the signal could not be sent
     */
    public String signal(String name, String signal) {
        NodeState node = node(name);
        OsProcess process = OsProcess.of(node.pid(), node.processStart())
                                     .orElseThrow(() -> new IllegalStateException(
                                             name + " has no process of ours (status " + node.status().id() + ')'));
        if (!process.isAlive()) {
            throw new IllegalStateException(name + " is not running (status " + node.status().id() + ", pid "
                                            + node.pid() + " gone)");
        }
        if (!process.signal(signal)) {
            throw new IllegalStateException("SIG" + signal + " to " + name + " (pid " + node.pid() + ") failed");
        }
        return "SIG" + signal + " to " + name + " (pid " + node.pid() + ')';
    }

    /**
     * The signal to the node and every process below it. A pause must freeze the whole node, as a
     * stalled host would: PostgreSQL's backends are processes of their own (and each its own process
     * group), and a paused postmaster alone would go on serving every open connection.
     */
    public String signalTree(String name, String signal) {
        NodeState node = node(name);
        String done = signal(name, signal);
        List<ProcessHandle> children = ProcessHandle.of(node.pid()).map(handle -> handle.descendants().toList())
                                                    .orElse(List.of());
        for (ProcessHandle child : children) {
            OsProcess.of(child).signal(signal);
        }
        return children.isEmpty() ? done : done + " and its " + children.size() + " child processes";
    }

    private NodeState node(String name) {
        RunState state = RunState.read(runFolder.stateFile()).orElseThrow(() -> new IllegalStateException(
                "nothing runs from " + runFolder.root() + "; start it with `./millions up -d`"));
        return state.node(name).orElseThrow(() -> new IllegalStateException("no node '" + name + "'"));
    }
}
