package dev.millions.ops.topology;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What a node does in the design. Later stages add the queue and DNS roles. */
public enum Role {
    POSTGRES,
    WEB,
    LB,
    /** A Redis Cluster: one topology node, several processes (its members). */
    REDIS;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Role of(String id) {
        for (Role role : values()) {
            if (role.id().equals(id)) {
                return role;
            }
        }
        throw new TopologyException("unknown role '" + id + "' (expected one of: "
                                    + Arrays.stream(values()).map(Role::id).collect(Collectors.joining(", ")) + ')');
    }
}
