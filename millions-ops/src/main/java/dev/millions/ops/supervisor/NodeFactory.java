package dev.millions.ops.supervisor;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.millions.ops.topology.NodeSpec;
import dev.millions.ops.topology.Topology;

/**
 * Makes the node of a spec, wired to the nodes it depends on. It reads the supervisor's maps of started
 * nodes, replicated databases and scaled-in web nodes, under the supervisor's lock.
 */
final class NodeFactory {

    private final Topology topology;
    private final RunFolder runFolder;
    private final Installation installation;
    private final Map<String, ManagedNode> started;
    private final Map<String, DatabaseCluster> clusters;
    private final Set<String> scaledIn;

    NodeFactory(Topology topology, RunFolder runFolder, Installation installation, Map<String, ManagedNode> started,
                Map<String, DatabaseCluster> clusters, Set<String> scaledIn) {
        this.topology = topology;
        this.runFolder = runFolder;
        this.installation = installation;
        this.started = started;
        this.clusters = clusters;
        this.scaledIn = scaledIn;
    }

    /** The node of a topology's spec, or of one made at run time; not started. */
    ManagedNode create(NodeSpec spec) {
        return switch (spec.role()) {
            case POSTGRES -> {
                String primary = spec.replicaOf().map(NodeSpec.ReplicaOf::primary).orElse(spec.name());
                List<NodeSpec> members = topology.nodes().values().stream()
                        .filter(node -> node.name().equals(primary)
                                        || node.replicaOf().map(r -> r.primary().equals(primary)).orElse(false))
                        .toList();
                if (members.size() == 1) {
                    yield new PostgresNode(spec, runFolder);
                }
                DatabaseCluster cluster = clusters.computeIfAbsent(primary,
                        name -> new DatabaseCluster(name, members, runFolder));
                yield new PostgresClusterNode(spec, cluster, runFolder);
            }
            case WEB -> {
                ManagedNode database = started.get(spec.database().orElseThrow());
                String cacheSeeds = spec.cache().map(cache -> ((RedisClusterNode) started.get(cache)).seeds())
                                        .orElse(null);
                yield database instanceof PostgresClusterNode member
                      ? new WebNode(spec, runFolder, installation, member.server(), member.cluster().nodesFile(),
                                    cacheSeeds)
                      : new WebNode(spec, runFolder, installation, ((PostgresNode) database).server(), null,
                                    cacheSeeds);
            }
            case REDIS -> new RedisClusterNode(spec, runFolder);
            case LB -> new LbNode(spec, runFolder, installation, () -> started.values().stream()
                    .filter(WebNode.class::isInstance).map(WebNode.class::cast)
                    .filter(web -> spec.backends().contains(web.spec().name()) || scaledIn.contains(web.spec().name()))
                    .toList());
        };
    }

    /** The spec of a replica added at run time: its database's first member's, under its own name. */
    NodeSpec replicaSpec(DatabaseCluster database, String name, boolean synchronous) {
        NodeSpec first = topology.node(database.name());
        return new NodeSpec(name, first.role(), first.host(), 0, Optional.empty(), first.settings(), List.of(),
                            Optional.empty(), List.of(),
                            Optional.of(new NodeSpec.ReplicaOf(database.name(), synchronous)), Optional.empty());
    }
}
