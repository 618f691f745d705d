package dev.millions.ops.node;

import java.util.List;

/** A replicated database whose replicas can be added and removed, and whose primary can be switched. */
public interface Replicas {

    /** The database's name: its first primary's. */
    String name();

    String primary();

    /** Its members' names, the primary's among them. */
    List<String> members();

    /**
     * Clones a new replica from the primary, and counts it in the quorum unless asynchronous.
     *
     * @return the running replica's node
     */
    ManagedNode addReplica(String name, boolean synchronous);

    /** Takes a replica out of the database and stops it; its data folder is kept. */
    void removeReplica(String name);

    /**
     * A planned change of primary: the primary shuts down cleanly, the most advanced synchronous
     * replica takes over, the old primary is re-cloned as a replica.
     *
     * @return the new primary
     */
    String switchover();
}
