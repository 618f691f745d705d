package dev.millions.ops.role.cdn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.millions.ops.topology.NodeSpec;
import dev.millions.ops.topology.References;
import dev.millions.ops.topology.RoleSettings;
import dev.millions.ops.topology.TopologyException;

/**
 * The settings of a CDN edge node.
 *
 * @param origin the node that answers what the edge does not have: the load balancer, or a web node
 * @param backup web nodes the edge asks directly when {@code origin} fails (CloudFront's origin group)
 * @param media nodes (web or lb) that answer {@code /media} instead of {@code origin}, with no backup: when
 *              they fail, the edge answers an error and browsers fall back to {@code origin} themselves
 * @param memoryBytes the memory tier's bound
 * @param diskBytes the disk tier's bound; its files, in {@code data/NAME/cache}, outlive a restart
 * @param maxObjectBytes larger answers stream through uncached
 * @param staleWhileRevalidateSeconds the default window when the origin states none
 * @param staleIfErrorSeconds the default window when the origin states none
 * @param heuristicFreshness whether an answer with only a {@code Last-Modified} is fresh for a tenth of its age
 * @param traces the trace node its spans go to
 */
public record CdnSettings(String origin, List<String> backup, List<String> media, long memoryBytes, long diskBytes, long maxObjectBytes,
                          long staleWhileRevalidateSeconds, long staleIfErrorSeconds, boolean heuristicFreshness,
                          Optional<String> traces)
        implements RoleSettings {

    private static final Set<String> ORIGIN_ROLES = Set.of("lb", "web");

    public CdnSettings {
        backup = List.copyOf(backup);
        media = List.copyOf(media);
    }

    @Override
    public List<String> dependencies() {
        List<String> all = new ArrayList<>(List.of(origin));
        all.addAll(backup);
        media.stream().filter(name -> !all.contains(name)).forEach(all::add);
        traces.ifPresent(all::add);
        return all;
    }

    @Override
    public void validate(NodeSpec node, Map<String, NodeSpec> nodes) {
        NodeSpec target = nodes.get(origin);
        if (target == null || !ORIGIN_ROLES.contains(target.role())) {
            throw new TopologyException("CDN edge '" + node.name() + "' has origin '" + origin + "', "
                                        + (target == null ? "which is not a node of this topology"
                                                          : "which is a " + target.role() + " node, not lb or web"));
        }
        for (String name : backup) {
            NodeSpec web = nodes.get(name);
            if (web == null || !web.role().equals("web") || name.equals(origin)) {
                throw new TopologyException("CDN edge '" + node.name() + "' has backup '" + name
                                            + "' (expected: web nodes other than its origin)");
            }
        }
        for (String name : media) {
            NodeSpec server = nodes.get(name);
            if (server == null || !ORIGIN_ROLES.contains(server.role())) {
                throw new TopologyException("CDN edge '" + node.name() + "' has media origin '" + name
                                            + "' (expected: lb or web nodes of this topology)");
            }
        }
        traces.ifPresent(name -> References.require(node, "sends spans to", name, "trace", nodes));
    }
}
