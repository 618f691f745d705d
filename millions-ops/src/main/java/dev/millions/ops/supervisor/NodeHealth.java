package dev.millions.ops.supervisor;

import dev.millions.ops.node.Roles;
import dev.millions.ops.node.RunFolder;

/** Asks a running node, now, whether it serves, the way its role probes it. */
public final class NodeHealth {

    private NodeHealth() {}

    public static String probe(NodeState node, RunFolder runFolder) {
        return Roles.driver(node.role()).probe(node.name(), node.address(), node.url(), runFolder);
    }
}
