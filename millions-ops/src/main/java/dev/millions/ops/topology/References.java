package dev.millions.ops.topology;

import java.util.Map;

/** Checks that a node names another node of the right role, in the words every role uses. */
public final class References {

    private References() {}

    /**
     * The node {@code target} that {@code node} names as its {@code what} (for example "uses database"),
     * which must be a node of role {@code role}.
     */
    public static NodeSpec require(NodeSpec node, String what, String target, String role,
                                   Map<String, NodeSpec> nodes) {
        NodeSpec found = nodes.get(target);
        if (found == null) {
            throw new TopologyException("node '" + node.name() + "' " + what + " '" + target
                                        + "', which is not a node of this topology (nodes: "
                                        + String.join(", ", nodes.keySet()) + ')');
        }
        if (!found.role().equals(role)) {
            throw new TopologyException("node '" + node.name() + "' " + what + " '" + target + "', which is a "
                                        + found.role() + " node, not " + role);
        }
        return found;
    }
}
