package dev.millions.ops.node;

/**
 * A member of a cluster whose own manager watches it (a replicated database's failover manager): the
 * supervisor does not restart it when it exits, and a restart asks the manager to rebuild it.
 */
public interface ClusterManaged {

    /**
     * Rebuilds the member the manager's way (a replica is re-cloned from the primary).
     *
     * @return what status says of it meanwhile
     */
    String rebuild();
}
