package dev.millions.ops.chaos;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import dev.millions.bench.fault.FaultAction;
import dev.millions.bench.fault.FaultException;
import dev.millions.bench.fault.FaultTarget;
import dev.millions.ops.node.RunFolder;
import dev.millions.ops.supervisor.ControlClient;
import dev.millions.ops.supervisor.NodeSignals;
import dev.millions.ops.supervisor.NodeState;
import dev.millions.ops.supervisor.RunState;

/**
 * Faults on the nodes of the system that runs from a run folder, for the bench, the drills and
 * {@code chaos}: signals through {@link NodeSignals}; a restart is the supervisor's job, asked through
 * its control API.
 */
public final class NodeFaults implements FaultTarget {

    private final RunFolder runFolder;
    private final ControlClient control;
    private final NodeSignals signals;

    public NodeFaults(RunFolder runFolder) {
        this.runFolder = runFolder;
        this.control = new ControlClient(runFolder);
        this.signals = new NodeSignals(runFolder);
    }

    @Override
    public String resolve(String nameOrRole) {
        RunState state = state();
        if (state.node(nameOrRole).isPresent()) {
            return nameOrRole;
        }
        List<NodeState> ofRole = state.nodes().stream().filter(node -> node.role().equals(nameOrRole)).toList();
        if (ofRole.size() == 1) {
            return ofRole.get(0).name();
        }
        if (ofRole.size() > 1) {
            throw new FaultException("role '" + nameOrRole + "' names " + ofRole.size() + " nodes ("
                                     + ofRole.stream().map(NodeState::name).collect(Collectors.joining(", "))
                                     + "); name one of them");
        }
        throw new FaultException("no node or role '" + nameOrRole + "' in " + state.topology() + " (nodes: "
                                 + state.nodes().stream().map(n -> n.name() + " (" + n.role() + ')')
                                        .collect(Collectors.joining(", ")) + ')');
    }

    @Override
    public String inject(FaultAction action, String node, Duration argument) {
        return switch (action) {
            case KILL -> signal(node, "KILL");
            case STOP -> signalTree(node, "STOP");
            case CONT -> signalTree(node, "CONT");
            case RESTART -> {
                try {
                    yield node + ' ' + control.restart(node);
                } catch (IllegalStateException e) {
                    throw new FaultException(e.getMessage(), e);
                }
            }
            case DELAY -> throw new FaultException("a delay needs a bench run: `millions bench --fault delay:" + node
                                                   + "=200ms@10s` puts a relay of its own in front of the node it "
                                                   + "sends to (this kernel has no netem)");
        };
    }

    private String signal(String name, String signal) {
        try {
            return signals.signal(name, signal);
        } catch (IllegalStateException e) {
            throw new FaultException(e.getMessage(), e);
        }
    }

    private String signalTree(String name, String signal) {
        try {
            return signals.signalTree(name, signal);
        } catch (IllegalStateException e) {
            throw new FaultException(e.getMessage(), e);
        }
    }

    /** A kill after which the supervisor leaves the node down, until a restart. */
    public String killAndHold(String node) {
        try {
            control.hold(node);
        } catch (IllegalStateException e) {
            throw new FaultException(e.getMessage(), e);
        }
        return signal(node, "KILL") + "; held down until `millions chaos restart " + node + '`';
    }

    private RunState state() {
        return RunState.read(runFolder.stateFile()).orElseThrow(() -> new FaultException(
                "nothing runs from " + runFolder.root() + "; start it with `./millions up -d`"));
    }
}
