package dev.millions.ops.supervisor;

import java.nio.file.Path;

import dev.millions.ops.topology.NodeSpec;

/** A node the supervisor runs as its own OS process. */
interface ManagedNode {

    NodeSpec spec();

    /**
     * Starts the process and returns once the node is ready.
     *
     * @throws NodeStartException with the reason and the log to read
     */
    void start();

    /** Stops the process and waits until it is gone. */
    void stop();

    /** The running process, or {@code null} before start and after stop. */
    OsProcess process();

    /** host:port, once started. */
    String address();

    /** Where a person reaches the node, or {@code null} for a node with no such address. */
    String url();

    Path log();

    /** Why the process ended, once it has: a signal, an exit code, out of memory. */
    default String exitCause() {
        return ExitCause.describe(null, log(), 0);
    }
}
