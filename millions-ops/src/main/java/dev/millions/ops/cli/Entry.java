package dev.millions.ops.cli;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import dev.millions.ops.node.Roles;
import dev.millions.ops.supervisor.NodeState;
import dev.millions.ops.supervisor.NodeStatus;

/**
 * Where clients come in: the ready node, with a URL, whose role stands closest to them (the load
 * balancer once there is one, else the first web node).
 */
final class Entry {

    private Entry() {}

    static Optional<NodeState> of(List<NodeState> nodes) {
        return nodes.stream()
                    .filter(node -> node.status() == NodeStatus.READY && node.url() != null
                                    && Roles.driver(node.role()).entryRank() > 0)
                    .max(Comparator.comparingInt((NodeState node) -> Roles.driver(node.role()).entryRank())
                                   .thenComparing(node -> -nodes.indexOf(node)));
    }
}
