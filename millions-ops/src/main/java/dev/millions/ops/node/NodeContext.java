package dev.millions.ops.node;

import java.util.function.Supplier;

import dev.millions.ops.topology.Topology;

/** What a role's driver is given to make a node: the run folder, the installation, the other nodes. */
public interface NodeContext {

    RunFolder runFolder();

    Installation installation();

    Topology topology();

    /**
     * A node that this one depends on, already started.
     *
     * @throws IllegalStateException when no such node runs
     */
    ManagedNode node(String name);

    /**
     * Something the nodes of one role share, made by {@code maker} the first time {@code key} is asked
     * for and kept while the supervisor runs: the cluster that a database's members run in.
     */
    <T> T shared(String key, Supplier<T> maker);
}
