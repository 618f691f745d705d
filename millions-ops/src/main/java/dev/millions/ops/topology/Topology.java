package dev.millions.ops.topology;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A named set of nodes; the order of {@link #startOrder()} respects every dependency. */
public record Topology(String name, String description, Map<String, NodeSpec> nodes) {

    public Topology {
        nodes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(nodes));
        validate(nodes);
    }

    public NodeSpec node(String name) {
        NodeSpec node = nodes.get(name);
        if (node == null) {
            throw new TopologyException("no node '" + name + "' in topology '" + this.name + "' (nodes: "
                                        + String.join(", ", nodes.keySet()) + ')');
        }
        return node;
    }

    /** Every node after the nodes it depends on, otherwise in the order of the file. */
    public List<NodeSpec> startOrder() {
        List<NodeSpec> order = new ArrayList<>();
        Set<String> placed = new HashSet<>();
        while (order.size() < nodes.size()) {
            int before = order.size();
            for (NodeSpec node : nodes.values()) {
                if (!placed.contains(node.name()) && placed.containsAll(node.dependencies())) {
                    order.add(node);
                    placed.add(node.name());
                }
            }
            if (order.size() == before) {
                throw new TopologyException("nodes depend on each other in a cycle: " + nodes.keySet().stream()
                        .filter(name -> !placed.contains(name)).toList());
            }
        }
        return List.copyOf(order);
    }

    /** The same topology with every port set to 0, so that each node takes a free port. */
    public Topology withFreePorts() {
        Map<String, NodeSpec> changed = new LinkedHashMap<>();
        nodes.forEach((name, node) -> changed.put(name, node.withPort(0)));
        return new Topology(name, description, changed);
    }

    private static void validateBackends(NodeSpec node, Map<String, NodeSpec> nodes) {
        if (node.role() == Role.LB && node.backends().isEmpty()) {
            throw new TopologyException("load balancer '" + node.name() + "' needs backends (a list of web nodes)");
        }
        if (node.role() != Role.LB && !node.backends().isEmpty()) {
            throw new TopologyException("node '" + node.name() + "' has backends, but only an lb node balances");
        }
        for (String backend : node.backends()) {
            NodeSpec target = nodes.get(backend);
            if (target == null || target.role() != Role.WEB) {
                throw new TopologyException("load balancer '" + node.name() + "' balances over '" + backend + "', "
                                            + (target == null ? "which is not a node of this topology"
                                                              : "which is a " + target.role().id() + " node, not web"));
            }
        }
    }

    private static void validateReplica(NodeSpec node, Map<String, NodeSpec> nodes) {
        if (node.replicaOf().isEmpty()) {
            return;
        }
        String primary = node.replicaOf().get().primary();
        NodeSpec target = nodes.get(primary);
        if (target == null || target.role() != Role.POSTGRES || target.replicaOf().isPresent()) {
            throw new TopologyException("node '" + node.name() + "' is a replica of '" + primary + "', "
                                        + (target == null ? "which is not a node of this topology"
                                           : target.role() != Role.POSTGRES ? "which is not a postgres node"
                                           : "itself a replica (name the cluster's first primary)"));
        }
        if (node.external().isPresent() || target.external().isPresent()) {
            throw new TopologyException("node '" + node.name() + "': an external database cannot be replicated "
                                        + "by the launcher");
        }
    }

    private static void validate(Map<String, NodeSpec> nodes) {
        if (nodes.isEmpty()) {
            throw new TopologyException("a topology needs at least one node");
        }
        Map<String, String> listeners = new LinkedHashMap<>();
        for (NodeSpec node : nodes.values()) {
            if (node.port() != 0) {
                String other = listeners.putIfAbsent(node.host() + ':' + node.port(), node.name());
                if (other != null) {
                    throw new TopologyException("nodes '" + other + "' and '" + node.name() + "' both listen on "
                                                + node.host() + ':' + node.port());
                }
            }
        }
        for (NodeSpec node : nodes.values()) {
            validateBackends(node, nodes);
            validateReplica(node, nodes);
            for (String dependency : node.database().stream().toList()) {
                NodeSpec target = nodes.get(dependency);
                if (target == null) {
                    throw new TopologyException("node '" + node.name() + "' uses database '" + dependency
                                                + "', which is not a node of this topology (nodes: "
                                                + String.join(", ", nodes.keySet()) + ')');
                }
                if (target.role() != Role.POSTGRES) {
                    throw new TopologyException("node '" + node.name() + "' uses database '" + dependency
                                                + "', which is a " + target.role().id() + " node, not postgres");
                }
                if (target.replicaOf().isPresent()) {
                    throw new TopologyException("node '" + node.name() + "' uses database '" + dependency
                                                + "', a replica: name the cluster's first primary, '"
                                                + target.replicaOf().get().primary() + '\'');
                }
            }
            node.cache().ifPresent(cache -> {
                NodeSpec target = nodes.get(cache);
                if (target == null || target.role() != Role.REDIS) {
                    throw new TopologyException("node '" + node.name() + "' uses cache '" + cache + "', "
                                                + (target == null ? "which is not a node of this topology"
                                                                  : "which is a " + target.role().id()
                                                                    + " node, not redis"));
                }
            });
            if (node.role() == Role.WEB && node.database().isEmpty()) {
                throw new TopologyException("web node '" + node.name() + "' needs a database (the name of a "
                                            + "postgres node)");
            }
        }
    }
}
