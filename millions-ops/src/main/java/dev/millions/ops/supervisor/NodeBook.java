package dev.millions.ops.supervisor;

import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.millions.ops.node.ManagedNode;
import dev.millions.ops.node.OsProcess;
import dev.millions.ops.node.RunFolder;

/**
 * What the supervisor knows of each node, as {@code status} shows it: kept in memory, written to
 * {@code state.json} and to the Prometheus scrape targets on every change, and told to the listener (the
 * console's progress).
 */
final class NodeBook {

    private static final Logger logger = LoggerFactory.getLogger(NodeBook.class);

    private final String topology;
    private final RunFolder runFolder;
    private final SupervisorListener listener;
    private final Map<String, NodeState> states = new LinkedHashMap<>();
    private int controlPort;

    NodeBook(String topology, RunFolder runFolder, SupervisorListener listener) {
        this.topology = topology;
        this.runFolder = runFolder;
        this.listener = listener;
    }

    NodeState get(String name) {
        return states.get(name);
    }

    List<NodeState> all() {
        return List.copyOf(states.values());
    }

    Set<String> names() {
        return Set.copyOf(states.keySet());
    }

    void controlListening(int port) {
        controlPort = port;
        write();
    }

    void remove(String name) {
        states.remove(name);
        write();
    }

    void update(ManagedNode node, NodeStatus status, String detail) {
        OsProcess process = node.process();
        boolean running = status == NodeStatus.READY || status == NodeStatus.STOPPING;
        NodeState previous = states.get(node.spec().name());
        NodeState state = new NodeState(node.spec().name(), node.spec().role(), status,
                                        process != null ? process.pid() : previous != null ? previous.pid() : -1,
                                        process != null ? process.start() : previous != null ? previous.processStart() : "",
                                        running || status == NodeStatus.STOPPED ? node.address() : null,
                                        running ? node.url() : null,
                                        node.log() == null ? null : node.log().toString(), detail,
                                        previous == null ? 0 : previous.restarts(),
                                        previous == null ? null : previous.lastExit());
        states.put(state.name(), state);
        write();
        logger.info("node {} {}{}", state.name(), status.id(), detail == null ? "" : ": " + detail);
        listener.onChange(state);
    }

    /** Records why a node exited on its own; the next {@link #update} writes it. */
    void exitedBecause(String name, String cause) {
        NodeState state = states.get(name);
        states.put(name, state.withRestarts(state.restarts(), cause));
    }

    /** Counts one restart by the supervisor; the next {@link #update} writes it. */
    void restarted(String name) {
        NodeState state = states.get(name);
        states.put(name, state.withRestarts(state.restarts() + 1, state.lastExit()));
    }

    private void write() {
        OsProcess self = OsProcess.of(ProcessHandle.current());
        new RunState(topology, self.pid(), self.start(), List.copyOf(states.values())).write(runFolder.stateFile());
        try {
            ScrapeTargets.write(runFolder, states.values(), controlPort);
        } catch (UncheckedIOException e) {
            // Only a Prometheus of the user's own reads them: the nodes run on without.
            logger.warn("{}", e.getMessage());
        }
    }
}
