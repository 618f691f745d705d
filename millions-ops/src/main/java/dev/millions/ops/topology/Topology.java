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
            node.settings().validate(node, nodes);
        }
    }
}
