package dev.millions.ops.node;

/** A node that spreads requests over backend nodes, which can be added and drained while it runs. */
public interface Balancer {

    /** Whether {@code node} is one of its backends now. */
    boolean balances(String node);

    /** Adds a started node to the running balancer. */
    void addBackend(ManagedNode node);

    /** Takes a backend out of rotation and returns once its requests in flight have finished. */
    void drainBackend(String node);
}
