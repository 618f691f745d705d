package dev.millions.ops.role.postgres;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.millions.ops.topology.NodeSpec;
import dev.millions.ops.topology.RoleSettings;
import dev.millions.ops.topology.TopologyException;

/**
 * The settings of a postgres node.
 *
 * @param server PostgreSQL settings, passed as {@code -c name=value}
 * @param external a server that runs elsewhere: used, never launched or stopped
 * @param replicaOf the primary it starts as a replica of
 */
public record PostgresSettings(Map<String, String> server, Optional<External> external,
                              Optional<ReplicaOf> replicaOf) implements RoleSettings {

    public PostgresSettings {
        server = Map.copyOf(server);
    }

    /** A database reached at {@code url}, logging in as {@code username} with the password in a file. */
    public record External(String url, String username, Path passwordFile) {}

    /**
     * A replica of {@code primary}, whose cluster the failover manager runs.
     *
     * @param synchronous whether its acknowledgement counts for a commit (and so whether it may be
     *                    promoted); an asynchronous replica never holds up a commit
     */
    public record ReplicaOf(String primary, boolean synchronous) {}

    @Override
    public List<String> dependencies() {
        return replicaOf.map(replica -> List.of(replica.primary())).orElse(List.of());
    }

    @Override
    public Optional<String> memberOf() {
        return replicaOf.map(ReplicaOf::primary);
    }

    @Override
    public void validate(NodeSpec node, Map<String, NodeSpec> nodes) {
        if (replicaOf.isEmpty()) {
            return;
        }
        String primary = replicaOf.get().primary();
        NodeSpec target = nodes.get(primary);
        if (target == null || !(target.settings() instanceof PostgresSettings primarySettings)
            || primarySettings.replicaOf().isPresent()) {
            throw new TopologyException("node '" + node.name() + "' is a replica of '" + primary + "', "
                                        + (target == null ? "which is not a node of this topology"
                                           : !target.role().equals(PostgresRole.ID) ? "which is not a postgres node"
                                           : "itself a replica (name the cluster's first primary)"));
        }
        if (external.isPresent() || primarySettings.external().isPresent()) {
            throw new TopologyException("node '" + node.name() + "': an external database cannot be replicated "
                                        + "by the launcher");
        }
    }
}
