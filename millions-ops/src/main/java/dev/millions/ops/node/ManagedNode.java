package dev.millions.ops.node;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.millions.ops.topology.NodeSpec;

/** A node the supervisor runs: one OS process, or a cluster of them, made by its role's {@link RoleDriver}. */
public interface ManagedNode {

    NodeSpec spec();

    /**
     * Starts the process and returns once the node is ready.
     *
     * @throws NodeStartException with the reason and the log to read
     */
    void start();

    /** Stops the process and waits until it is gone. */
    void stop();

    /** The running process, or {@code null} before start, after stop, and for a node with none of ours. */
    OsProcess process();

    /** host:port once started; a cluster lists its members' addresses, separated by commas. */
    String address();

    /** Where a person reaches the node, or {@code null} for a node with no such address. */
    String url();

    Path log();

    /** Why the process ended, once it has: a signal, an exit code, out of memory. */
    default String exitCause() {
        return ExitCause.describe(null, log(), 0);
    }

    /** What the node can do beyond starting and stopping: the supervisor and other roles look here. */
    default Capabilities capabilities() {
        return Capabilities.none();
    }

    /**
     * The nodes that run as part of this one, once it has started: a cluster's members, each shown,
     * killed and restarted on its own. The supervisor adds those it does not know yet.
     */
    default List<ManagedNode> members() {
        return List.of();
    }

    /**
     * What status says of this node or its members now, by node name: a role in a cluster, a replica's
     * lag. Asked on every check while the node is ready; a node that is not named keeps its detail.
     */
    default Map<String, String> details() {
        return Map.of();
    }
}
