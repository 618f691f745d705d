package dev.millions.postgres;

import java.util.List;
import java.util.Optional;

/**
 * What a replicated cluster looks like now, as its failover manager publishes it to clients.
 *
 * @param epoch grows by one at each failover or switchover, so a client can tell newer from older
 * @param primary the node that takes writes
 */
public record ClusterTopology(long epoch, String primary, List<Member> members) {

    public ClusterTopology {
        members = List.copyOf(members);
    }

    public Optional<Member> member(String name) {
        return members.stream().filter(member -> member.name().equals(name)).findFirst();
    }

    /** The nodes that serve reads now. */
    public List<Member> replicas() {
        return members.stream().filter(member -> member.role() == Role.REPLICA).toList();
    }

    /** Its shape alone (positions and lag zeroed): what clients must hear of when it changes. */
    ClusterTopology withoutPositions() {
        return new ClusterTopology(epoch, primary, members.stream()
                .map(m -> new Member(m.name(), m.host(), m.port(), m.role(), m.synchronous(), 0, 0)).toList());
    }

    public enum Role {
        PRIMARY,
        REPLICA,
        /** Failed its probes; not used by clients. */
        DOWN,
        /** Being cloned afresh from the primary. */
        REBUILDING;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * One node.
     *
     * @param synchronous whether its acknowledgement can complete a commit (it is in the primary's
     *                    {@code ANY 1 (...)} list) and so whether it may be promoted
     * @param lsn the WAL position it has written (primary) or replayed (replica), or -1 when unknown
     * @param lagBytes how far its replay is behind the primary, or -1 when unknown
     */
    public record Member(String name, String host, int port, Role role, boolean synchronous, long lsn,
                         long lagBytes) {

        public String address() {
            return host + ':' + port;
        }
    }
}
