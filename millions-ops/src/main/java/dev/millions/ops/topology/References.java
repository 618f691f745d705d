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

    /** The postgres node that {@code node} uses as its database: a cluster's first primary, never a replica. */
    public static NodeSpec requireDatabase(NodeSpec node, String database, Map<String, NodeSpec> nodes) {
        NodeSpec target = require(node, "uses database", database, "postgres", nodes);
        if (target.settings().memberOf().isPresent()) {
            throw new TopologyException("node '" + node.name() + "' uses database '" + database
                                        + "', a replica: name the cluster's first primary, '"
                                        + target.settings().memberOf().get() + '\'');
        }
        return target;
    }
}
