package dev.millions.ops.node;

import dev.millions.ops.topology.NodeSpec;

/** A node of which more copies may run side by side, behind a {@link Balancer}. */
public interface Scalable {

    /** The spec of another copy, named {@code name}, on a free port. */
    NodeSpec copy(String name);
}
