package dev.millions.ops.role.worker;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.millions.ops.topology.NodeSpec;
import dev.millions.ops.topology.References;
import dev.millions.ops.topology.RoleSettings;

/**
 * The settings of a worker node.
 *
 * @param database the postgres node whose tables the effects go to (a replicated database's first primary)
 * @param queue the kafka node whose topics it consumes
 * @param cache the redis node, when the app's cache must hear of what workers change
 * @param traces the trace node its spans go to
 * @param properties the app's properties, passed as {@code --name=value} (e.g. {@code millions.worker.retry-delays})
 */
public record WorkerSettings(String database, String queue, Optional<String> cache, Optional<String> traces,
                             Map<String, String> properties)
        implements RoleSettings {

    public WorkerSettings {
        properties = Map.copyOf(properties);
    }

    @Override
    public WorkerSettings withProperties(Map<String, String> overrides) {
        Map<String, String> merged = new HashMap<>(properties);
        merged.putAll(overrides);
        return new WorkerSettings(database, queue, cache, traces, merged);
    }

    @Override
    public List<String> dependencies() {
        List<String> dependencies = new ArrayList<>(List.of(database, queue));
        cache.ifPresent(dependencies::add);
        traces.ifPresent(dependencies::add);
        return List.copyOf(dependencies);
    }

    @Override
    public void validate(NodeSpec node, Map<String, NodeSpec> nodes) {
        References.requireDatabase(node, database, nodes);
        References.require(node, "uses queue", queue, "kafka", nodes);
        cache.ifPresent(name -> References.require(node, "uses cache", name, "redis", nodes));
        traces.ifPresent(name -> References.require(node, "sends spans to", name, "trace", nodes));
    }
}
