package dev.millions.postgres;

/** Hears what a replicated cluster's failover manager does; called on the manager's thread. */
public interface ClusterListener {

    ClusterListener NONE = new ClusterListener() {};

    /** The roles, addresses or lag changed. */
    default void topologyChanged(ClusterTopology topology) {}

    /** A new primary took over. */
    default void failedOver(Failover failover) {}

    /** Something worth a log line happened to a node: fenced, rebuilt, left out. */
    default void nodeEvent(String node, String message) {}

    /**
     * A completed failover or switchover.
     *
     * @param detectionMillis from the old primary's last successful probe to the decision
     * @param promotionMillis from the decision to the new primary taking writes
     */
    record Failover(String from, String to, String reason, long detectionMillis, long promotionMillis,
                    long epoch) {}
}
