package dev.millions.ops.topology;

import java.util.Set;

/** How a role's nodes are written in a topology file: its own fields, parsed into its settings. */
public interface RoleSyntax {

    /** The role's name in a topology file ({@code role: postgres}). */
    String id();

    /** The fields a node of this role may have besides the common ones. */
    Set<String> fields();

    /**
     * Parses a node's own fields.
     *
     * @throws TopologyException with the path of the offending field
     */
    RoleSettings parse(NodeFields fields);
}
