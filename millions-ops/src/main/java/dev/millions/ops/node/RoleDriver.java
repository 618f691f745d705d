package dev.millions.ops.node;

import java.net.URI;
import java.util.Optional;

import dev.millions.ops.topology.NodeSpec;
import dev.millions.ops.topology.RoleSyntax;

/**
 * Everything that makes a role a role: how its nodes are written in a topology (its {@link RoleSyntax}),
 * how one is made and wired to the nodes it depends on, how it is probed and stopped. Drivers are found
 * with {@link java.util.ServiceLoader}: adding a role is a package with its driver and one line in
 * {@code META-INF/services/dev.millions.ops.node.RoleDriver}.
 */
public interface RoleDriver extends RoleSyntax {

    /** The node of {@code spec}, wired to the nodes it depends on, which {@code context} has started. */
    ManagedNode create(NodeSpec spec, NodeContext context);

    /**
     * Asks a running node of this role, now, whether it serves: what {@code status} shows as its
     * health. The node may have been started by another process (a supervisor that runs apart).
     *
     * @param address the node's {@code host:port} (a cluster's lists every member)
     * @param url where a person reaches it, or {@code null}
     */
    String probe(String name, String address, String url, RunFolder runFolder);

    /**
     * Where a running node of this role answers with its own Prometheus metrics, or empty when it has
     * none of its own (a database or a Redis Cluster, whose metrics the supervisor exports for it).
     *
     * @param url where a person reaches it, or {@code null}
     */
    default Optional<URI> metrics(String name, String url, RunFolder runFolder) {
        return Optional.empty();
    }

    /** The signal that asks a node of this role for a clean, quick shutdown. */
    default String stopSignal() {
        return "TERM";
    }

    /**
     * How close to clients a node of this role stands, for the commands that send them requests: the
     * node of the highest rank is where they come in; 0 for a node that clients never reach.
     */
    default int entryRank() {
        return 0;
    }
}
