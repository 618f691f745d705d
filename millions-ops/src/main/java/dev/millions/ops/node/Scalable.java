package dev.millions.ops.node;

import java.util.Map;

import dev.millions.ops.topology.NodeSpec;

/** A node of which more copies may run side by side, behind a {@link Balancer}. */
public interface Scalable {

    /**
     * The spec of another copy, named {@code name}, on a free port, with these app properties set over
     * the original's (none: the same).
     *
     * @throws IllegalArgumentException when the node takes no app properties
     */
    NodeSpec copy(String name, Map<String, String> properties);
}
