package dev.millions.ops.topology;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a node's role adds to the common fields: typed, parsed and checked by the role (its
 * {@link RoleSyntax}) when the topology is read.
 */
public interface RoleSettings {

    /** The nodes that must be ready before this one starts. */
    default List<String> dependencies() {
        return List.of();
    }

    /**
     * For a member of a cluster that another node stands for (a replica of a primary), that node: it is
     * the one other nodes name.
     */
    default Optional<String> memberOf() {
        return Optional.empty();
    }

    /**
     * Checks what these settings name against the topology's other nodes.
     *
     * @throws TopologyException naming the node and the reference
     */
    default void validate(NodeSpec node, Map<String, NodeSpec> nodes) {}

    /**
     * The same settings with these app properties set over its own: what {@code millions scale --set}
     * gives the nodes it adds.
     *
     * @throws IllegalArgumentException for a role whose nodes take no app properties
     */
    default RoleSettings withProperties(Map<String, String> overrides) {
        throw new IllegalArgumentException("its nodes take no app properties");
    }

    /** The settings of a role that has none of its own. */
    static RoleSettings none() {
        return new RoleSettings() {};
    }
}
