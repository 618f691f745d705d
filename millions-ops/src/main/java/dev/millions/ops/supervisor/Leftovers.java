package dev.millions.ops.supervisor;

import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.millions.ops.node.OsProcess;
import dev.millions.ops.node.Roles;
import dev.millions.ops.node.RunFolder;

/**
 * Stops node processes that a supervisor left behind when it died without stopping them ({@code kill
 * -9}, a crash): {@code up} does it before starting again, {@code down} when no supervisor answers.
 */
public final class Leftovers {

    private static final Logger logger = LoggerFactory.getLogger(Leftovers.class);
    private static final long GRACE_MILLIS = 30_000;

    private Leftovers() {}

    public static void stopAll(RunFolder runFolder) {
        stopAll(runFolder, node -> {});
    }

    /** Stops, in reverse start order, every recorded node whose process still runs. */
    public static void stopAll(RunFolder runFolder, Consumer<NodeState> listener) {
        RunState state = RunState.read(runFolder.stateFile()).orElse(null);
        if (state == null) {
            return;
        }
        for (int i = state.nodes().size() - 1; i >= 0; i--) {
            NodeState node = state.nodes().get(i);
            OsProcess process = OsProcess.of(node.pid(), node.processStart()).orElse(null);
            if (process == null || !process.isAlive()) {
                continue;
            }
            logger.warn("stopping node {} (pid {}) left running by supervisor pid {}", node.name(), node.pid(),
                        state.supervisorPid());
            listener.accept(node.with(NodeStatus.STOPPING, "left running by an earlier supervisor"));
            boolean stopped = process.terminate(Roles.driver(node.role()).stopSignal(), GRACE_MILLIS);
            listener.accept(node.with(stopped ? NodeStatus.STOPPED : NodeStatus.FAILED,
                                      stopped ? "stopped" : "still running after SIGKILL"));
        }
    }
}
