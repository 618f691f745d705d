package dev.millions.ops.role.lb;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.millions.ops.topology.NodeSpec;
import dev.millions.ops.topology.References;
import dev.millions.ops.topology.RoleSettings;
import dev.millions.ops.topology.TopologyException;

/**
 * The settings of a load balancer node.
 *
 * @param backends the web nodes it balances over, when it starts
 * @param algorithm how it picks one ({@code p2c-ewma}, {@code round-robin}, ...)
 * @param hashKey for {@code consistent-hash}: {@code client-ip}, {@code header:NAME} or {@code cookie:NAME}
 * @param rateLimit requests per second per client, 0 for none
 * @param traces the trace node its spans go to
 */
public record LbSettings(List<String> backends, Optional<String> algorithm, Optional<String> hashKey,
                         double rateLimit, Optional<String> traces) implements RoleSettings {

    public LbSettings {
        backends = List.copyOf(backends);
    }

    @Override
    public List<String> dependencies() {
        List<String> dependencies = new ArrayList<>(backends);
        traces.ifPresent(dependencies::add);
        return List.copyOf(dependencies);
    }

    @Override
    public void validate(NodeSpec node, Map<String, NodeSpec> nodes) {
        if (backends.isEmpty()) {
            throw new TopologyException("load balancer '" + node.name() + "' needs backends (a list of web nodes)");
        }
        for (String backend : backends) {
            NodeSpec target = nodes.get(backend);
            if (target == null || !target.role().equals("web")) {
                throw new TopologyException("load balancer '" + node.name() + "' balances over '" + backend + "', "
                                            + (target == null ? "which is not a node of this topology"
                                                              : "which is a " + target.role() + " node, not web"));
            }
        }
        traces.ifPresent(name -> References.require(node, "sends spans to", name, "trace", nodes));
    }
}
