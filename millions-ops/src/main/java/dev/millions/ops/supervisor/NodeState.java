package dev.millions.ops.supervisor;

/**
 * A node as recorded in {@code state.json}.
 *
 * @param processStart when the process started (clock ticks since boot, as {@code /proc} says), so that a recycled pid is never mistaken for
 *                     the node
 * @param url where a person or client reaches the node, or {@code null}
 * @param detail why it failed or exited, or how long it took to become ready
 * @param restarts how often the supervisor started it again after it exited on its own
 * @param lastExit why it last exited on its own (a signal, an exit code, out of memory), or {@code null}
 */
public record NodeState(String name, String role, NodeStatus status, long pid, String processStart,
                        String address, String url, String log, String detail, int restarts, String lastExit) {

    public NodeState with(NodeStatus newStatus, String newDetail) {
        return new NodeState(name, role, newStatus, pid, processStart, address, url, log, newDetail, restarts, lastExit);
    }

    public NodeState withRestarts(int newRestarts, String newLastExit) {
        return new NodeState(name, role, status, pid, processStart, address, url, log, detail, newRestarts, newLastExit);
    }
}
