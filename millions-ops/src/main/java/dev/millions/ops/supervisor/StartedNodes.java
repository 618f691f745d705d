package dev.millions.ops.supervisor;

import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import dev.millions.ops.node.Installation;
import dev.millions.ops.node.ManagedNode;
import dev.millions.ops.node.NodeContext;
import dev.millions.ops.node.RunFolder;
import dev.millions.ops.topology.Topology;

/**
 * The nodes a supervisor has started, in start order, and what a role's driver sees of them: a node
 * by name, what the nodes of one role share, and the nodes' capabilities by type. Confined to the
 * supervisor's lock.
 */
final class StartedNodes implements NodeContext {

    private final Topology topology;
    private final RunFolder runFolder;
    private final Installation installation;
    private final Map<String, ManagedNode> nodes = new LinkedHashMap<>();
    private final Map<String, Object> shared = new HashMap<>();

    StartedNodes(Topology topology, RunFolder runFolder, Installation installation) {
        this.topology = topology;
        this.runFolder = runFolder;
        this.installation = installation;
    }

    void put(ManagedNode node) {
        nodes.put(node.spec().name(), node);
    }

    void remove(String name) {
        nodes.remove(name);
    }

    boolean contains(String name) {
        return nodes.containsKey(name);
    }

    /**
     * @throws IllegalArgumentException naming the nodes there are
     */
    ManagedNode get(String name) {
        ManagedNode node = nodes.get(name);
        if (node == null) {
            throw new IllegalArgumentException("no node '" + name + "' runs here (nodes: "
                                               + String.join(", ", nodes.keySet()) + ')');
        }
        return node;
    }

    Collection<ManagedNode> all() {
        return Collections.unmodifiableCollection(nodes.values());
    }

    Map<String, ManagedNode> byName() {
        return Collections.unmodifiableMap(nodes);
    }

    static <T> Optional<T> capability(ManagedNode node, Class<T> type) {
        return node.capabilities().find(type);
    }

    /** Every distinct {@code type} the nodes offer (the members of a cluster share one). */
    <T> List<T> capabilities(Class<T> type) {
        Set<T> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        return nodes.values().stream().flatMap(node -> capability(node, type).stream()).filter(seen::add).toList();
    }

    @Override
    public RunFolder runFolder() {
        return runFolder;
    }

    @Override
    public Installation installation() {
        return installation;
    }

    @Override
    public Topology topology() {
        return topology;
    }

    @Override
    public ManagedNode node(String name) {
        ManagedNode node = nodes.get(name);
        if (node == null) {
            throw new IllegalStateException("node '" + name + "' has not started (started: "
                                            + String.join(", ", nodes.keySet()) + ')');
        }
        return node;
    }

    @Override
    public <T> T shared(String key, Supplier<T> maker) {
        @SuppressWarnings("unchecked")
        T value = (T) shared.computeIfAbsent(key, ignored -> maker.get());
        return value;
    }
}
