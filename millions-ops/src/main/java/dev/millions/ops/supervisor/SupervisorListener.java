package dev.millions.ops.supervisor;

/** Hears of every change of a node's status, in order: the terminal's progress lines. */
@FunctionalInterface
public interface SupervisorListener {

    void onChange(NodeState node);
}
